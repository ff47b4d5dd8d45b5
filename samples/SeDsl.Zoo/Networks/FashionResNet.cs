using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// A small ResNet for 1x28x28 images (Fashion-MNIST): a 3x3 stem of 16 channels and 2x2 max pooling, three stages of
/// one basic <see cref="ResNetBlock"/> each at 14x14 (16 channels), 7x7 (32) and 4x4 (64), global average pooling and a
/// 10-way classifier; with SE blocks where <c>se</c> places them, r = 4 rather than the paper's 16 (these blocks are 16
/// to 64 channels wide, and C/16 would leave one to four excitation channels) and width C / r.
/// </summary>
[Network(1, 28, 28)]
public partial class FashionNet
{
    [Param] private readonly SePlacement se;

    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(2)] private readonly MaxPool2d maxpool;
    [Stage(typeof(ResNetBlock), 1, 16, ResNetUnit.Basic, nameof(se), 4, 1, SqueezeOperator.Average, ExcitationGate.Sigmoid)] private readonly Sequential layer1;
    [Stage(typeof(ResNetBlock), 1, 32, ResNetUnit.Basic, nameof(se), 4, 1, SqueezeOperator.Average, ExcitationGate.Sigmoid, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(ResNetBlock), 1, 64, ResNetUnit.Basic, nameof(se), 4, 1, SqueezeOperator.Average, ExcitationGate.Sigmoid, Stride = 2)] private readonly Sequential layer3;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>The plain twin of <see cref="FashionSeResNet"/>; the samples app trains both on two CPU cores in minutes.</summary>
[Network(typeof(FashionNet), SePlacement.None)]
public partial class FashionResNet;

/// <summary><see cref="FashionResNet"/> with a Squeeze-and-Excitation block (r = 4) in every residual block, before the addition.</summary>
[Network(typeof(FashionNet), SePlacement.Standard)]
public partial class FashionSeResNet;
