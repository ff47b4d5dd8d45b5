using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// What a valid network of <see cref="FuzzClasses.LanguageV2"/> must be, computed by the fuzzer's own model of
/// every layer (never by the generator): its parameters, the shape of one output sample and its parameters by name.
/// </summary>
/// <param name="Network">The network's qualified name.</param>
/// <param name="Input">The declared input shape (channels, height, width).</param>
/// <param name="ParameterCount">Learnable parameters.</param>
/// <param name="OutputShape">The output of one sample: channels, height, width, or the features of a flat output.</param>
/// <param name="Parameters">Each learnable tensor's state_dict name and element count.</param>
public sealed record FuzzExpectation(string Network, IReadOnlyList<long> Input, long ParameterCount, IReadOnlyList<long> OutputShape, IReadOnlyDictionary<string, long> Parameters)
{
    /// <summary>
    /// The doubles that reach layers (<see cref="FuzzClasses.StageIndex"/>): each <c>DropPath</c>'s and <c>Dropout</c>'s p
    /// and each batch norm's eps by module path, as C# computes them; empty for the other classes.
    /// </summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>Each block's output channels by module path (<c>stage.0</c>, <c>use</c>); empty for the other classes.</summary>
    public IReadOnlyDictionary<string, long> BlockChannels { get; init; } = new Dictionary<string, long>();
}

/// <summary>
/// The language-v2 mechanisms (<see cref="FuzzClasses.LanguageV2"/>): blocks with typed parameters (int, bool,
/// double, <c>SeDsl.Activation</c>, <c>SqueezeOperator</c>, <c>ExcitationGate</c>), expressions in every argument
/// (<c>?:</c>, <c>max</c>, <c>min</c>, <c>makeDivisible</c>, comparisons), optional layers (<c>When</c>), SEs with a
/// stated width, inner activation, squeeze and gate, blocks used inside blocks with typed arguments, and state keys
/// (<c>Key</c>, <c>ChildKey</c>). Everything here draws from <see cref="variants"/> only, and is appended after the
/// rest of the case, so the other classes' cases keep their text.
/// </summary>
public sealed partial class NetworkFuzzer
{
    private static readonly string[] ActivationMembers = ["ReLU", "ReLU6", "Sigmoid", "Tanh", "HardSigmoid", "SiLU", "Hardswish", "GELU", "None"];
    private static readonly string[] SqueezeMembers = ["Average", "Max"];
    private static readonly string[] GateMembers = ["Sigmoid", "ReLU", "Tanh", "HardSigmoid"];

    /// <summary>The random stream of <see cref="FuzzClasses.LanguageV2"/>; nothing else draws from it.</summary>
    private readonly Random variants;
    private readonly List<VBlock> variantBlocks = new();
    private readonly List<FuzzExpectation> expectations = new();
    private readonly List<string> variantNetworks = new();
    private string? expectedId;
    private bool singleError;
    private int variantCounter;

    /// <summary>A value of the model's expressions that the generator must reject for this use (a channel count below 1 ...).</summary>
    private sealed class OutOfRange : Exception
    {
    }

    /// <summary>A typed value: long for ints, bool, double, or the member name of an enum.</summary>
    private sealed class Env : Dictionary<string, object>
    {
        public long Int(string name) => (long)this[name];

        public bool Bool(string name) => (bool)this[name];

        public double Double(string name) => (double)this[name];

        public string Enum(string name) => (string)this[name];
    }

    /// <summary>An expression as written in the attribute, and its value under the model.</summary>
    private sealed record Expr<T>(string Text, Func<Env, T> Value);

    /// <summary>A block parameter: name, C# type, and the values a use may pass (text and value).</summary>
    private sealed record VParam(string Name, string Type, (string Text, object Value)[] Values);

    /// <summary>One present layer's effect: output channels and learnable tensors by suffix.</summary>
    private sealed record Effect(long Channels, List<(string Name, long Count)> Tensors);

    /// <summary>A body layer: field, key (or null), condition (or null), and its effect from (environment, input channels).</summary>
    private sealed record VLayer(string Field, string? Key, Expr<bool>? When, Func<Env, long, Effect> Apply);

    private sealed class VBlock
    {
        public required string Name { get; init; }

        public required List<VParam> Parameters { get; init; }

        public required List<VLayer> Layers { get; init; }

        public bool Residual { get; init; }

        public bool IdentityOrNone { get; init; }

        public string ShortcutName { get; init; } = "downsample";

        public required List<string> Lines { get; init; }

        public required string Header { get; init; }

