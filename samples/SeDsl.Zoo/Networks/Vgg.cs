using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>VGG's layer: a 3x3 convolution (padding 1, with bias as in torchvision's <c>vgg16_bn</c>), batch norm and ReLU.</summary>
[Block]
public partial class VggLayer
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Padding = 1)] private readonly Conv2d conv;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>VGG's layer with SE: 3x3 convolution, batch norm, ReLU, then SE (r = 16, width C / 16, biased).</summary>
[Block]
public partial class SeVggLayer
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Padding = 1)] private readonly Conv2d conv;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>
/// VGG-16 with batch normalisation (the paper trains VGG-16 with BN), as torchvision's <c>vgg16_bn</c>: 13 3x3
/// convolutions in five stages, each followed by a 2x2 max pool, then three fully connected layers; 138,365,992 parameters.
/// </summary>
[Network(3, 224, 224)]
public partial class Vgg16
{
    [Stage(typeof(VggLayer), 2, 64)] private readonly Sequential stage1;
    [MaxPool2d(2)] private readonly MaxPool2d pool1;
    [Stage(typeof(VggLayer), 2, 128)] private readonly Sequential stage2;
    [MaxPool2d(2)] private readonly MaxPool2d pool2;
    [Stage(typeof(VggLayer), 3, 256)] private readonly Sequential stage3;
    [MaxPool2d(2)] private readonly MaxPool2d pool3;
    [Stage(typeof(VggLayer), 3, 512)] private readonly Sequential stage4;
    [MaxPool2d(2)] private readonly MaxPool2d pool4;
    [Stage(typeof(VggLayer), 3, 512)] private readonly Sequential stage5;
    [MaxPool2d(2)] private readonly MaxPool2d pool5;
    [Flatten] private readonly Flatten flatten;
    [Linear(4096)] private readonly Linear fc6;
    [ReLU] private readonly ReLU relu6;
    [Dropout] private readonly Dropout drop6;
    [Linear(4096)] private readonly Linear fc7;
    [ReLU] private readonly ReLU relu7;
    [Dropout] private readonly Dropout drop7;
    [Linear(1000)] private readonly Linear fc8;
}

/// <summary>SE-VGG-16: <see cref="Vgg16"/> with an SE block (r = 16) after the ReLU of each convolution.</summary>
[Network(3, 224, 224)]
public partial class SeVgg16
{
    [Stage(typeof(SeVggLayer), 2, 64)] private readonly Sequential stage1;
    [MaxPool2d(2)] private readonly MaxPool2d pool1;
    [Stage(typeof(SeVggLayer), 2, 128)] private readonly Sequential stage2;
    [MaxPool2d(2)] private readonly MaxPool2d pool2;
    [Stage(typeof(SeVggLayer), 3, 256)] private readonly Sequential stage3;
    [MaxPool2d(2)] private readonly MaxPool2d pool3;
    [Stage(typeof(SeVggLayer), 3, 512)] private readonly Sequential stage4;
    [MaxPool2d(2)] private readonly MaxPool2d pool4;
    [Stage(typeof(SeVggLayer), 3, 512)] private readonly Sequential stage5;
    [MaxPool2d(2)] private readonly MaxPool2d pool5;
    [Flatten] private readonly Flatten flatten;
    [Linear(4096)] private readonly Linear fc6;
    [ReLU] private readonly ReLU relu6;
    [Dropout] private readonly Dropout drop6;
    [Linear(4096)] private readonly Linear fc7;
    [ReLU] private readonly ReLU relu7;
    [Dropout] private readonly Dropout drop7;
    [Linear(1000)] private readonly Linear fc8;
}
