using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// ResNeXt's bottleneck, 32x4d: the 3x3 convolution is split into 32 groups of 4 x (planes / 64) channels, so its width
/// is <c>planes * 2</c>; as torchvision's <c>resnext50_32x4d</c> (stride on the 3x3).
/// </summary>
[Block(Residual = true)]
public partial class ResNeXtBottleneck
{
    [Param] private readonly int planes;

    [Conv2d("planes * 2", 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d("planes * 2", 3, Stride = Strides.OfBlock, Padding = 1, Groups = 32, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
}

/// <summary>The SE-ResNeXt bottleneck (32x4d) as timm's <c>seresnext*_32x4d</c>: SE (r = 16, widths rounded to multiples of 8) before the addition.</summary>
[Block(Residual = true)]
public partial class SeResNeXtBottleneck
{
    [Param] private readonly int planes;

    [Conv2d("planes * 2", 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d("planes * 2", 3, Stride = Strides.OfBlock, Padding = 1, Groups = 32, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16, Divisor = 8)] private readonly SqueezeExcitation se;
}

/// <summary>ResNeXt-50 (32x4d) as torchvision's <c>resnext50_32x4d</c>: 25,028,904 parameters.</summary>
[Network(3, 224, 224)]
public partial class ResNeXt50
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(ResNeXtBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(ResNeXtBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(ResNeXtBottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(ResNeXtBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNeXt-50 (32x4d) as timm's <c>seresnext50_32x4d</c>.</summary>
[Network(3, 224, 224)]
public partial class SeResNeXt50
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeResNeXtBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeResNeXtBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeResNeXtBottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeResNeXtBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNeXt-101 (32x4d), torchvision's layout (timm's <c>resnext101_32x4d</c>).</summary>
[Network(3, 224, 224)]
public partial class ResNeXt101
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(ResNeXtBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(ResNeXtBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(ResNeXtBottleneck), 23, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(ResNeXtBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNeXt-101 (32x4d) as timm's <c>seresnext101_32x4d</c>.</summary>
[Network(3, 224, 224)]
public partial class SeResNeXt101
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeResNeXtBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeResNeXtBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeResNeXtBottleneck), 23, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeResNeXtBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
