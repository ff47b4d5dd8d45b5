using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// ResNet's basic block (ResNet-18/34): two 3x3 convolutions of <c>planes</c> channels, the first carrying the
/// block's stride, added to the shortcut (a 1x1 projection where the shape changes), then ReLU.
/// </summary>
[Block(Residual = true)]
public partial class BasicBlock
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
}

/// <summary>
/// The basic block with Squeeze-and-Excitation on the residual branch, before the addition (the paper's standard
/// placement). r = 4 rather than the paper's 16: these blocks are 16 to 64 channels wide, and C/16 would leave one to
/// four excitation channels.
/// </summary>
[Block(Residual = true)]
public partial class SeBasicBlock
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
}

/// <summary>
/// A small ResNet for 1x28x28 images (Fashion-MNIST): a 3x3 stem of 16 channels and 2x2 max pooling, three stages of
/// one basic block each at 14x14 (16 channels), 7x7 (32) and 4x4 (64), global average pooling and a 10-way
/// classifier. The plain twin of <see cref="FashionSeResNet"/>; the samples app trains both on two CPU cores in minutes.
/// </summary>
[Network(1, 28, 28)]
public partial class FashionResNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(2)] private readonly MaxPool2d maxpool;
    [Stage(typeof(BasicBlock), 1, 16)] private readonly Sequential layer1;
    [Stage(typeof(BasicBlock), 1, 32, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(BasicBlock), 1, 64, Stride = 2)] private readonly Sequential layer3;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>
/// <see cref="FashionResNet"/> with a Squeeze-and-Excitation block (r = 4) in every residual block: the same layers
/// and shapes, plus the excitation's two 1x1 convolutions per block.
/// </summary>
[Network(1, 28, 28)]
public partial class FashionSeResNet
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(2)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeBasicBlock), 1, 16)] private readonly Sequential layer1;
    [Stage(typeof(SeBasicBlock), 1, 32, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBasicBlock), 1, 64, Stride = 2)] private readonly Sequential layer3;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}
