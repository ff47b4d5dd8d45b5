using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// A small SE network for 3x32x32 images: two convolution stages, a Squeeze-and-Excitation block (r = 16)
/// on the 64-channel features, global average pooling and a 10-way classifier.
/// </summary>
[Network(3, 32, 32)]
public partial class TinySeNet
{
    [Conv2d(32, 3, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [MaxPool2d(2)] private readonly MaxPool2d pool1;

    [Conv2d(64, 3, Padding = Pad.Same, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;

    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}
