using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>1x1 convolution, batch norm, ReLU (Inception's BasicConv2d).</summary>
[Block]
public partial class Conv1x1
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 1, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>3x3 convolution, batch norm, ReLU.</summary>
[Block]
public partial class Conv3x3
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>A 1x1 reduction followed by a 3x3 convolution: a block inside a block.</summary>
[Block]
public partial class Branch3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width;

    [Use(typeof(Conv1x1), nameof(reduce))] private readonly Conv1x1 squeeze;
    [Use(typeof(Conv3x3), nameof(width))] private readonly Conv3x3 conv;
}

/// <summary>Average pooling, then a 1x1 projection.</summary>
[Block]
public partial class PoolBranch
{
    [Param] private readonly int width;

    [AvgPool2d(3, Stride = 1, Padding = 1)] private readonly AvgPool2d pool;
    [Use(typeof(Conv1x1), nameof(width))] private readonly Conv1x1 conv;
}

/// <summary>An Inception module: four parallel branches concatenated on channels (64 + 64 + 96 + poolFeatures).</summary>
[Block(Parallel = true)]
public partial class InceptionModule
{
    [Param] private readonly int poolFeatures;

    [Use(typeof(Conv1x1), 64)] private readonly Conv1x1 branch1x1;
    [Use(typeof(Branch3x3), 48, 64)] private readonly Branch3x3 branch3x3;
    [Use(typeof(Branch3x3), 64, 96)] private readonly Branch3x3 branch3x3dbl;
    [Use(typeof(PoolBranch), nameof(poolFeatures))] private readonly PoolBranch branchPool;
}

/// <summary>Two parallel branches of equal width.</summary>
[Block(Parallel = true)]
public partial class TwoBranches
{
    [Param] private readonly int width;

    [Use(typeof(Conv1x1), nameof(width))] private readonly Conv1x1 branch0;
    [Use(typeof(Branch3x3), nameof(width), "width * 3 / 2")] private readonly Branch3x3 branch1;
}

/// <summary>
/// An SE-Inception-ResNet block: parallel branches, a 1x1 convolution back to the input width, SE on the residual
/// branch, then the addition.
/// </summary>
[Block(Residual = true)]
public partial class SeInceptionResNetBlock
{
    [Use(typeof(TwoBranches), 32)] private readonly TwoBranches mixed;
    [Conv2d("inChannels", 1)] private readonly Conv2d up;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>Parallel branches, the second only when <c>wide</c>: 16 or 16 + 8 channels.</summary>
[Block(Parallel = true)]
public partial class OptionalBranches
{
    [Param] private readonly bool wide;

    [Use(typeof(Conv1x1), 16)] private readonly Conv1x1 branch0;
    [Use(typeof(Conv1x1), 8, When = nameof(wide))] private readonly Conv1x1? branch1;
}

/// <summary>SE after <see cref="OptionalBranches"/>: in this block's own module its width follows the branches that exist.</summary>
[Block]
public partial class SeOverOptionalBranches
{
    [Param] private readonly bool wide;

    [Use(typeof(OptionalBranches), nameof(wide))] private readonly OptionalBranches branches;
    [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
}

/// <summary>A small network with an Inception module and a stage of SE-Inception-ResNet blocks.</summary>
[Network(3, 35, 35)]
public partial class SmallInception
{
    [Conv2d(64, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Use(typeof(InceptionModule), 32)] private readonly InceptionModule mixed;
    [Stage(typeof(SeInceptionResNetBlock), 2)] private readonly Sequential repeat;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>ShuffleNet's grouped bottleneck branch: grouped 1x1, channel shuffle, strided depthwise 3x3, grouped 1x1.</summary>
[Block]
public partial class ShuffleBranch
{
    [Param] private readonly int width;

    [Conv2d("width / 4", 1, Groups = 3, Bias = false)] private readonly Conv2d compress;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [ChannelShuffle(3)] private readonly ChannelShuffle shuffle;
    [DepthwiseConv2d(3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d depthwise;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [Conv2d(nameof(width), 1, Groups = 3, Bias = false)] private readonly Conv2d expand;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
}

/// <summary>ShuffleNet's downsampling unit: a strided average-pool shortcut beside the branch, concatenated.</summary>
[Block(Parallel = true)]
public partial class ShuffleDownUnit
{
    [Param] private readonly int width;

    [AvgPool2d(3, Stride = Strides.OfBlock, Padding = 1)] private readonly AvgPool2d shortcut;
    [Use(typeof(ShuffleBranch), nameof(width), Stride = Strides.OfBlock)] private readonly ShuffleBranch branch;
}

/// <summary>A small ShuffleNet-style network: the pooling shortcut and the branch both take the stage's stride.</summary>
[Network(3, 32, 32)]
public partial class SmallShuffle
{
    [Conv2d(24, 3, Stride = 2, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(ShuffleDownUnit), 1, 48, Stride = 2)] private readonly Sequential stage2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}