        /// <summary>The block's output channels and tensors (names relative to the block) for one use; throws <see cref="OutOfRange"/>.</summary>
        public Effect Apply(Env arguments, long inChannels)
        {
            var env = new Env { ["inChannels"] = inChannels };
            foreach (var (key, value) in arguments)
            {
                env[key] = value;
            }

            var tensors = new List<(string, long)>();
            var appended = new Dictionary<string, int>(StringComparer.Ordinal);
            long channels = inChannels;
            foreach (var layer in Layers)
            {
                if (layer.When is not null && !layer.When.Value(env))
                {
                    continue;
                }

                string path = Path(layer.Key ?? layer.Field, appended);
                var effect = layer.Apply(env, channels);
                tensors.AddRange(effect.Tensors.Select(t => (path + "." + t.Name, t.Count)));
                channels = effect.Channels;
            }

            if (Residual && !IdentityOrNone && channels != inChannels)
            {
                tensors.Add((ShortcutName + ".0.weight", channels * inChannels));
                tensors.Add((ShortcutName + ".1.weight", channels));
                tensors.Add((ShortcutName + ".1.bias", channels));
            }

            return new Effect(channels, tensors);
        }
    }

    /// <summary>A key's path: a last segment <c>#</c> takes the next index of its container.</summary>
    private static string Path(string key, Dictionary<string, int> appended)
    {
        if (!key.EndsWith(".#", StringComparison.Ordinal))
        {
            return key;
        }

        string container = key[..^2];
        appended.TryGetValue(container, out int next);
        appended[container] = next + 1;
        return container + "." + next.ToString(CultureInfo.InvariantCulture);
    }

    private bool V(int oneIn) => variants.Next(oneIn) == 0;

    private T VPick<T>(params T[] options) => options[variants.Next(options.Length)];

    private string VName(string stem) => "v" + stem + (++variantCounter).ToString(CultureInfo.InvariantCulture);

    private static long Checked(long value) => value is >= 1 and <= MaxChannels ? value : throw new OutOfRange();

    /// <summary>torchvision's <c>_make_divisible</c>, written out again from its definition.</summary>
    private static long MakeDivisible(long value, long divisor)
    {
        if (value < 1 || divisor < 1)
        {
            throw new OutOfRange();
        }

        long rounded = Math.Max(divisor, (value + (divisor / 2)) / divisor * divisor);
        return 10 * rounded < 9 * value ? rounded + divisor : rounded;
    }

    // ----- the group: blocks and one network -----

    /// <summary>
    /// The language-v2 declarations appended to a case: one or two typed blocks and a network using them. When
    /// <paramref name="mayPlant"/> (the rest of the case is valid), about half the groups get exactly one defect.
    /// </summary>
    private string WriteVariants(bool mayPlant)
    {
        if (V(5) && !mayPlant)
        {
            return "";
        }

        used |= FuzzClasses.LanguageV2;
        int plant = mayPlant && V(2) ? variants.Next(VariantDefects) : -1;
        int blockCount = 1 + variants.Next(2);
        for (int i = 0; i < blockCount; i++)
        {
            variantBlocks.Add(VariantBlock(i));
        }

        var network = VariantNetwork(out var expectation);
        string? extraBlock = plant >= 0 ? PlantVariantDefect(plant, network) : null;

        var text = new StringBuilder();
        foreach (var block in variantBlocks)
        {
            text.Append("\n[").Append(block.Header).Append("]\npublic partial class ").Append(block.Name).Append("\n{\n");
            foreach (string line in block.Lines)
            {
                text.Append(line).Append('\n');
            }

            text.Append("}\n");
        }

        text.Append(extraBlock);
        text.Append("\n[Network(").Append(string.Join(", ", network.Input.Select(N))).Append(")]\npublic partial class ").Append(network.Name).Append("\n{\n");
        foreach (string line in network.Lines)
        {
            text.Append(line).Append('\n');
        }

        text.Append("}\n");
        if (plant < 0)
        {
            string qualifier = ns.Length == 0 ? "" : ns + ".";
            expectations.Add(expectation with { Network = qualifier + network.Name });
            variantNetworks.Add(network.Name);
        }

        return text.ToString();
    }

    private sealed record VNetwork(string Name, long[] Input, List<string> Lines, List<VUse> Uses, List<string> UnkeyedFields);

    /// <summary>A use or stage of a typed block in the network, as written.</summary>
    private sealed record VUse(string Field, VBlock Block, int Repeats, bool Stage, List<string> Arguments, List<string> Extras, string Type)
    {
        public string Line(IEnumerable<string> arguments, IEnumerable<string> extras) =>
            $"    [{WithArguments((Stage ? "Stage" : "Use") + $"(typeof({Block.Name}){(Stage ? ", " + N(Repeats) : "")}{string.Concat(arguments.Select(a => ", " + a))})", extras.ToList())}] private readonly {Type} {Field};";
    }

