using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>
/// How one TorchSharp (or SeDsl runtime) construction is written in PyTorch: the callable, how many arguments go
/// positionally, PyTorch's names for TorchSharp's arguments, PyTorch's defaults (an argument equal to its default is
/// left out, as a person would), and the helper class it needs in the file.
/// </summary>
internal sealed record PythonLayer(string Callable, int Positional, IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, string> Defaults, PythonHelper Helper = PythonHelper.None);

/// <summary>Python code the export writes once per file, only where a layer needs it.</summary>
internal enum PythonHelper
{
    None,
    ReducedWidth,
    MakeDivisible,
    ActivationModule,
    SqueezeExcitation,
    ChannelShuffle,
    DropPath,
}

/// <summary>
/// The one mapping from constructions (each layer kind's <see cref="Construction"/>, as the analysis built it) to
/// PyTorch. A new layer kind whose factory is not here is exported as a <c>NotImplementedError</c> naming it, never as
/// a guess; <c>PyTorchExportTests</c> lists every kind of <c>LayerKinds.All</c> that still lacks a row.
/// </summary>
internal static class LayerMapping
{
    private const string ActivationLayer = "SeDsl.Layers.ActivationLayer";

    private static readonly Dictionary<string, string> None = new();

    private static readonly Dictionary<string, PythonLayer> ByFactory = new()
    {
        [Make.Nn + ".Conv2d"] = new("nn.Conv2d", 2, None, new Dictionary<string, string> { ["stride"] = "1", ["padding"] = "0", ["dilation"] = "1", ["groups"] = "1", ["bias"] = "True" }),
        [Make.Nn + ".BatchNorm2d"] = new("nn.BatchNorm2d", 1, None, new Dictionary<string, string> { ["eps"] = "1e-05", ["momentum"] = "0.1" }),
        [Make.Nn + ".ReLU"] = new("nn.ReLU", 0, None, new Dictionary<string, string> { ["inplace"] = "False" }),
        [Make.Nn + ".ReLU6"] = new("nn.ReLU6", 0, None, None),
        [Make.Nn + ".Sigmoid"] = new("nn.Sigmoid", 0, None, None),
        [Make.Nn + ".Tanh"] = new("nn.Tanh", 0, None, None),
        [Make.Nn + ".Hardsigmoid"] = new("nn.Hardsigmoid", 0, None, None),
        [Make.Nn + ".SiLU"] = new("nn.SiLU", 0, None, None),
        [Make.Nn + ".Hardswish"] = new("nn.Hardswish", 0, None, None),
        [Make.Nn + ".GELU"] = new("nn.GELU", 0, None, None),
        [Make.Nn + ".MaxPool2d"] = new("nn.MaxPool2d", 0, None, new Dictionary<string, string> { ["padding"] = "0", ["ceil_mode"] = "False" }),
        [Make.Nn + ".AvgPool2d"] = new("nn.AvgPool2d", 0, None, new Dictionary<string, string> { ["padding"] = "0", ["ceil_mode"] = "False", ["count_include_pad"] = "True" }),
        [Make.Nn + ".AdaptiveAvgPool2d"] = new("nn.AdaptiveAvgPool2d", 1, None, None),
        [Make.Nn + ".AdaptiveMaxPool2d"] = new("nn.AdaptiveMaxPool2d", 1, None, None),
        [Make.Nn + ".Flatten"] = new("nn.Flatten", 0, None, None),
        [Make.Nn + ".Linear"] = new("nn.Linear", 2, new Dictionary<string, string> { ["inputSize"] = "in_features", ["outputSize"] = "out_features", ["hasBias"] = "bias" }, new Dictionary<string, string> { ["bias"] = "True" }),
        [Make.Nn + ".Dropout"] = new("nn.Dropout", 0, None, new Dictionary<string, string> { ["p"] = "0.5" }),
        [Make.Nn + ".Identity"] = new("nn.Identity", 0, None, None),

        // Stochastic depth in row mode, as the runtime's DropPath: PyTorch 1.13 has it only in torchvision, so the file
        // writes it (no parameters, so the keys are unaffected).
        ["SeDsl.Layers.DropPath"] = new("DropPath", 1, None, None, PythonHelper.DropPath),

        // PyTorch 1.13's nn.ChannelShuffle has no backward ("derivative for channel_shuffle is not implemented"), so the
        // export writes the reshape-transpose form, which trains; it has no parameters, so the keys are unaffected.
        [Make.Nn + ".ChannelShuffle"] = new("ChannelShuffle", 1, None, None, PythonHelper.ChannelShuffle),
        ["SeDsl.Layers.SqueezeExcitation"] = new("SqueezeExcitation", 2, new Dictionary<string, string> { ["reducedChannels"] = "reduced_channels" }, new Dictionary<string, string> { ["squeeze"] = "SqueezeOperator.AVERAGE", ["gate"] = "ExcitationGate.SIGMOID", ["bias"] = "True", ["activation"] = "Activation.RELU" }, PythonHelper.SqueezeExcitation),

        // An activation chosen by a value: a constant becomes its module (None: nn.Identity, which has no keys either, and
        // the C# side registers an ActivationLayer there too); a parameter goes through the helper that picks the module.
        [ActivationLayer] = new("activation_module", 1, None, None, PythonHelper.ActivationModule),
    };

