using SeDsl.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Zoo;

/// <summary>
/// VGG-16 with batch normalisation (the paper trains VGG-16 with BN), as torchvision's <c>vgg16_bn</c>, with an SE block
/// (r = 16, width C / 16, biased) after the ReLU of each convolution where <c>se</c> is set: 13 3x3 convolutions
/// (padding 1, with bias) each followed by batch norm and ReLU, in five stages each closed by a 2x2 max pool, then three
/// fully connected layers. The keys are torchvision's: the 44 feature layers are children 0 to 43 of <c>features</c>
/// (<c>features.0.weight</c> is conv1_1_conv's, <c>features.1.running_mean</c> conv1_1_bn's), the head is <c>classifier.0</c> to
/// <c>classifier.6</c> and the 13 SE blocks are <c>se.0</c> to <c>se.12</c>, so torchvision's state_dict loads by name
/// (into SE-VGG-16 non-strictly: every layer but the SE blocks). torchvision's <c>avgpool</c> (adaptive, to 7x7) has no
/// state and is the identity at 224x224, the declared input. Each stage writes its <see cref="VggConv"/> blocks inline,
/// so their layers are the network's own (<c>conv1_2_bn</c> is <c>features.4</c>) and the keys stay flat.
/// </summary>
[Network(3, 224, 224)]
public partial class Vgg
{
    [Param] private readonly bool se;

    [Stage(typeof(VggConv), 2, 64, nameof(se), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] conv1;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool1;
    [Stage(typeof(VggConv), 2, 128, nameof(se), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] conv2;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool2;
    [Stage(typeof(VggConv), 3, 256, nameof(se), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] conv3;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool3;
    [Stage(typeof(VggConv), 3, 512, nameof(se), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] conv4;
    [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool4;
    [Stage(typeof(VggConv), 3, 512, nameof(se), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] conv5;
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

/// <summary>
/// One VGG convolution as written in place by each stage of <see cref="Vgg"/>: a 3x3 convolution (padding 1, with bias),
/// batch norm and ReLU, children of the network's <c>features</c>, then where <c>se</c> is set an SE block (r = 16) in
/// the network's <c>se</c>.
/// </summary>
[Block]
public partial class VggConv
{
    [Param] private readonly int width;
    [Param] private readonly bool se;

    [Conv2d(nameof(width), 3, Padding = 1, Key = "features.#")] private readonly Conv2d conv;
    [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn;
    [ReLU(Key = "features.#")] private readonly ReLU relu;
    [SqueezeExcite(r: 16, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? excitation;
}

/// <summary>VGG-16 (BN) as torchvision's <c>vgg16_bn</c>: 138,365,992 parameters.</summary>
[Network(typeof(Vgg), false)]
public partial class Vgg16;

/// <summary>SE-VGG-16: <see cref="Vgg16"/> with SE blocks.</summary>
[Network(typeof(Vgg), true)]
public partial class SeVgg16;