    private VBlock VariantBlock(int index)
    {
        string name = prefix + "V2Block" + index.ToString(CultureInfo.InvariantCulture);
        var all = new List<VParam>
        {
            new("width", "int", [("4", 4L), ("8", 8L), ("12", 12L), ("16", 16L), ("24", 24L), ("32", 32L), ("64", 64L)]),
            new("kernel", "int", [("1", 1L), ("3", 3L), ("5", 5L)]),
            new("se", "bool", [("true", true), ("false", false)]),
            new("eps", "double", [("1e-5", 1e-5), ("0.001", 0.001), ("1", 1.0)]),
            new("drop", "double", [("0", 0.0), ("0.25", 0.25), ("0.5", 0.5), ("1", 1.0)]),
            new("act", "Activation", ActivationMembers.Select(m => ("Activation." + m, (object)m)).ToArray()),
            new("squeeze", "SqueezeOperator", SqueezeMembers.Select(m => ("SqueezeOperator." + m, (object)m)).ToArray()),
            new("gate", "ExcitationGate", GateMembers.Select(m => ("ExcitationGate." + m, (object)m)).ToArray()),
        };

        // width always; the others by chance, in a shuffled declaration order.
        var parameters = all.Take(1).Concat(all.Skip(1).Where(_ => V(2))).OrderBy(_ => variants.Next()).ToList();
        var has = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        bool residual = V(3);
        bool identityOrNone = residual && V(3);
        string shortcutName = residual && !identityOrNone && V(4) ? "proj" : "downsample";
        int keyStyle = variants.Next(4);   // 0 none, 1 some appended under "ops", 2 some named at the top, 3 named under "body"

        var lines = parameters.Select(p => $"    [Param] private readonly {p.Type} {p.Name};").ToList();
        var layers = new List<VLayer>();
        var inner = variantBlocks.ToList();
        int count = 1 + variants.Next(5);
        for (int i = 0; i < count; i++)
        {
            var (attribute, type, stem, apply) = VariantLayer(has, inner);
            string field = VName(stem);
            Expr<bool>? when = (has.Contains("se") || has.Count > 1) && V(3) ? Condition(has) : null;
            string? key = keyStyle switch
            {
                1 when V(2) => "ops.#",
                2 when V(2) => layers.Count.ToString(CultureInfo.InvariantCulture),
                3 when V(2) => "body." + field,
                _ => null,
            };

            var extras = new List<string>();
            if (when is not null)
            {
                extras.Add("When = " + when.Text);
            }

            if (key is not null)
            {
                extras.Add($"Key = \"{key}\"");
            }

            lines.Add($"    [{WithArguments(attribute, extras)}] private readonly {type}{(when is null ? "" : "?")} {field};");
            layers.Add(new VLayer(field, key, when, apply));
        }

        var header = new List<string>();
        if (residual)
        {
            header.Add("Residual = true");
            if (identityOrNone)
            {
                header.Add("Shortcut = ShortcutPolicy.IdentityOrNone");
                header.Add("AfterAddition = ResidualActivation.None");
            }
            else if (shortcutName != "downsample")
            {
                header.Add($"ShortcutName = \"{shortcutName}\"");
            }
        }

        return new VBlock
        {
            Name = name,
            Parameters = parameters,
            Layers = layers,
            Residual = residual,
            IdentityOrNone = identityOrNone,
            ShortcutName = shortcutName,
            Lines = lines,
            Header = header.Count == 0 ? "Block" : $"Block({string.Join(", ", header)})",
        };
    }

    /// <summary>An attribute with more named arguments: <c>ReLU</c> + [When = x] is <c>ReLU(When = x)</c>.</summary>
    private static string WithArguments(string attribute, List<string> extras)
    {
        if (extras.Count == 0)
        {
            return attribute;
        }

        return attribute.EndsWith(')')
            ? attribute[..^1] + (attribute.EndsWith("()", StringComparison.Ordinal) ? "" : ", ") + string.Join(", ", extras) + ")"
            : attribute + "(" + string.Join(", ", extras) + ")";
    }

