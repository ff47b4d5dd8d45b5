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
/// SENet-154's bottleneck (the paper's appendix) from the second stage on: <see cref="ResNeXtBottleneck"/> 64x4d with SE
/// (r = 16, width C / 16, biased), but with a 3x3 projection shortcut, as in the reference implementation
/// (<c>downsample_kernel_size=3</c>); its first stage uses <see cref="ResNeXtBottleneck"/> itself (a 1x1 projection).
/// </summary>
[Block(Residual = true, ShortcutKernel = 3)]
public partial class SeNetBottleneck
{
    [Param] private readonly int planes;

    [Conv2d("planes * 2", 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d("planes * 4", 3, Stride = Strides.OfBlock, Padding = 1, Groups = 64, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>
/// SENet-154 as described in the paper's appendix and implemented by timm's <c>legacy_senet154</c> (whose state_dict
/// keys it shares: <c>layer0.conv1.weight</c>, <c>layer1.0.se.fc1.weight</c>, <c>last_linear.weight</c>): a 3-convolution
/// stem, SE-ResNeXt bottlenecks with 64 groups in stages of 3, 8, 36 and 3 blocks, dropout 0.2 before the classifier.
/// </summary>
[Network(3, 224, 224)]
public partial class SeNet154
{
    [Use(typeof(SeNetStem))] private readonly SeNetStem layer0;
    [Stage(typeof(ResNeXtBottleneck), 3, 64, 64, 16, 1)] private readonly Sequential layer1;
    [Stage(typeof(SeNetBottleneck), 8, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeNetBottleneck), 36, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeNetBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avg_pool;
    [Flatten] private readonly Flatten flatten;
    [Dropout(0.2)] private readonly Dropout dropout;
    [Linear(1000)] private readonly Linear last_linear;
}
