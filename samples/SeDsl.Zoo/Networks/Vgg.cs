using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// VGG-16 with batch normalisation (the paper trains VGG-16 with BN), as torchvision's <c>vgg16_bn</c>, with an SE block
/// (r = 16, width C / 16, biased) after the ReLU of each convolution where <c>se</c> is set: 13 3x3 convolutions
/// (padding 1, with bias) each followed by batch norm and ReLU, in five stages each closed by a 2x2 max pool, then three
/// fully connected layers. The keys are torchvision's: the 44 feature layers are children 0 to 43 of <c>features</c>
/// (<c>features.0.weight</c> is conv1_1's, <c>features.1.running_mean</c> bn1_1's), the head is <c>classifier.0</c> to
/// <c>classifier.6</c> and the 13 SE blocks are <c>se.0</c> to <c>se.12</c>, so torchvision's state_dict loads by name
/// (into SE-VGG-16 non-strictly: every layer but the SE blocks). torchvision's <c>avgpool</c> (adaptive, to 7x7) has no
/// state and is the identity at 224x224, the declared input.
/// </summary>
[Network(3, 224, 224)]
public partial class Vgg
{
    [Param] private readonly bool se;

    [Conv2d(64, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv1_1;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn1_1;
    [ReLU(Key = "features.#")] private readonly ReLU relu1_1;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se1_1;
    [Conv2d(64, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv1_2;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn1_2;
    [ReLU(Key = "features.#")] private readonly ReLU relu1_2;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se1_2;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool1;
    [Conv2d(128, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv2_1;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn2_1;
    [ReLU(Key = "features.#")] private readonly ReLU relu2_1;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se2_1;
    [Conv2d(128, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv2_2;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn2_2;
    [ReLU(Key = "features.#")] private readonly ReLU relu2_2;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se2_2;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool2;
    [Conv2d(256, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv3_1;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn3_1;
    [ReLU(Key = "features.#")] private readonly ReLU relu3_1;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se3_1;
    [Conv2d(256, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv3_2;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn3_2;
    [ReLU(Key = "features.#")] private readonly ReLU relu3_2;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se3_2;
    [Conv2d(256, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv3_3;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn3_3;
    [ReLU(Key = "features.#")] private readonly ReLU relu3_3;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se3_3;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool3;
    [Conv2d(512, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv4_1;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn4_1;
    [ReLU(Key = "features.#")] private readonly ReLU relu4_1;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se4_1;
    [Conv2d(512, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv4_2;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn4_2;
    [ReLU(Key = "features.#")] private readonly ReLU relu4_2;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se4_2;
    [Conv2d(512, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv4_3;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn4_3;
    [ReLU(Key = "features.#")] private readonly ReLU relu4_3;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se4_3;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool4;
    [Conv2d(512, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv5_1;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn5_1;
    [ReLU(Key = "features.#")] private readonly ReLU relu5_1;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se5_1;
    [Conv2d(512, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv5_2;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn5_2;
    [ReLU(Key = "features.#")] private readonly ReLU relu5_2;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se5_2;
    [Conv2d(512, 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv5_3;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn5_3;
    [ReLU(Key = "features.#")] private readonly ReLU relu5_3;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? se5_3;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool5;
    [Flatten] private readonly Flatten flatten;
    [Linear(4096, Key = "classifier.#")] private readonly Linear fc6;
    [ReLU(Key = "classifier.#")] private readonly ReLU relu6;
    [Dropout(Key = "classifier.#")] private readonly Dropout drop6;
    [Linear(4096, Key = "classifier.#")] private readonly Linear fc7;
    [ReLU(Key = "classifier.#")] private readonly ReLU relu7;
    [Dropout(Key = "classifier.#")] private readonly Dropout drop7;
    [Linear(1000, Key = "classifier.#")] private readonly Linear fc8;
}

/// <summary>VGG-16 (BN) as torchvision's <c>vgg16_bn</c>: 138,365,992 parameters.</summary>
[Network(typeof(Vgg), false)]
public partial class Vgg16;

/// <summary>SE-VGG-16: <see cref="Vgg16"/> with SE blocks.</summary>
[Network(typeof(Vgg), true)]
public partial class SeVgg16;