    /// <summary>A body layer of a typed block: its attribute, field type, field stem and effect.</summary>
    private (string Attribute, string Type, string Stem, Func<Env, long, Effect> Apply) VariantLayer(HashSet<string> has, List<VBlock> inner)
    {
        int roll = variants.Next(inner.Count > 0 ? 11 : 10);
        switch (roll)
        {
            case 0:
            case 1:
                {
                    var outChannels = ChannelsExpr(has);
                    var (kernelText, paddingText, kernel) = KernelExpr(has);
                    bool bias = V(2);
                    string biasText = bias && V(2) ? "" : ", Bias = " + (bias ? "true" : "false");
                    string padding = paddingText is null ? "" : ", Padding = " + paddingText;
                    return ($"Conv2d({outChannels.Text}, {kernelText}{padding}{biasText})", "Conv2d", "conv", (e, c) =>
                    {
                        long o = Checked(outChannels.Value(e));
                        long k = kernel(e);
                        var tensors = new List<(string, long)> { ("weight", o * c * k * k) };
                        if (bias)
                        {
                            tensors.Add(("bias", o));
                        }

                        return new Effect(o, tensors);
                    }
                    );
                }

            case 2:
                {
                    var (kernelText, paddingText, kernel) = KernelExpr(has);
                    long m = VPick(1, 2);
                    var multiplier = has.Contains("se") && V(2) ? new Expr<long>("\"se ? 2 : 1\"", e => e.Bool("se") ? 2 : 1) : new Expr<long>(N(m), _ => m);

                    string padding = paddingText is null ? "" : ", Padding = " + paddingText;
                    return ($"DepthwiseConv2d({kernelText}, Multiplier = {multiplier.Text}{padding}, Bias = false)", "Conv2d", "dw", (e, c) =>
                    {
                        long o = Checked(c * multiplier.Value(e));
                        long k = kernel(e);
                        return new Effect(o, [("weight", o * k * k)]);
                    }
                    );
                }

            case 3:
                {
                    string eps = has.Contains("eps") && !V(3) ? "nameof(eps)" : VPick("0.001", "1e-5");
                    string momentum = V(3) ? ", Momentum = 0.01" : "";
                    return ($"BatchNorm2d(Eps = {eps}{momentum})", "BatchNorm2d", "bn", (_, c) => new Effect(c, [("weight", c), ("bias", c)]));
                }

            case 4:
                {
                    var activation = EnumExpr(has, "act", "Activation", ActivationMembers);
                    return ($"Activation({activation.Text})", "ActivationLayer", "act", (e, c) =>
                    {
                        _ = activation.Value(e);
                        return new Effect(c, []);
                    }
                    );
                }

            case 5:
            case 6:
                {
                    var width = SeWidthExpr(has);
                    var arguments = new List<string> { "Width = " + width.Text };
                    if (V(2))
                    {
                        arguments.Add("InnerActivation = " + EnumExpr(has, "act", "Activation", ActivationMembers).Text);
                    }

                    if (V(2))
                    {
                        arguments.Add("Squeeze = " + EnumExpr(has, "squeeze", "SqueezeOperator", SqueezeMembers).Text);
                    }

                    if (V(2))
                    {
                        arguments.Add("Gate = " + EnumExpr(has, "gate", "ExcitationGate", GateMembers).Text);
                    }

                    bool bias = !V(3);
                    if (!bias)
                    {
                        arguments.Add("Bias = false");
                    }

                    arguments = arguments.OrderBy(_ => variants.Next()).ToList();
                    return ($"SqueezeExcite({string.Join(", ", arguments)})", "SqueezeExcitation", "se", (e, c) =>
                    {
                        long w = Checked(width.Value(e));
                        var tensors = new List<(string, long)> { ("fc1.weight", w * c), ("fc2.weight", c * w) };
                        if (bias)
                        {
                            tensors.Insert(1, ("fc1.bias", w));
                            tensors.Add(("fc2.bias", c));
                        }

                        return new Effect(c, tensors);
                    }
                    );
                }

            case 7:
                {
                    string p = has.Contains("drop") && !V(3) ? "nameof(drop)" : VPick("0.2", "0", "1");
                    return ($"Dropout({p})", "Dropout", "drop", (_, c) => new Effect(c, []));
                }

            case 8 when has.Contains("kernel"):
                return ($"MaxPool2d(nameof(kernel), Stride = 1, Padding = {VPick("\"kernel / 2\"", "\"(kernel - 1) / 2\"")})", "MaxPool2d", "pool", (_, c) => new Effect(c, []));

            case 10:
                {
                    var block = inner[variants.Next(inner.Count)];
                    var arguments = block.Parameters.Select(p => ArgumentExpr(has, p)).ToList();
                    string args = string.Concat(arguments.Select(a => ", " + a.Text));
                    return ($"Use(typeof({block.Name}){args})", VPick(block.Name, ModuleOfTensors), "inner", (e, c) =>
                    {
                        var env = new Env();
                        for (int i = 0; i < arguments.Count; i++)
                        {
                            env[block.Parameters[i].Name] = arguments[i].Value(e);
                        }

                        return block.Apply(env, c);
                    }
                    );
                }

