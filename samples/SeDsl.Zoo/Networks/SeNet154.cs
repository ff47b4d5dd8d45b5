using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>SENet-154's stem (<c>layer0</c>): three 3x3 convolutions (64, 64, 128 channels, the first with stride 2), then a 3x3 max pool with ceil mode.</summary>
[Block]
public partial class SeNetStem
{
    [Conv2d(64, 3, Stride = 2, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(64, 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d(128, 3, Padding = 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [ReLU] private readonly ReLU relu3;
    [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool;
}

/// <summary>
/// SENet-154 as described in the paper's appendix and implemented by timm's <c>legacy_senet154</c> (whose state_dict
/// keys it shares: <c>layer0.conv1.weight</c>, <c>layer1.0.se.fc1.weight</c>, <c>last_linear.weight</c>): a 3-convolution
/// stem, SE-ResNeXt bottlenecks with 64 groups (SE width C / 16) in stages of 3, 8, 36 and 3 blocks, from the second
/// stage on with a 3x3 projection shortcut as in the reference implementation (<c>downsample_kernel_size=3</c>), and
/// dropout 0.2 before the classifier.
/// </summary>
[Network(3, 224, 224)]
public partial class SeNet154
{
    [Use(typeof(SeNetStem))] private readonly SeNetStem layer0;
    [Stage(typeof(ResNeXtBottleneck), 3, 64, 64, 16, 1)] private readonly Sequential layer1;
    [Stage(typeof(ResNeXtBottleneck), 8, 128, 64, 16, 1, Stride = 2, ShortcutKernel = 3)] private readonly Sequential layer2;
    [Stage(typeof(ResNeXtBottleneck), 36, 256, 64, 16, 1, Stride = 2, ShortcutKernel = 3)] private readonly Sequential layer3;
    [Stage(typeof(ResNeXtBottleneck), 3, 512, 64, 16, 1, Stride = 2, ShortcutKernel = 3)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avg_pool;
    [Flatten] private readonly Flatten flatten;
    [Dropout(0.2)] private readonly Dropout dropout;
    [Linear(1000)] private readonly Linear last_linear;
}
