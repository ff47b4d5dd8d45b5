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
/// fully connected layers (C -> C/r -> C) and a gate, and scale each channel of the input by its weight.
/// Output shape equals input shape.
/// </summary>
/// <remarks>
/// The reduced width is <c>C / r</c> (integer division) with the default <see cref="Divisor"/> of 1, the paper's
/// rule. With a divisor d &gt; 1 it is timm's <c>make_divisible</c>: <c>max(d, floor(C/r + d/2) / d * d)</c>, which
/// timm's <c>seresnet*</c> checkpoints use with d = 8. The excitation layers are 1x1 convolutions named
/// <c>fc1</c> and <c>fc2</c>, so state_dict keys and shapes match timm's <c>SEModule</c>.
/// </remarks>
public sealed class SqueezeExciteAttribute : LayerAttribute
{
    /// <summary>An SE block with a fixed reduction ratio.</summary>
    /// <param name="r">Reduction ratio: the excitation bottleneck has C / r channels.</param>
    public SqueezeExciteAttribute(int r = 16)
    {
        R = r;
    }

    /// <summary>
    /// Inside a <see cref="BlockAttribute"/> class: the reduction ratio given by an expression over the block's
    /// parameters, such as <c>nameof(r)</c>, so that one block serves every ratio (the paper's ablation on r).
    /// </summary>
    /// <param name="r">The expression.</param>
    public SqueezeExciteAttribute(string r)
    {
        RExpression = r;
    }

    /// <summary>Reduction ratio r (0 when <see cref="RExpression"/> is used).</summary>
    public int R { get; }

    /// <summary>Expression for the reduction ratio inside a block, or <see langword="null"/>.</summary>
    public string? RExpression { get; }

    /// <summary>Squeeze operator. Default <see cref="SqueezeOperator.Average"/>.</summary>
    public SqueezeOperator Squeeze { get; set; } = SqueezeOperator.Average;

    /// <summary>Excitation gate. Default <see cref="ExcitationGate.Sigmoid"/>.</summary>
    public ExcitationGate Gate { get; set; } = ExcitationGate.Sigmoid;

    /// <summary>Round the reduced width to a multiple of this (timm's <c>rd_divisor</c>). Default 1: plain C / r.</summary>
    public int Divisor { get; set; } = 1;

    /// <summary>Whether the two excitation layers have biases. Default <see langword="true"/> (timm, the paper's Caffe model).</summary>
    public bool Bias { get; set; } = true;
}