    /// <summary>The mapping of <paramref name="create"/>'s factory; null when the export has none.</summary>
    public static PythonLayer? Find(Construction create) => ByFactory.TryGetValue(create.Factory, out var layer) ? layer : null;

    /// <summary>Every factory the export maps, for the test that names the kinds still missing.</summary>
    public static IEnumerable<string> Factories => ByFactory.Keys.OrderBy(k => k, System.StringComparer.Ordinal);

    /// <summary>
    /// The PyTorch call for <paramref name="create"/>, with sizes printed by <paramref name="size"/>; helpers it needs are
    /// added to <paramref name="helpers"/>. Null when the factory has no mapping.
    /// </summary>
    public static string? Call(Construction create, System.Func<Expr, string> size, ISet<PythonHelper> helpers, bool inPlace)
    {
        if (Find(create) is not { } layer)
        {
            return null;
        }

        if (create.Factory == ActivationLayer && create.Arguments.Count == 1
            && (create.Arguments[0].Value is ArgumentValue.Size { Value: Expr.Member kind } ? kind.MemberName : create.Arguments[0].Value is ArgumentValue.Member member ? member.Name : null) is { } constant
            && PythonHelpers.ActivationModules.FirstOrDefault(a => a.Member == constant).Module is { } module)
        {
            return "nn." + module + "()";
        }

        if (layer.Helper != PythonHelper.None)
        {
            helpers.Add(layer.Helper);
        }

        var written = new List<string>();
        int index = 0;
        var arguments = create.Arguments.Select(a => (a.Name, a.Value)).ToList();
        if (inPlace)
        {
            arguments.Add(("inplace", new ArgumentValue.Flag(true)));
        }

        foreach (var (csName, value) in arguments)
        {
            string name = csName is null ? "" : layer.Names.TryGetValue(csName, out var renamed) ? renamed : PythonNames.Snake(csName);
            string text = Value(value, size, helpers);
            bool positional = csName is null || index < layer.Positional;
            index++;
            if (!positional && layer.Defaults.TryGetValue(name, out var fallback) && fallback == text)
            {
                continue;
            }

            // A stride equal to the kernel is PyTorch's default for pools.
            if (name == "stride" && layer.Callable.EndsWith("Pool2d", System.StringComparison.Ordinal)
                && arguments.FirstOrDefault(a => a.Name == "kernel_size").Value is { } kernel && Value(kernel, size, helpers) == text)
            {
                continue;
            }

            written.Add(positional ? text : name + "=" + text);
        }

        return layer.Callable + "(" + string.Join(", ", written) + ")";
    }

    private static string Value(ArgumentValue value, System.Func<Expr, string> size, ISet<PythonHelper> helpers) => value switch
    {
        ArgumentValue.Size s => Track(s.Value, size, helpers),
        ArgumentValue.Pair p when p.Height.Equals(p.Width) => Track(p.Height, size, helpers),
        ArgumentValue.Pair p => $"({Track(p.Height, size, helpers)}, {Track(p.Width, size, helpers)})",
        ArgumentValue.Sizes s when s.Values.Distinct().Count() == 1 => PythonWriter.Literal(s.Values[0]),
        ArgumentValue.Sizes s => "(" + string.Join(", ", s.Values.Select(PythonWriter.Literal)) + ")",
        ArgumentValue.Flag f => PythonWriter.Literal(f.Value),
        ArgumentValue.Real r => PythonWriter.Literal(r.Value),

        ArgumentValue.Member m => size(new Expr.Member(m.Type, m.Name, 0)),
        _ => throw new System.NotSupportedException("the construction argument " + value + " has no Python form"),
    };

    private static string Track(Expr value, System.Func<Expr, string> size, ISet<PythonHelper> helpers)
    {
        if (PythonExpr.Uses(value, SizeFunction.ReducedWidth))
        {
            helpers.Add(PythonHelper.ReducedWidth);
        }

        return size(value);
    }
}
