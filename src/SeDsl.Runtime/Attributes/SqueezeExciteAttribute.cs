namespace SeDsl;

/// <summary>How the squeeze step summarises each channel.</summary>
public enum SqueezeOperator
{
    /// <summary>Global average pooling, as in the paper.</summary>
    Average,

    /// <summary>Global max pooling (the paper's ablation, Table 11).</summary>
    Max,
}

/// <summary>The non-linearity that turns excitation logits into channel weights.</summary>
public enum ExcitationGate
{
    /// <summary>Logistic sigmoid, as in the paper.</summary>
    Sigmoid,

    /// <summary>ReLU (the paper's ablation, Table 12).</summary>
    ReLU,

    /// <summary>Hyperbolic tangent (the paper's ablation, Table 12).</summary>
    Tanh,

    /// <summary>Piecewise-linear sigmoid, as MobileNetV3 uses.</summary>
    HardSigmoid,
}

/// <summary>
/// A Squeeze-and-Excitation block: squeeze each channel to one number, pass the C numbers through two
/// fully connected layers (C -> width -> C) with an activation between them and a gate after, and scale each channel of
/// the input by its weight. Output shape equals input shape.
/// </summary>
/// <remarks>
/// <para>The width is the paper's <c>C / r</c> (integer division) with the default <see cref="Divisor"/> of 1. With a
/// divisor d &gt; 1 it is timm's SE rounding, <c>max(d, floor(C/r + d/2) / d * d)</c>, which timm's <c>seresnet*</c>
/// checkpoints use with d = 8 (no 0.9 round-up: 72 channels with r = 4 and d = 8 give 16).</para>
/// <para>Or the width is stated with <see cref="Width"/>: a number or, inside a block, an expression over the block's
/// parameters and <c>inChannels</c> (the block's input channels), with <c>max</c>, <c>min</c> and torchvision's
/// <c>makeDivisible(v, d)</c> (with its 0.9 round-up: <c>makeDivisible(72 / 4, 8)</c> is 24). EfficientNet-B0:
/// <c>Width = "max(1, inChannels / 4)"</c>; MobileNetV3: <c>Width = "makeDivisible(expanded / 4, 8)"</c>; RegNetY:
/// <c>Width = "inChannels / 4"</c>.</para>
/// <para>The excitation layers are 1x1 convolutions named <c>fc1</c> and <c>fc2</c>, so state_dict keys and shapes
/// match timm's <c>SEModule</c> and torchvision's <c>SqueezeExcitation</c>.</para>
/// </remarks>
public sealed class SqueezeExciteAttribute : LayerAttribute
{
    /// <summary>An SE block with the paper's reduction ratio r = 16, or a stated <see cref="Width"/>.</summary>
    public SqueezeExciteAttribute()
    {
    }

    /// <summary>An SE block with a reduction ratio.</summary>
    /// <param name="r">
    /// Reduction ratio: the excitation bottleneck has C / r channels. An int or, inside a block, an expression string
    /// such as <c>nameof(r)</c> (a ratio, not a width: use <see cref="Width"/> to state the width).
    /// </param>
    public SqueezeExciteAttribute(object r)
    {
        R = r;
    }

    /// <summary>Reduction ratio r. Default 16.</summary>
    public object R { get; } = 16;

    /// <summary>The width of the excitation bottleneck, stated instead of derived from <see cref="R"/>; null (the default) for the ratio rule.</summary>
    public object? Width { get; set; }

    /// <summary>Squeeze operator: a <see cref="SqueezeOperator"/> or, in a block, an expression. Default <see cref="SqueezeOperator.Average"/>.</summary>
    public object Squeeze { get; set; } = SqueezeOperator.Average;

    /// <summary>Excitation gate: an <see cref="ExcitationGate"/> or, in a block, an expression. Default <see cref="ExcitationGate.Sigmoid"/>.</summary>
    public object Gate { get; set; } = ExcitationGate.Sigmoid;

    /// <summary>
    /// The activation between the two excitation layers: an <see cref="SeDsl.Activation"/> or, in a block, an expression.
    /// Default <see cref="SeDsl.Activation.ReLU"/> (the paper, timm, MobileNetV3); EfficientNet uses SiLU.
    /// </summary>
    public object InnerActivation { get; set; } = SeDsl.Activation.ReLU;

    /// <summary>Round the ratio's width to a multiple of this (timm's <c>rd_divisor</c>). Default 1: plain C / r.</summary>
    public object Divisor { get; set; } = 1;

    /// <summary>Whether the two excitation layers have biases. Default <see langword="true"/> (timm, torchvision, the paper's Caffe model).</summary>
    public bool Bias { get; set; } = true;
}
