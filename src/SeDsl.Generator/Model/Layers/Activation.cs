using System.Linq;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>Element-wise activations; each maps to one TorchSharp module.</summary>
internal enum ActivationKind
{
    ReLU,
    ReLU6,
    Sigmoid,
    Tanh,
    HardSigmoid,
    SiLU,
    Hardswish,
    GELU,
}

/// <summary>
/// <c>[ReLU]</c>, <c>[ReLU6]</c>, <c>[Sigmoid]</c>, <c>[Tanh]</c>, <c>[HardSigmoid]</c>, <c>[SiLU]</c>: shape unchanged, no
/// parameters. On the fused path each runs in place on a temporary (<see cref="InPlace"/>); on the training path a ReLU
/// after a layer that keeps none of its output for backward is created with <c>inplace: true</c>.
/// </summary>
internal sealed record ActivationSpec(string Name, ActivationKind Activation) : LayerSpec(Name)
{
    public static readonly LayerKind ReLU = Of(ActivationKind.ReLU, "ReLU");
    public static readonly LayerKind ReLU6 = Of(ActivationKind.ReLU6, "ReLU6");
    public static readonly LayerKind Sigmoid = Of(ActivationKind.Sigmoid, "Sigmoid");
    public static readonly LayerKind Tanh = Of(ActivationKind.Tanh, "Tanh");
    public static readonly LayerKind HardSigmoid = Of(ActivationKind.HardSigmoid, "Hardsigmoid");
    public static readonly LayerKind SiLU = Of(ActivationKind.SiLU, "SiLU");
    public static readonly LayerKind Hardswish = Of(ActivationKind.Hardswish, "Hardswish");
    public static readonly LayerKind GELU = Of(ActivationKind.GELU, "GELU");

    public override string Kind => Activation.ToString();

    public override bool NeedsSpatialInput => false;

    /// <summary>The TorchSharp module's name, e.g. <c>Hardsigmoid</c>.</summary>
    public string Module => ModuleName(Activation);

    /// <summary>The activation applied in place to a tensor: a tensor method, or a functional form taking <c>inplace</c>.</summary>
    public (string Method, bool Functional, string Arguments) InPlace => Activation switch
    {
        ActivationKind.ReLU => ("relu_", false, ""),
        ActivationKind.ReLU6 => ("clamp_", false, "0.0, 6.0"),
        ActivationKind.Sigmoid => ("sigmoid_", false, ""),
        ActivationKind.Tanh => ("tanh_", false, ""),
        ActivationKind.HardSigmoid => ("hardsigmoid", true, "inplace: true"),
        ActivationKind.Hardswish => ("hardswish_", false, ""),
        ActivationKind.GELU => ("gelu_", false, ""),
        _ => ("silu", true, "inplace: true"),
    };

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink) =>
        Free(input, Make.Call(Make.Nn + "." + Module));

    private static LayerKind Of(ActivationKind activation, string module) =>
        new("SeDsl." + activation + "Attribute", "TorchSharp.Modules." + module, (n, _) => new ActivationSpec(n, activation));

    private static string ModuleName(ActivationKind activation) => activation == ActivationKind.HardSigmoid ? "Hardsigmoid" : activation.ToString();
}

/// <summary>
/// <c>[Activation(kind)]</c>: an activation chosen by an <c>SeDsl.Activation</c> value, which inside a block may be a
/// parameter (<c>nameof(activation)</c>) or an expression. Created as <c>SeDsl.Layers.ActivationLayer</c> and always
/// called as a module; shape unchanged, no parameters.
/// </summary>
internal sealed record ChosenActivationSpec(string Name, Expr Activation) : LayerSpec(Name)
{
    public const string EnumType = "SeDsl.Activation";

    /// <summary>The enum's type, with the members that the runtime's <c>SeDsl.Activation</c> has (a test guards the two).</summary>
    public static readonly DslType Type = DslType.Enum(EnumType, new[]
    {
        "ReLU", "ReLU6", "Sigmoid", "Tanh", "HardSigmoid", "SiLU", "Hardswish", "GELU", "None",
    }.Select((m, i) => new EnumMember(m, i)).ToEquatableArray());

    public static readonly LayerKind Kind1 = new("SeDsl.ActivationAttribute", "SeDsl.Layers.ActivationLayer", (n, a) =>
        a.Value("Activation", new Expr.Member(EnumType, "ReLU", 0), Type) is { } kind ? new ChosenActivationSpec(n, kind) : null);

    public override string Kind => "Activation";

    public override bool NeedsSpatialInput => false;

    public override bool MayReturnInput => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        if (scope.Size(Activation, name, "Activation", sink) is not { } kind)
        {
            return null;
        }

        if (kind is Expr.Member m && Type.MemberOf(m.Value) is null)
        {
            sink.Add(DiagnosticIds.InvalidArgument, "Activation", name, "Activation", "a named SeDsl.Activation value", m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "Layer");
            return null;
        }

        return Free(input, Make.New("SeDsl.Layers.ActivationLayer", new ConstructionArgument(null, ArgumentValue.Of(kind))));
    }
}
