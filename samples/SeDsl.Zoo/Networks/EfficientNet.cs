using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// EfficientNet's MBConv (torchvision's <c>MBConv</c>): a 1x1 expansion to make_divisible(in x expand, 8) channels
/// when the ratio is not 1, a depthwise k x k convolution with the block's stride, an SE block of width
/// max(1, in / 4) with SiLU inside, and a linear 1x1 projection; the input is added when stride and channels are
/// unchanged, after stochastic depth with rate <c>dropRate</c> on the body. Activations are SiLU.
/// </summary>
[Block(Residual = true, Shortcut = ShortcutPolicy.IdentityOrNone, AfterAddition = ResidualActivation.None)]
public partial class MBConv
{
    [Param] private readonly int expand;
    [Param] private readonly int kernel;
    [Param] private readonly int outChannels;
    [Param] private readonly double dropRate;

    [Use(typeof(ConvNormAct), "makeDivisible(inChannels * expand, 8)", 1, 1, Activation.SiLU, 1e-5, 0.1, When = "expand != 1", Key = "block.#")] private readonly ConvNormAct? expansion;
    [Use(typeof(ConvNormAct), "makeDivisible(inChannels * expand, 8)", nameof(kernel), "makeDivisible(inChannels * expand, 8)", Activation.SiLU, 1e-5, 0.1, Stride = Strides.OfBlock, Key = "block.#")] private readonly ConvNormAct depthwise;
    [SqueezeExcite(Width = "max(1, inChannels / 4)", InnerActivation = Activation.SiLU, Key = "block.#")] private readonly SqueezeExcitation squeeze;
    [Use(typeof(ConvNormAct), nameof(outChannels), 1, 1, Activation.None, 1e-5, 0.1, Key = "block.#")] private readonly ConvNormAct project;
    [DropPath(nameof(dropRate), When = "stride == 1 && inChannels == outChannels")] private readonly DropPath? stochasticDepth;
}

/// <summary>
/// EfficientNet-B0 as torchvision's <c>efficientnet_b0</c>: 5,288,548 parameters. Block i of the 16 (counted from 0 over
/// the stages) has stochastic depth 0.2 x i / 16, as torchvision's <c>stochastic_depth_prob</c> gives it.
/// </summary>
[Network(3, 224, 224)]
public partial class EfficientNetB0
{
    [Use(typeof(ConvNormAct), 32, 3, 1, Activation.SiLU, 1e-5, 0.1, Stride = 2, Key = "features.#")] private readonly ConvNormAct stem;
    [Stage(typeof(MBConv), 1, 1, 3, 16, "0.2 * index / 16", Key = "features.#")] private readonly Sequential stage1;
    [Stage(typeof(MBConv), 2, 6, 3, 24, "0.2 * (1 + index) / 16", Stride = 2, Key = "features.#")] private readonly Sequential stage2;
    [Stage(typeof(MBConv), 2, 6, 5, 40, "0.2 * (3 + index) / 16", Stride = 2, Key = "features.#")] private readonly Sequential stage3;
    [Stage(typeof(MBConv), 3, 6, 3, 80, "0.2 * (5 + index) / 16", Stride = 2, Key = "features.#")] private readonly Sequential stage4;
    [Stage(typeof(MBConv), 3, 6, 5, 112, "0.2 * (8 + index) / 16", Key = "features.#")] private readonly Sequential stage5;
    [Stage(typeof(MBConv), 4, 6, 5, 192, "0.2 * (11 + index) / 16", Stride = 2, Key = "features.#")] private readonly Sequential stage6;
    [Stage(typeof(MBConv), 1, 6, 3, 320, "0.2 * (15 + index) / 16", Key = "features.#")] private readonly Sequential stage7;
    [Use(typeof(ConvNormAct), 1280, 1, 1, Activation.SiLU, 1e-5, 0.1, Key = "features.#")] private readonly ConvNormAct lastConv;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Dropout(0.2, Key = "classifier.#")] private readonly Dropout dropout;
    [Linear(1000, Key = "classifier.#")] private readonly Linear fc;
}
