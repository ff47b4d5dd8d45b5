using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// MobileNetV3's inverted residual (torchvision's <c>InvertedResidual</c>): a 1x1 expansion when the expanded width
/// differs from the input, a depthwise k x k convolution with the block's stride, an optional SE block (width
/// make_divisible(expanded / 4, 8), ReLU inside, hard-sigmoid gate) and a linear 1x1 projection; the input is added
/// only when stride and channels are unchanged. Batch norms use eps 0.001 and momentum 0.01.
/// </summary>
[Block(Residual = true, Shortcut = ShortcutPolicy.IdentityOrNone, AfterAddition = ResidualActivation.None)]
public partial class InvertedResidualV3
{
    [Param] private readonly int kernel;
    [Param] private readonly int expanded;
    [Param] private readonly int outChannels;
    [Param] private readonly bool se;
    [Param] private readonly Activation activation;

    [Use(typeof(ConvNormAct), nameof(expanded), 1, 1, nameof(activation), 0.001, 0.01, When = "expanded != inChannels", Key = "block.#")] private readonly ConvNormAct? expand;
    [Use(typeof(ConvNormAct), nameof(expanded), nameof(kernel), nameof(expanded), nameof(activation), 0.001, 0.01, Stride = Strides.OfBlock, Key = "block.#")] private readonly ConvNormAct depthwise;
    [SqueezeExcite(Width = "makeDivisible(expanded / 4, 8)", Gate = ExcitationGate.HardSigmoid, When = nameof(se), Key = "block.#")] private readonly SqueezeExcitation? squeeze;
    [Use(typeof(ConvNormAct), nameof(outChannels), 1, 1, Activation.None, 0.001, 0.01, Key = "block.#")] private readonly ConvNormAct project;
}

/// <summary>
/// The MobileNetV3 family (torchvision's <c>mobilenet_v3_large</c> and <c>mobilenet_v3_small</c>): a strided 3x3 stem,
/// the inverted residuals of the Large or the Small table (kernel, expanded width, output width, SE, activation; the
/// stride where it is 2), a 1x1 convolution to six times the last width, and a Hardswish classifier head. Both tables
/// number their blocks from <c>features.1</c>, as torchvision does, since only one of them exists in a network.
/// </summary>
[Network(3, 224, 224)]
public partial class MobileNetV3
{
    [Param] private readonly bool large;

    [Use(typeof(ConvNormAct), 16, 3, 1, Activation.Hardswish, 0.001, 0.01, Stride = 2, Key = "features.#")] private readonly ConvNormAct stem;
    [Use(typeof(InvertedResidualV3), 3, 16, 16, false, Activation.ReLU, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large1;
    [Use(typeof(InvertedResidualV3), 3, 64, 24, false, Activation.ReLU, Stride = 2, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large2;
    [Use(typeof(InvertedResidualV3), 3, 72, 24, false, Activation.ReLU, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large3;
    [Use(typeof(InvertedResidualV3), 5, 72, 40, true, Activation.ReLU, Stride = 2, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large4;
    [Use(typeof(InvertedResidualV3), 5, 120, 40, true, Activation.ReLU, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large5;
    [Use(typeof(InvertedResidualV3), 5, 120, 40, true, Activation.ReLU, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large6;
    [Use(typeof(InvertedResidualV3), 3, 240, 80, false, Activation.Hardswish, Stride = 2, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large7;
    [Use(typeof(InvertedResidualV3), 3, 200, 80, false, Activation.Hardswish, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large8;
    [Use(typeof(InvertedResidualV3), 3, 184, 80, false, Activation.Hardswish, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large9;
    [Use(typeof(InvertedResidualV3), 3, 184, 80, false, Activation.Hardswish, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large10;
    [Use(typeof(InvertedResidualV3), 3, 480, 112, true, Activation.Hardswish, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large11;
    [Use(typeof(InvertedResidualV3), 3, 672, 112, true, Activation.Hardswish, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large12;
    [Use(typeof(InvertedResidualV3), 5, 672, 160, true, Activation.Hardswish, Stride = 2, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large13;
    [Use(typeof(InvertedResidualV3), 5, 960, 160, true, Activation.Hardswish, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large14;
    [Use(typeof(InvertedResidualV3), 5, 960, 160, true, Activation.Hardswish, When = nameof(large), Key = "features.#")] private readonly InvertedResidualV3? large15;
    [Use(typeof(InvertedResidualV3), 3, 16, 16, true, Activation.ReLU, Stride = 2, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small1;
    [Use(typeof(InvertedResidualV3), 3, 72, 24, false, Activation.ReLU, Stride = 2, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small2;
    [Use(typeof(InvertedResidualV3), 3, 88, 24, false, Activation.ReLU, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small3;
    [Use(typeof(InvertedResidualV3), 5, 96, 40, true, Activation.Hardswish, Stride = 2, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small4;
    [Use(typeof(InvertedResidualV3), 5, 240, 40, true, Activation.Hardswish, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small5;
    [Use(typeof(InvertedResidualV3), 5, 240, 40, true, Activation.Hardswish, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small6;
    [Use(typeof(InvertedResidualV3), 5, 120, 48, true, Activation.Hardswish, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small7;
    [Use(typeof(InvertedResidualV3), 5, 144, 48, true, Activation.Hardswish, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small8;
    [Use(typeof(InvertedResidualV3), 5, 288, 96, true, Activation.Hardswish, Stride = 2, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small9;
    [Use(typeof(InvertedResidualV3), 5, 576, 96, true, Activation.Hardswish, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small10;
    [Use(typeof(InvertedResidualV3), 5, 576, 96, true, Activation.Hardswish, When = "!large", Key = "features.#")] private readonly InvertedResidualV3? small11;
    [Use(typeof(ConvNormAct), "large ? 960 : 576", 1, 1, Activation.Hardswish, 0.001, 0.01, Key = "features.#")] private readonly ConvNormAct lastConv;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear("large ? 1280 : 1024", Key = "classifier.#")] private readonly Linear fc1;
    [Hardswish(Key = "classifier.#")] private readonly Hardswish hardswish;
    [Dropout(0.2, Key = "classifier.#")] private readonly Dropout dropout;
    [Linear(1000, Key = "classifier.#")] private readonly Linear fc2;
}

/// <summary>MobileNetV3-Large as torchvision's <c>mobilenet_v3_large</c>: 5,483,032 parameters.</summary>
[Network(typeof(MobileNetV3), true)]
public partial class MobileNetV3Large;

/// <summary>MobileNetV3-Small as torchvision's <c>mobilenet_v3_small</c>: 2,542,856 parameters.</summary>
[Network(typeof(MobileNetV3), false)]
public partial class MobileNetV3Small;
