using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// A convolution without bias, its batch norm and an optional activation: torchvision's <c>Conv2dNormActivation</c>
/// (padding (kernel - 1) / 2, the block's stride), shared by MobileNetV3, EfficientNet and RegNet.
/// </summary>
[Block]
public partial class ConvNormAct
{
    [Param] private readonly int outChannels;
    [Param] private readonly int kernel;
    [Param] private readonly int groups;
    [Param] private readonly Activation activation;
    [Param] private readonly double eps;
    [Param] private readonly double momentum;

    [Conv2d(nameof(outChannels), nameof(kernel), Stride = Strides.OfBlock, Padding = "(kernel - 1) / 2", Groups = nameof(groups), Bias = false, Key = "0")] private readonly Conv2d conv;
    [BatchNorm2d(Eps = nameof(eps), Momentum = nameof(momentum), Key = "1")] private readonly BatchNorm2d bn;
    [Activation(nameof(activation), When = "activation != Activation.None", Key = "2")] private readonly ActivationLayer? act;
}

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

/// <summary>MobileNetV3-Large as torchvision's <c>mobilenet_v3_large</c>: 5,483,032 parameters.</summary>
[Network(3, 224, 224)]
public partial class MobileNetV3Large
{
    [Use(typeof(ConvNormAct), 16, 3, 1, Activation.Hardswish, 0.001, 0.01, Stride = 2, Key = "features.#")] private readonly ConvNormAct stem;
    [Use(typeof(InvertedResidualV3), 3, 16, 16, false, Activation.ReLU, Key = "features.#")] private readonly InvertedResidualV3 block1;
    [Use(typeof(InvertedResidualV3), 3, 64, 24, false, Activation.ReLU, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block2;
    [Use(typeof(InvertedResidualV3), 3, 72, 24, false, Activation.ReLU, Key = "features.#")] private readonly InvertedResidualV3 block3;
    [Use(typeof(InvertedResidualV3), 5, 72, 40, true, Activation.ReLU, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block4;
    [Use(typeof(InvertedResidualV3), 5, 120, 40, true, Activation.ReLU, Key = "features.#")] private readonly InvertedResidualV3 block5;
    [Use(typeof(InvertedResidualV3), 5, 120, 40, true, Activation.ReLU, Key = "features.#")] private readonly InvertedResidualV3 block6;
    [Use(typeof(InvertedResidualV3), 3, 240, 80, false, Activation.Hardswish, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block7;
    [Use(typeof(InvertedResidualV3), 3, 200, 80, false, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block8;
    [Use(typeof(InvertedResidualV3), 3, 184, 80, false, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block9;
    [Use(typeof(InvertedResidualV3), 3, 184, 80, false, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block10;
    [Use(typeof(InvertedResidualV3), 3, 480, 112, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block11;
    [Use(typeof(InvertedResidualV3), 3, 672, 112, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block12;
    [Use(typeof(InvertedResidualV3), 5, 672, 160, true, Activation.Hardswish, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block13;
    [Use(typeof(InvertedResidualV3), 5, 960, 160, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block14;
    [Use(typeof(InvertedResidualV3), 5, 960, 160, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block15;
    [Use(typeof(ConvNormAct), 960, 1, 1, Activation.Hardswish, 0.001, 0.01, Key = "features.#")] private readonly ConvNormAct lastConv;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1280, Key = "classifier.#")] private readonly Linear fc1;
    [Hardswish(Key = "classifier.#")] private readonly Hardswish hardswish;
    [Dropout(0.2, Key = "classifier.#")] private readonly Dropout dropout;
    [Linear(1000, Key = "classifier.#")] private readonly Linear fc2;
}

/// <summary>MobileNetV3-Small as torchvision's <c>mobilenet_v3_small</c>: 2,542,856 parameters.</summary>
[Network(3, 224, 224)]
public partial class MobileNetV3Small
{
    [Use(typeof(ConvNormAct), 16, 3, 1, Activation.Hardswish, 0.001, 0.01, Stride = 2, Key = "features.#")] private readonly ConvNormAct stem;
    [Use(typeof(InvertedResidualV3), 3, 16, 16, true, Activation.ReLU, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block1;
    [Use(typeof(InvertedResidualV3), 3, 72, 24, false, Activation.ReLU, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block2;
    [Use(typeof(InvertedResidualV3), 3, 88, 24, false, Activation.ReLU, Key = "features.#")] private readonly InvertedResidualV3 block3;
    [Use(typeof(InvertedResidualV3), 5, 96, 40, true, Activation.Hardswish, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block4;
    [Use(typeof(InvertedResidualV3), 5, 240, 40, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block5;
    [Use(typeof(InvertedResidualV3), 5, 240, 40, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block6;
    [Use(typeof(InvertedResidualV3), 5, 120, 48, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block7;
    [Use(typeof(InvertedResidualV3), 5, 144, 48, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block8;
    [Use(typeof(InvertedResidualV3), 5, 288, 96, true, Activation.Hardswish, Stride = 2, Key = "features.#")] private readonly InvertedResidualV3 block9;
    [Use(typeof(InvertedResidualV3), 5, 576, 96, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block10;
    [Use(typeof(InvertedResidualV3), 5, 576, 96, true, Activation.Hardswish, Key = "features.#")] private readonly InvertedResidualV3 block11;
    [Use(typeof(ConvNormAct), 576, 1, 1, Activation.Hardswish, 0.001, 0.01, Key = "features.#")] private readonly ConvNormAct lastConv;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1024, Key = "classifier.#")] private readonly Linear fc1;
    [Hardswish(Key = "classifier.#")] private readonly Hardswish hardswish;
    [Dropout(0.2, Key = "classifier.#")] private readonly Dropout dropout;
    [Linear(1000, Key = "classifier.#")] private readonly Linear fc2;
}
