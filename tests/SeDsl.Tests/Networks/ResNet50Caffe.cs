using SeDsl;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>The bottleneck of the original Caffe ResNet the SE paper measured: the stride on the first 1x1 convolution.</summary>
[Block(Residual = true)]
public partial class StrideFirstBottleneck
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

/// <summary>ResNet-50 with the stride on the first 1x1 convolution of each bottleneck (the paper's 3.86 GFLOPs model).</summary>
[Network(3, 224, 224)]
public partial class ResNet50Caffe
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(StrideFirstBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(StrideFirstBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(StrideFirstBottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(StrideFirstBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
