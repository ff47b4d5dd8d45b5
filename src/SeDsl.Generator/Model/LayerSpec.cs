namespace SeDsl.Generator.Model;

/// <summary>Mirrors <c>SeDsl.SqueezeOperator</c> (a test guards the two against drift).</summary>
internal enum SqueezeKind
{
    Average = 0,
    Max = 1,
}

/// <summary>Mirrors <c>SeDsl.ExcitationGate</c> (a test guards the two against drift).</summary>
internal enum GateKind
{
    Sigmoid = 0,
    ReLU = 1,
    Tanh = 2,
    HardSigmoid = 3,
}

/// <summary>Element-wise activations; each maps to one TorchSharp module.</summary>
internal enum ActivationKind
{
    ReLU,
    ReLU6,
    Sigmoid,
    Tanh,
    HardSigmoid,
    SiLU,
}

/// <summary>Where a layer of a residual block sits: on the body (the default), on the shortcut, or after the addition.</summary>
internal enum Placement
{
    Body,
    Shortcut,
    AfterAddition,
}

/// <summary>One declared layer: the field name (its submodule name) and the attribute's values.</summary>
internal abstract record LayerSpec(string Name)
{
    /// <summary>Where the layer sits in a residual block (<c>[OnShortcut]</c>, <c>[AfterAddition]</c>).</summary>
    public Placement Placement { get; init; }

    /// <summary>The field's identifier as written in C#, e.g. <c>@class</c> for the submodule named <c>class</c>.</summary>
    public string Identifier { get; init; } = Name;

    /// <summary>The layer kind as users write it, e.g. <c>Conv2d</c>; also the summary's "kind" column.</summary>
    public abstract string Kind { get; }
}

/// <summary>
/// <c>[Conv2d]</c>, or <c>[DepthwiseConv2d]</c> when <see cref="Depthwise"/>: then groups equal the input channels
/// and the output has input channels x <see cref="Multiplier"/>; <see cref="OutChannels"/> and <see cref="Groups"/> are unused.
/// </summary>
internal sealed record ConvSpec(string Name, bool Depthwise, int OutChannels, int Multiplier, int Kernel, int Stride, int Padding, int Dilation, int Groups, bool Bias)
    : LayerSpec(Name)
{
    /// <summary>The output-channel expression as written (inside blocks), or null for a literal <see cref="OutChannels"/>.</summary>
    public string? OutChannelsExpression { get; init; }

    /// <summary>The kernel width as written (equal to <see cref="Kernel"/> unless rectangular); null where the attribute has none.</summary>
    public int? KernelWidth { get; init; }

    /// <summary>The kernel width: <see cref="KernelWidth"/>, or <see cref="Kernel"/> for a square kernel.</summary>
    public int Width => KernelWidth ?? Kernel;

    /// <summary>Whether height and width of the kernel differ.</summary>
    public bool Rectangular => Width != Kernel;

    /// <summary>Zero padding of the height (<paramref name="height"/>) or width, with <c>Pad.Same</c> resolved per dimension.</summary>
    public long PaddingOf(bool height) =>
        Padding == Analysis.Padding.Same ? (long)Dilation * ((height ? Kernel : Width) - 1) / 2 : Padding;

    public override string Kind => Depthwise ? "DepthwiseConv2d" : "Conv2d";
}

internal sealed record BatchNormSpec(string Name, double Eps, double Momentum) : LayerSpec(Name)
{
    public override string Kind => "BatchNorm2d";
}

internal sealed record ActivationSpec(string Name, ActivationKind Activation) : LayerSpec(Name)
{
    public override string Kind => Activation.ToString();
}

/// <summary><c>[MaxPool2d]</c> or <c>[AvgPool2d]</c>; a <see cref="Stride"/> of 0 means "equal to the kernel".</summary>
internal sealed record PoolSpec(string Name, bool Max, int Kernel, int Stride, int Padding, bool CeilMode) : LayerSpec(Name)
{
    /// <summary>Average pooling only: whether padding counts in the average.</summary>
    public bool CountIncludePad { get; init; } = true;

    public override string Kind => Max ? "MaxPool2d" : "AvgPool2d";
}

internal sealed record GlobalPoolSpec(string Name, bool Max) : LayerSpec(Name)
{
    public override string Kind => Max ? "GlobalMaxPool" : "GlobalAvgPool";
}

internal sealed record FlattenSpec(string Name) : LayerSpec(Name)
{
    public override string Kind => "Flatten";
}

internal sealed record LinearSpec(string Name, int OutFeatures, bool Bias) : LayerSpec(Name)
{
    public override string Kind => "Linear";
}

internal sealed record DropoutSpec(string Name, double P) : LayerSpec(Name)
{
    public override string Kind => "Dropout";
}

internal sealed record IdentitySpec(string Name) : LayerSpec(Name)
{
    public override string Kind => "Identity";
}

internal sealed record ChannelShuffleSpec(string Name, int Groups) : LayerSpec(Name)
{
    public override string Kind => "ChannelShuffle";
}

internal sealed record SqueezeExciteSpec(string Name, int R, SqueezeKind Squeeze, GateKind Gate, int Divisor, bool Bias) : LayerSpec(Name)
{
    /// <summary>The reduction-ratio expression as written (inside blocks), or null for a literal <see cref="R"/>.</summary>
    public string? RExpression { get; init; }

    public override string Kind => "SqueezeExcite";
}

/// <summary>
/// <c>[Stage]</c>: <see cref="Block"/> repeated <see cref="Blocks"/> times, the first with <see cref="Stride"/>,
/// each given <see cref="Arguments"/> for the block's parameters.
/// </summary>
internal sealed record StageSpec(string Name, BlockSpec Block, int Blocks, EquatableArray<int> Arguments, int Stride) : LayerSpec(Name)
{
    public override string Kind => $"{Block.ClassName} x{Blocks}";
}

/// <summary>
/// <c>[Use]</c>: one block as a layer. <see cref="Arguments"/> are expression texts (plain numbers once resolved);
/// <see cref="Stride"/> may be <c>Strides.OfBlock</c> until resolved.
/// </summary>
internal sealed record UseSpec(string Name, BlockSpec Block, EquatableArray<string> Arguments, int Stride) : LayerSpec(Name)
{
    public override string Kind => Block.ClassName;
}

/// <summary>A <c>[Block]</c> class: its parameters (in declaration order) and body layers, as plain values.</summary>
internal sealed record BlockSpec(
    string Namespace,
    string ClassName,
    EquatableArray<string> Parameters,
    bool Residual,
    bool ReluAfterAddition,
    bool Parallel,
    int ShortcutKernel,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>The factor on the body's output before a residual addition (Inception-ResNet); 1 for none.</summary>
    public double ResidualScale { get; init; } = 1.0;

    /// <summary>Fully qualified C# name for generated code.</summary>
    public string QualifiedName => "global::" + (Namespace.Length == 0 ? "" : Namespace + ".") + ClassName;
}
