using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

// ShuffleNet v1 with 3 groups (1x, 224x224): stages of 240, 480 and 960 channels with 4, 8 and 4 units. Each stage's
// first unit halves the resolution and concatenates a 3x3 average pool of its input with its branch; the other units
// add their branch to the input. Bottleneck width: a quarter of the stage's output. The very first unit's 24 input
// channels are too few to group: its first 1x1 convolution is dense (groups 1).

/// <summary>
/// ShuffleNet's branch: 1x1 in <c>groups</c> groups to the bottleneck width, channel shuffle, depthwise 3x3 (the
/// block's stride), grouped 1x1 to <c>width</c>; with r above 0, SE (ratio r) on its output.
/// </summary>
[Block]
public partial class ShuffleBranch
{
    [Param] private readonly int bottleneck;
    [Param] private readonly int width;
    [Param] private readonly int groups;
    [Param(Default = 0)] private readonly int r;

    [Conv2d(nameof(bottleneck), 1, Groups = nameof(groups), Bias = false)] private readonly Conv2d compress;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [ChannelShuffle(3)] private readonly ChannelShuffle shuffle;
    [DepthwiseConv2d(3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d depthwise;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [Conv2d(nameof(width), 1, Groups = 3, Bias = false)] private readonly Conv2d expand;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(nameof(r), When = "r > 0")] private readonly SqueezeExcitation? se;
}

/// <summary>
/// A ShuffleNet unit, with SE (r, none for 0) on the branch before the addition: ReLU(x + branch(x)). The SE is the
/// unit's own layer, not the branch's, so that the scaling and the addition run as one operation.
/// </summary>
[Block(Residual = true)]
public partial class ShuffleUnit
{
    [Param] private readonly int width;
    [Param] private readonly int r;

    [Use(typeof(ShuffleBranch), "width / 4", nameof(width), 3)] private readonly ShuffleBranch branch;
    [SqueezeExcite(nameof(r), When = "r > 0")] private readonly SqueezeExcitation? se;
}

/// <summary>The downsampling unit's two paths: a strided 3x3 average pool of the input beside the branch (SE by r), which adds <c>width - inChannels</c> channels.</summary>
[Block(Parallel = true)]
public partial class ShuffleDownConcat
{
    [Param] private readonly int width;
    [Param] private readonly int groups;
    [Param] private readonly int r;

    [AvgPool2d(3, Stride = Strides.OfBlock, Padding = 1)] private readonly AvgPool2d shortcut;
    [Use(typeof(ShuffleBranch), "width / 4", "width - inChannels", nameof(groups), nameof(r), Stride = Strides.OfBlock)] private readonly ShuffleBranch branch;
}

/// <summary>A downsampling unit: ReLU of the concatenated paths.</summary>
[Block]
public partial class ShuffleDownUnit
{
    [Param] private readonly int width;
    [Param] private readonly int groups;
    [Param] private readonly int r;

    [Use(typeof(ShuffleDownConcat), nameof(width), nameof(groups), nameof(r), Stride = Strides.OfBlock)] private readonly ShuffleDownConcat paths;
    [ReLU] private readonly ReLU relu;
}

/// <summary>
/// The ShuffleNet v1 family (1x, 3 groups, 3x224x224); with r above 0, SE (ratio r) on every unit's branch.
/// </summary>
[Network(3, 224, 224)]
public partial class ShuffleNetV1
{
    [Param] private readonly int r;

    [Conv2d(24, 3, Stride = 2, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Use(typeof(ShuffleDownUnit), 240, 1, nameof(r), Stride = 2)] private readonly ShuffleDownUnit stage2Down;
    [Stage(typeof(ShuffleUnit), 3, 240, nameof(r))] private readonly Sequential stage2;
    [Use(typeof(ShuffleDownUnit), 480, 3, nameof(r), Stride = 2)] private readonly ShuffleDownUnit stage3Down;
    [Stage(typeof(ShuffleUnit), 7, 480, nameof(r))] private readonly Sequential stage3;
    [Use(typeof(ShuffleDownUnit), 960, 3, nameof(r), Stride = 2)] private readonly ShuffleDownUnit stage4Down;
    [Stage(typeof(ShuffleUnit), 3, 960, nameof(r))] private readonly Sequential stage4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>
/// ShuffleNet v1 1x with 3 groups: 1,865,728 parameters and 137 M multiply-adds (the ShuffleNet paper and the SE
/// paper's Table 3 print 140 MFLOPs and 1.8 M parameters).
/// </summary>
[Network(typeof(ShuffleNetV1), 0)]
public partial class ShuffleNet;

/// <summary>SE-ShuffleNet: <see cref="ShuffleNet"/> with SE (r = 16) on every unit's branch.</summary>
// The first branch has 240 - 24 = 216 channels, which r = 16 does not divide: its SE width is rounded down to 13.
#pragma warning disable SEDSL104
[Network(typeof(ShuffleNetV1), 16)]
#pragma warning restore SEDSL104
public partial class SeShuffleNet;
