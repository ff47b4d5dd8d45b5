using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// ResNet's bottleneck: 1x1 reduce to <c>planes</c>, 3x3 (carrying the block's stride, as torchvision and timm do),
/// 1x1 expand to <c>planes * 4</c>, added to the shortcut, then ReLU. The original Caffe model of the paper puts the
/// stride on the first 1x1 instead.
/// </summary>
[Block(Residual = true)]
public partial class Bottleneck
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
}

/// <summary>
/// The SE bottleneck of SE-ResNet: the bottleneck with a Squeeze-and-Excitation block (r = 16, biased excitation,
/// widths rounded to multiples of 8 as timm's <c>seresnet50</c>) on the residual branch, before the addition.
/// </summary>
[Block(Residual = true)]
public partial class SeBottleneck
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
    [SqueezeExcite(r: 16, Divisor = 8)] private readonly SqueezeExcitation se;
}

/// <summary>ResNet-50 as in torchvision: 25,557,032 parameters, about 4.09 G multiply-adds at 224x224.</summary>
[Network(3, 224, 224)]
public partial class ResNet50
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(Bottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(Bottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(Bottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(Bottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 (r = 16) as timm's <c>seresnet50</c>: 28,088,024 parameters; state_dict keys such as <c>layer1.0.se.fc1.weight</c>.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
