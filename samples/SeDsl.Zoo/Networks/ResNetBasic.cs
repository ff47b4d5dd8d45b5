using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// The basic block of timm's <c>seresnet18</c> and <c>seresnet34</c>: <see cref="BasicBlock"/> with a
/// Squeeze-and-Excitation block on the residual branch, before the addition; r = 16 with biased excitation layers,
/// widths rounded to multiples of 8 (timm's <c>make_divisible</c>: 64 channels give 8, 512 give 32).
/// </summary>
[Block(Residual = true)]
public partial class SeResNetBasicBlock
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [SqueezeExcite(r: 16, Divisor = 8)] private readonly SqueezeExcitation se;
}

/// <summary>ResNet-18 as torchvision's <c>resnet18</c>: four stages of two basic blocks; 11,689,512 parameters.</summary>
[Network(3, 224, 224)]
public partial class ResNet18
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(BasicBlock), 2, 64)] private readonly Sequential layer1;
    [Stage(typeof(BasicBlock), 2, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(BasicBlock), 2, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(BasicBlock), 2, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-18 as timm's <c>seresnet18</c>: 11,779,624 parameters; keys such as <c>layer1.0.se.fc1.weight</c>.</summary>
[Network(3, 224, 224)]
public partial class SeResNet18
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeResNetBasicBlock), 2, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeResNetBasicBlock), 2, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeResNetBasicBlock), 2, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeResNetBasicBlock), 2, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNet-34 as torchvision's <c>resnet34</c>: basic blocks in stages of 3, 4, 6 and 3; 21,797,672 parameters.</summary>
[Network(3, 224, 224)]
public partial class ResNet34
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(BasicBlock), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(BasicBlock), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(BasicBlock), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(BasicBlock), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-34 as timm's <c>seresnet34</c>: 21,960,416 parameters.</summary>
[Network(3, 224, 224)]
public partial class SeResNet34
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeResNetBasicBlock), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeResNetBasicBlock), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeResNetBasicBlock), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeResNetBasicBlock), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
