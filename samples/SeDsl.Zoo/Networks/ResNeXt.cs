using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// ResNeXt's bottleneck, <c>cardinality</c> x 4d: 1x1 to <c>planes * 2</c>, a 3x3 in <c>cardinality</c> groups of
/// 4 x (planes / 64) channels carrying the block's stride (torchvision's <c>resnext50_32x4d</c>: 32 groups, width
/// <c>planes * 2</c>), 1x1 to <c>planes * 4</c>; with r above 0, SE before the addition, its width C / r rounded to
/// multiples of <c>divisor</c> (timm's <c>seresnext*_32x4d</c>: 8).
/// </summary>
[Block(Residual = true)]
public partial class ResNeXtBottleneck
{
    [Param] private readonly int planes;
    [Param] private readonly int cardinality;
    [Param] private readonly int r;
    [Param] private readonly int divisor;

    [Conv2d("planes * 2", 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d("cardinality * planes / 16", 3, Stride = Strides.OfBlock, Padding = 1, Groups = nameof(cardinality), Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(nameof(r), Divisor = nameof(divisor), When = "r > 0")] private readonly SqueezeExcitation? se;
}

/// <summary>
/// The ResNeXt family (32x4d): torchvision's stem, four stages of <see cref="ResNeXtBottleneck"/> with 32 groups, the
/// 1000-way head; the third stage's depth and, above 0, the SE ratio (timm's widths, multiples of 8) are its parameters.
/// </summary>
[Network(3, 224, 224)]
public partial class ResNeXt
{
    [Param] private readonly int depth3;
    [Param] private readonly int r;

    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(ResNeXtBottleneck), 3, 64, 32, nameof(r), 8)] private readonly Sequential layer1;
    [Stage(typeof(ResNeXtBottleneck), 4, 128, 32, nameof(r), 8, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(ResNeXtBottleneck), nameof(depth3), 256, 32, nameof(r), 8, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(ResNeXtBottleneck), 3, 512, 32, nameof(r), 8, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNeXt-50 (32x4d) as torchvision's <c>resnext50_32x4d</c>: 25,028,904 parameters.</summary>
[Network(typeof(ResNeXt), 6, 0)]
public partial class ResNeXt50;

/// <summary>SE-ResNeXt-50 (32x4d) as timm's <c>seresnext50_32x4d</c>.</summary>
[Network(typeof(ResNeXt), 6, 16)]
public partial class SeResNeXt50;

/// <summary>ResNeXt-101 (32x4d), torchvision's layout (timm's <c>resnext101_32x4d</c>).</summary>
[Network(typeof(ResNeXt), 23, 0)]
public partial class ResNeXt101;

/// <summary>SE-ResNeXt-101 (32x4d) as timm's <c>seresnext101_32x4d</c>.</summary>
[Network(typeof(ResNeXt), 23, 16)]
public partial class SeResNeXt101;
