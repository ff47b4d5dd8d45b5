using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>Bottleneck with the paper's standard SE: on the residual branch, before the addition.</summary>
[Block(Residual = true)]
public partial class SeStandardBlock
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
}

/// <summary>Bottleneck with SE-PRE: SE moved before the residual unit, on the branch's input.</summary>
[Block(Residual = true)]
public partial class SePreBlock
{
    [Param] private readonly int planes;

    [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
}

/// <summary>Bottleneck with SE-POST: SE after the addition and its ReLU.</summary>
[Block(Residual = true)]
public partial class SePostBlock
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 4), AfterAddition] private readonly SqueezeExcitation se;
}

/// <summary>Bottleneck with SE-Identity: SE on the identity (shortcut) connection, parallel to the residual unit.</summary>
[Block(Residual = true)]
public partial class SeIdentityBlock
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 4), OnShortcut] private readonly SqueezeExcitation se;
}

/// <summary>SE_3x3: SE on the output of the 3x3 convolution (planes channels) instead of the block's output.</summary>
[Block(Residual = true)]
public partial class Se3x3Block
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
}

/// <summary>A small residual network built from <see cref="SeStandardBlock"/>.</summary>
[Network(3, 32, 32)]
public partial class SeStandardNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(SeStandardBlock), 2, 8, Stride = 2)] private readonly Sequential layer1;
    [Stage(typeof(SeStandardBlock), 1, 8)] private readonly Sequential layer2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>A small residual network built from <see cref="SePreBlock"/>.</summary>
[Network(3, 32, 32)]
public partial class SePreNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(SePreBlock), 2, 8, Stride = 2)] private readonly Sequential layer1;
    [Stage(typeof(SePreBlock), 1, 8)] private readonly Sequential layer2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>A small residual network built from <see cref="SePostBlock"/>.</summary>
[Network(3, 32, 32)]
public partial class SePostNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(SePostBlock), 2, 8, Stride = 2)] private readonly Sequential layer1;
    [Stage(typeof(SePostBlock), 1, 8)] private readonly Sequential layer2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>A small residual network built from <see cref="SeIdentityBlock"/>.</summary>
[Network(3, 32, 32)]
public partial class SeIdentityNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(SeIdentityBlock), 2, 8, Stride = 2)] private readonly Sequential layer1;
    [Stage(typeof(SeIdentityBlock), 1, 8)] private readonly Sequential layer2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>A small residual network built from <see cref="Se3x3Block"/>.</summary>
[Network(3, 32, 32)]
public partial class Se3x3Net
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(Se3x3Block), 2, 8, Stride = 2)] private readonly Sequential layer1;
    [Stage(typeof(Se3x3Block), 1, 8)] private readonly Sequential layer2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>
/// A SENet-154-style bottleneck: grouped 3x3 convolution (cardinality 8 here, 64 in SENet-154) and a 3x3 projection
/// shortcut.
/// </summary>
[Block(Residual = true, ShortcutKernel = 3)]
public partial class SeResNeXtBlock
{
    [Param] private readonly int planes;

    [Conv2d("planes * 2", 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d("planes * 4", 3, Stride = Strides.OfBlock, Padding = 1, Groups = 8, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>SE in the second stage only (the paper's stage-wise ablation), with a SENet-style stage after it.</summary>
[Network(3, 32, 32)]
public partial class SeSecondStageOnlyNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(SeStandardBlock), 1, 8)] private readonly Sequential layer1;
    [Stage(typeof(SeResNeXtBlock), 2, 16, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(Se3x3Block), 1, 16)] private readonly Sequential layer3;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}