            default:
                string kind = VPick("ReLU", "Identity", "SiLU");
                return (kind, kind, "keep", (_, c) => new Effect(c, []));
        }
    }

    /// <summary>An argument of a block used inside a block: a constant of the parameter's type or an expression over the outer block's parameters.</summary>
    private Expr<object> ArgumentExpr(HashSet<string> has, VParam parameter)
    {
        switch (parameter.Type)
        {
            case "int" when parameter.Name == "kernel":
                if (has.Contains("kernel") && V(2))
                {
                    return new Expr<object>("nameof(kernel)", e => e.Int("kernel"));
                }

                if (has.Contains("se") && V(2))
                {
                    return new Expr<object>("\"se ? 3 : 1\"", e => e.Bool("se") ? 3L : 1L);
                }

                break;
            case "int":
                if (V(3))
                {
                    break;
                }

                return VPick(
                    new Expr<object>("nameof(width)", e => e.Int("width")),
                    new Expr<object>("\"width / 2\"", e => e.Int("width") / 2),
                    new Expr<object>("\"max(4, inChannels / 2)\"", e => Math.Max(4, e.Int("inChannels") / 2)),
                    new Expr<object>("\"min(width, 16) + 1\"", e => Math.Min(e.Int("width"), 16) + 1));
            case "bool":
                if (has.Contains("se") && V(2))
                {
                    return VPick(new Expr<object>("nameof(se)", e => e.Bool("se")), new Expr<object>("\"!se\"", e => !e.Bool("se")));
                }

                if (V(2))
                {
                    return new Expr<object>("\"width >= 16\"", e => e.Int("width") >= 16);
                }

                break;
            case "double":
                if (has.Contains(parameter.Name) && V(2))
                {
                    return new Expr<object>($"nameof({parameter.Name})", e => e.Double(parameter.Name));
                }

                break;
            default:
                string enumName = parameter.Name;
                if (has.Contains(enumName) && V(2))
                {
                    return new Expr<object>($"nameof({enumName})", e => e.Enum(enumName));
                }

                if (has.Contains("se") && V(2))
                {
                    var (t, f) = (parameter.Values[0], parameter.Values[^1]);
                    return new Expr<object>($"\"se ? {t.Text} : {f.Text}\"", e => e.Bool("se") ? t.Value : f.Value);
                }

                break;
        }

        var constant = parameter.Values[variants.Next(parameter.Values.Length)];
        return new Expr<object>(constant.Text, _ => constant.Value);
    }

    /// <summary>Output channels of a convolution in a typed block.</summary>
    private Expr<long> ChannelsExpr(HashSet<string> has)
    {
        var options = new List<Expr<long>>
        {
            new("nameof(width)", e => e.Int("width")),
            new("\"width * 2\"", e => e.Int("width") * 2),
            new("\"max(8, width / 2)\"", e => Math.Max(8, e.Int("width") / 2)),
            new("\"min(width, 16)\"", e => Math.Min(e.Int("width"), 16)),
            new("\"makeDivisible(width * 3 / 2, 8)\"", e => MakeDivisible(e.Int("width") * 3 / 2, 8)),
            new("\"inChannels\"", e => e.Int("inChannels")),
            new("\"max(inChannels, width) - 1\"", e => Math.Max(e.Int("inChannels"), e.Int("width")) - 1),
            new("16", _ => 16),
        };
        if (has.Contains("se"))
        {
            options.Add(new("\"se ? width * 2 : width\"", e => e.Bool("se") ? e.Int("width") * 2 : e.Int("width")));
            options.Add(new("\"!se && width > 8 ? width / 4 : makeDivisible(width, 8)\"", e => !e.Bool("se") && e.Int("width") > 8 ? e.Int("width") / 4 : MakeDivisible(e.Int("width"), 8)));
        }

        if (has.Contains("kernel"))
        {
            options.Add(new("\"kernel > 1 ? width : width * 2\"", e => e.Int("kernel") > 1 ? e.Int("width") : e.Int("width") * 2));
        }

        if (has.Contains("act"))
        {
            options.Add(new("\"act == Activation.None ? width : width + 8\"", e => e.Enum("act") == "None" ? e.Int("width") : e.Int("width") + 8));
        }

        return options[variants.Next(options.Count)];
    }

    /// <summary>A kernel and the padding that keeps the size: (kernel text, padding text or null for 0, kernel value).</summary>
    private (string Kernel, string? Padding, Func<Env, long> Value) KernelExpr(HashSet<string> has)
    {
        if (has.Contains("kernel") && !V(4))
        {
            return (VPick("nameof(kernel)", "\"kernel\""), VPick("\"(kernel - 1) / 2\"", "\"kernel / 2\"", "Pad.Same"), e => e.Int("kernel"));
        }

        if (has.Contains("se") && V(2))
        {
            return ("\"se ? 3 : 1\"", VPick("\"se ? 1 : 0\"", "Pad.Same"), e => e.Bool("se") ? 3 : 1);
        }

        return V(2) ? ("1", null, _ => 1) : ("3", VPick("1", "Pad.Same"), _ => 3);
    }

    /// <summary>An SE's stated width.</summary>
    private Expr<long> SeWidthExpr(HashSet<string> has) => VPick<Expr<long>>(
        new("\"max(1, inChannels / 4)\"", e => Math.Max(1, e.Int("inChannels") / 4)),
        new("\"makeDivisible(inChannels / 4, 8)\"", e => MakeDivisible(e.Int("inChannels") / 4, 8)),
        new("\"width / 4\"", e => e.Int("width") / 4),
        new("nameof(width)", e => e.Int("width")),
        new("\"min(inChannels, width)\"", e => Math.Min(e.Int("inChannels"), e.Int("width"))),
        new("8", _ => 8));

    /// <summary>An enum argument: the parameter, a constant, or a conditional between two members.</summary>
    private Expr<string> EnumExpr(HashSet<string> has, string parameter, string type, string[] members)
    {
        int roll = variants.Next(4);
        if (roll == 0 && has.Contains(parameter))
        {
            return new(VPick($"nameof({parameter})", $"\"{parameter}\""), e => e.Enum(parameter));
        }

        string a = members[variants.Next(members.Length)];
        string b = members[variants.Next(members.Length)];
        if (roll == 1 && has.Contains("se"))
        {
            return new($"\"se ? {type}.{a} : {type}.{b}\"", e => e.Bool("se") ? a : b);
        }

        if (roll == 2)
        {
            return new($"\"width > 16 ? {type}.{a} : {type}.{b}\"", e => e.Int("width") > 16 ? a : b);
        }

        return new($"{type}.{a}", _ => a);
    }

    /// <summary>
    /// A truth value over the block's parameters. Never a constant, which is SEDSL102 (a layer always or never there).
    /// </summary>
    private Expr<bool> Condition(HashSet<string> has)
    {
        var options = new List<Expr<bool>>
        {
            new("\"width > 8\"", e => e.Int("width") > 8),
            new("\"width >= inChannels\"", e => e.Int("width") >= e.Int("inChannels")),
            new("\"min(width, 8) == 8\"", e => Math.Min(e.Int("width"), 8) == 8),
        };
        if (has.Contains("se"))
        {
            options.Add(new("nameof(se)", e => e.Bool("se")));
            options.Add(new("\"!se\"", e => !e.Bool("se")));
            options.Add(new("\"se && width > 4\"", e => e.Bool("se") && e.Int("width") > 4));
        }

        if (has.Contains("act"))
        {
            options.Add(new("\"act != Activation.None\"", e => e.Enum("act") != "None"));
        }

        if (has.Contains("squeeze"))
        {
            options.Add(new("\"squeeze == SqueezeOperator.Max || width < 16\"", e => e.Enum("squeeze") == "Max" || e.Int("width") < 16));
        }

        if (has.Contains("kernel"))
        {
            options.Add(new("\"kernel > 1\"", e => e.Int("kernel") > 1));
        }

        return options[variants.Next(options.Count)];
    }

    /// <summary>
    /// The network of the group: a stem, uses and stages of the typed blocks with arguments the model accepts, and a
    /// head, under keys ("features.#" appended, "head.*" and "stages.*" named, the rest by field name).
    /// </summary>
    private VNetwork VariantNetwork(out FuzzExpectation expectation)
    {
        string name = prefix + "V2Net";
        long channels = VPick(3, 8, 16);
        long height = 4 + variants.Next(9);
        long width = V(2) ? height : 4 + variants.Next(9);
        var lines = new List<string>();
        var tensors = new List<(string, long)>();
        var appended = new Dictionary<string, int>(StringComparer.Ordinal);
        var uses = new List<VUse>();
        var unkeyed = new List<string>();
        var input = new[] { channels, height, width };

        string KeyFor(string field, string? named)
        {
            int roll = variants.Next(3);
            string? key = roll == 0 ? "features.#" : roll == 1 && named is not null ? named : null;
            return key ?? field;
        }

        if (V(2))
        {
            string field = VName("stem");
            string key = KeyFor(field, null);
            string path = Path(key, appended);
            var keyArgument = new List<string>();
            if (key != field)
            {
                keyArgument.Add($"Key = \"{key}\"");
            }

            lines.Add($"    [{WithArguments("Conv2d(16, 3, Padding = 1, Bias = false)", keyArgument)}] private readonly Conv2d {field};");
            tensors.Add((path + ".weight", 16 * channels * 9));
            if (key == field)
            {
                unkeyed.Add(field);
            }

            channels = 16;
        }

        int useCount = 1 + variants.Next(3);
        for (int u = 0; u < useCount; u++)
        {
            var block = variantBlocks[variants.Next(variantBlocks.Count)];
            bool stage = V(2);
            int repeats = stage ? 1 + variants.Next(3) : 1;
            Effect? effect = null;
            List<(string Text, object Value)>? chosen = null;
            for (int attempt = 0; attempt < 12 && effect is null; attempt++)
            {
                chosen = block.Parameters.Select(p => p.Values[variants.Next(p.Values.Length)]).ToList();
                var env = new Env();
                for (int i = 0; i < chosen.Count; i++)
                {
                    env[block.Parameters[i].Name] = chosen[i].Value;
                }

                try
                {
                    var all = new List<(string, long)>();
                    long c = channels;
                    for (int r = 0; r < repeats; r++)
                    {
                        var one = block.Apply(env, c);
                        all.AddRange(one.Tensors.Select(t => (r.ToString(CultureInfo.InvariantCulture) + "." + t.Name, t.Count)));
                        c = one.Channels;
                    }

                    effect = new Effect(c, all);
                }
                catch (OutOfRange)
                {
                    effect = null;
                }
            }

            if (effect is null || chosen is null)
            {
                continue;
            }

            string field = VName(stage ? "stage" : "use");
            var extras = new List<string>();
            string path;
            if (stage)
            {
                string key = KeyFor(field, "stages." + field);
                path = Path(key, appended);
                if (key != field)
                {
                    extras.Add($"Key = \"{key}\"");
                }

                string childKey = VPick("#", "b#", "block-#", "unit_#");
                if (childKey != "#" || V(4))
                {
                    extras.Add($"ChildKey = \"{childKey}\"");
                }

                foreach (var (tensor, count) in effect.Tensors)
                {
                    int dot = tensor.IndexOf('.', StringComparison.Ordinal);
                    tensors.Add((path + "." + childKey.Replace("#", tensor[..dot], StringComparison.Ordinal) + tensor[dot..], count));
                }

            }
            else
            {
                string key = KeyFor(field, null);
                path = Path(key, appended);
                if (key != field)
                {
                    extras.Add($"Key = \"{key}\"");
                }

                tensors.AddRange(effect.Tensors.Select(t => (path + t.Name[t.Name.IndexOf('.', StringComparison.Ordinal)..], t.Count)));
            }

            var written = new VUse(field, block, repeats, stage, chosen.Select(a => a.Text).ToList(), extras, stage ? "Sequential" : VPick(block.Name, ModuleOfTensors));
            lines.Add(written.Line(written.Arguments, written.Extras));

            if (path == field)
            {
                unkeyed.Add(field);
            }

            uses.Add(written);
            channels = effect.Channels;
        }

        IReadOnlyList<long> output = [channels, height, width];
        if (V(2))
        {
            string pool = VName("pool");
            string flat = VName("flat");
            string fc = VName("fc");
            long features = VPick(1, 10, 100);
            bool named = V(2);
            string Head(string field) => named ? $"Key = \"head.{field}\"" : "Key = \"classifier.#\"";
            lines.Add($"    [GlobalAvgPool({Head(pool)})] private readonly AdaptiveAvgPool2d {pool};");
            lines.Add($"    [Flatten({Head(flat)})] private readonly Flatten {flat};");
            lines.Add($"    [Linear({N(features)}, {Head(fc)})] private readonly Linear {fc};");
            string fcPath = named ? "head." + fc : "classifier.2";
            tensors.Add((fcPath + ".weight", features * channels));
            tensors.Add((fcPath + ".bias", features));
            output = [features];
        }

        if (lines.Count == 0)
        {
            string field = VName("keep");
            lines.Add($"    [Identity] private readonly Identity {field};");
            unkeyed.Add(field);
        }

        expectation = new FuzzExpectation(name, input, tensors.Sum(t => t.Item2), output, tensors.ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal));
        return new VNetwork(name, input, lines, uses, unkeyed);
    }

    // ----- defects -----

    private const int VariantDefects = 18;

    /// <summary>
    /// Plants defect <paramref name="which"/> into the group; returns the text of an extra block when the defect needs
    /// one. Sets the id the one error must have (null: any id), and requires exactly one error besides SEDSL018 on uses
    /// of a block with errors.
    /// </summary>
    private string? PlantVariantDefect(int which, VNetwork network)
    {
        singleError = true;
        var block = variantBlocks[0];
        var has = block.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        string field = VName("bad");
        string? extra = null;
        void Expect(string? id, string what)
        {
            expectedId = id;
            Mark("variants: " + what);
        }

        void AddToBlock(string line) => block.Lines.Insert(block.Parameters.Count + variants.Next(block.Lines.Count - block.Parameters.Count + 1), line);
        void AddToNetwork(string line) => network.Lines.Insert(variants.Next(network.Lines.Count + 1), line);

        // A fresh block with one parameter and one layer, used once by the network.
        string BadBlock(string parameter, string layer, string argument)
        {
            string bad = prefix + "V2Bad";
            network.Lines.Insert(0, $"    [Use(typeof({bad}), {argument})] private readonly {bad} {field};");
            return $"\n[Block]\npublic partial class {bad}\n{{\n    [Param] private readonly {parameter};\n    {layer}\n}}\n";
        }

        switch (which)
        {
            case 0:
                int optional = block.Layers.FindIndex(l => l.When is not null);
                if (optional >= 0)
                {
                    int line = block.Parameters.Count + optional;
                    string name = block.Layers[optional].Field;
                    block.Lines[line] = block.Lines[line].Replace("? " + name + ";", " " + name + ";", StringComparison.Ordinal);
                }
                else
                {
                    AddToBlock($"    [ReLU(When = \"width > 1\")] private readonly ReLU {field};");
                }

                Expect("SEDSL007", "an optional layer on a field that is not nullable");
                break;
            case 1:
                AddToNetwork($"    [ReLU(When = {VPick("\"true\"", "\"false\"", "\"1 > 0\"")})] private readonly ReLU? {field};");
                Expect("SEDSL102", "a condition in a network");
                break;
            case 2:
                AddToBlock($"    [Identity(When = {VPick("nameof(width)", "\"width + 1\"", "\"inChannels\"")})] private readonly Identity? {field};");
                Expect("SEDSL106", "a condition that is not a truth value");
                break;
            case 3:
                AddToBlock($"    [Conv2d(\"width + {(has.Contains("se") ? "se" : "true")}\", 1)] private readonly Conv2d {field};");
                Expect("SEDSL106", "an int plus a bool");
                break;
            case 4:
                AddToBlock($"    [Conv2d(\"{VPick("widht * 2", "max(width, height)", "planes")}\", 1)] private readonly Conv2d {field};");
                Expect("SEDSL106", "an unknown name in an expression");
                break;
            case 5:
                AddToBlock($"    [Conv2d(\"{VPick("max(width, true)", "makeDivisible(width > 2, 8)", "min(false, 3)")}\", 1)] private readonly Conv2d {field};");
                Expect("SEDSL106", "a function of a bool");
                break;
            case 6:
                // Over parameters only: "Activation.ReLU == 1" is folded to false unreported (see docs/reliability.md).
                AddToBlock($"    [ReLU(When = \"{(has.Contains("act") ? "act == 1" : "width == Activation.ReLU")}\")] private readonly ReLU? {field};");
                Expect("SEDSL106", "an enum compared with an int");
                break;
            case 7:
                AddToBlock(VPick(
                    $"    [Activation(\"Activation.Nope\")] private readonly ActivationLayer {field};",
                    $"    [SqueezeExcite(Width = 4, Gate = \"ExcitationGate.Swish\")] private readonly SqueezeExcitation {field};"));
                Expect("SEDSL106", "an unknown enum member");
                break;
            case 8:
                if (network.Uses.Count == 0)
                {
                    goto case 1;
                }

                var use = network.Uses[variants.Next(network.Uses.Count)];
                int at = variants.Next(use.Block.Parameters.Count);
                string wrong = use.Block.Parameters[at].Type switch
                {
                    "int" => VPick("true", "Activation.ReLU", "0.5"),
                    "bool" => VPick("1", "SqueezeOperator.Max"),
                    "double" => VPick("true", "ExcitationGate.ReLU"),
                    "Activation" => VPick("ExcitationGate.ReLU", "1", "false"),
                    "SqueezeOperator" => VPick("Activation.ReLU", "0"),
                    _ => VPick("SqueezeOperator.Average", "2"),
                };
                var changed = use.Arguments.ToList();
                changed[at] = wrong;
                network.Lines[network.Lines.IndexOf(use.Line(use.Arguments, use.Extras))] = use.Line(changed, use.Extras);
                Expect("SEDSL102", $"an argument of another type for '{use.Block.Parameters[at].Name}'");
                break;
            case 9:
                // In a block no network uses: each use would report it again for its instance (see docs/reliability.md).
                extra = $"\n[Block]\npublic partial class {prefix}V2Unused\n{{\n    [Param] private readonly int width;\n    [SqueezeExcite({VPick("4", "r: 2")}, Width = {VPick("8", "\"width / 2\"")})] private readonly SqueezeExcitation se;\n}}\n";
                Expect("SEDSL102", "an SE width together with a ratio");
                break;
            case 10:
                AddToNetwork($"    [Identity(Key = \"{VPick("features..x", "#", "a b", "features.#.0", ".", "x.", "se/1")}\")] private readonly Identity {field};");
                Expect("SEDSL115", "a malformed key");
                break;
            case 11:
                if (network.Uses.Count == 0)
                {
                    goto case 1;
                }

                // One use becomes a stage of one block (the same layers, so the same arguments fit) with a malformed child key.
                var staged = network.Uses[variants.Next(network.Uses.Count)];
                var asStage = staged with { Stage = true, Type = "Sequential", Extras = staged.Extras.Where(x => !x.StartsWith("ChildKey", StringComparison.Ordinal)).ToList() };
                network.Lines[network.Lines.IndexOf(staged.Line(staged.Arguments, staged.Extras))] =
                    asStage.Line(asStage.Arguments, asStage.Extras.Append($"ChildKey = \"{VPick("blk", "a#b#", "b.#", "")}\""));
                Expect("SEDSL116", "a malformed child key");
                break;
            case 12:
                string taken = network.UnkeyedFields.Count > 0 ? network.UnkeyedFields[variants.Next(network.UnkeyedFields.Count)] : "head.x";
                if (taken == "head.x")
                {
                    AddToNetwork($"    [ReLU(Key = \"head.x\")] private readonly ReLU {VName("dup")};");
                }

                AddToNetwork($"    [Identity(Key = \"{taken}\")] private readonly Identity {field};");
                Expect("SEDSL030", "a duplicate key");
                break;
            case 13:
                string container = network.UnkeyedFields.Count > 0 ? network.UnkeyedFields[variants.Next(network.UnkeyedFields.Count)] : null!;
                if (container is null)
                {
                    container = "stemx";
                    AddToNetwork($"    [ReLU(Key = \"stemx\")] private readonly ReLU {VName("named")};");
                }

                AddToNetwork($"    [Identity(Key = \"{container}.bn\")] private readonly Identity {field};");
                Expect("SEDSL031", "a key that is a container of another layer's key");
                break;
            case 14:
                // A container of its own with one appended child: each appended sibling is reported once (see docs/reliability.md).
                AddToNetwork($"    [ReLU(Key = \"extras.#\")] private readonly ReLU {VName("appended")};");
                AddToNetwork($"    [Identity(Key = \"extras.named\")] private readonly Identity {field};");
                Expect("SEDSL032", "appended and named children in one container");
                break;
            case 15:
                extra = BadBlock("int width", $"[Conv2d(\"width - {VPick("64", "8", "100")}\", 1)] private readonly Conv2d conv;", VPick("1", "4", "8"));
                Expect(null, "a channel expression below 1 for its use");
                break;
            case 16:
                extra = BadBlock("double eps", $"[Conv2d({VPick("nameof(eps)", "\"eps * 2\"")}, 1)] private readonly Conv2d conv;", "0.5");
                Expect(null, "a double where an int is needed");
                break;
            default:
                extra = BadBlock("Activation act", $"[SqueezeExcite(Width = 4, {VPick("Gate", "Squeeze")} = nameof(act))] private readonly SqueezeExcitation se;", "Activation.ReLU");
                Expect(null, "an enum of another type for the SE");
                break;
        }

        return extra;
    }
}
