using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// ResNet's bottleneck: 1x1 reduce to <c>planes</c>, 3x3 (carrying the block's stride, as torchvision and timm do),
/// 1x1 expand to <c>planes * 4</c>, added to the shortcut, then ReLU. The original Caffe model of the paper puts the
/// stride on the first 1x1 instead (<see cref="BottleneckCaffe"/>).
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

/// <summary>
/// The bottleneck of the paper's Caffe models: the block's stride on the first 1x1 convolution, which makes the 3x3
/// run at the reduced resolution (ResNet-50: 3.86 G multiply-adds instead of 4.09 G; same parameters).
/// </summary>
[Block(Residual = true)]
public partial class BottleneckCaffe
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Stride = Strides.OfBlock, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
}

/// <summary>
/// The SE bottleneck of the paper's Caffe SE-ResNets: stride on the first 1x1, SE of width C / 16 exactly (the paper's
/// rule, no rounding) with biased excitation layers.
/// </summary>
[Block(Residual = true)]
public partial class SeBottleneckCaffe
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Stride = Strides.OfBlock, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>ResNet-50 as in torchvision (stride on the 3x3): 25,557,032 parameters, 4.09 G multiply-adds at 224x224.</summary>
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

/// <summary>
/// SE-ResNet-50 (r = 16) as timm's <c>seresnet50</c>: 28,088,024 parameters; state_dict keys such as
/// <c>layer1.0.se.fc1.weight</c>. The paper's figures (3.87 GFLOPs) describe <see cref="SeResNet50Caffe"/>.
/// </summary>
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

/// <summary>ResNet-101 as in torchvision: 44,549,160 parameters. The paper's 7.58 GFLOPs describe the Caffe layout.</summary>
[Network(3, 224, 224)]
public partial class ResNet101
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(Bottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(Bottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(Bottleneck), 23, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(Bottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-101 (r = 16) as timm's <c>seresnet101</c>; the paper's 7.60 GFLOPs describe the Caffe layout.</summary>
[Network(3, 224, 224)]
public partial class SeResNet101
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneck), 23, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNet-152 as in torchvision: 60,192,808 parameters. The paper's 11.30 GFLOPs describe the Caffe layout.</summary>
[Network(3, 224, 224)]
public partial class ResNet152
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(Bottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(Bottleneck), 8, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(Bottleneck), 36, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(Bottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-152 (r = 16) as timm's <c>seresnet152</c>; the paper's 11.32 GFLOPs describe the Caffe layout.</summary>
[Network(3, 224, 224)]
public partial class SeResNet152
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneck), 8, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneck), 36, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>
/// ResNet-50 in the layout of the paper's Caffe model (stride on the first 1x1): the model behind the paper's
/// "3.86 GFLOPs"; same parameters as <see cref="ResNet50"/>.
/// </summary>
[Network(3, 224, 224)]
public partial class ResNet50Caffe
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(BottleneckCaffe), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(BottleneckCaffe), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(BottleneckCaffe), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(BottleneckCaffe), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>
/// SE-ResNet-50 in the layout of the paper's Caffe model (stride on the first 1x1, SE width C / 16, biased excitation):
/// the model behind the paper's "3.87 GFLOPs" and ~28.1 M parameters.
/// </summary>
[Network(3, 224, 224)]
public partial class SeResNet50Caffe
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeBottleneckCaffe), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckCaffe), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckCaffe), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckCaffe), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
