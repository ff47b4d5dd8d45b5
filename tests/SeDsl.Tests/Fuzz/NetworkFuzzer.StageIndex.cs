using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// The stage-index mechanisms (<see cref="FuzzClasses.StageIndex"/>): stages whose int and double arguments use
/// <c>index</c> and double literals with C#'s arithmetic (integer division between ints, doubles once a double literal
/// is an operand), <c>First</c> at index 0, blocks whose <c>double</c> parameters reach <c>[DropPath]</c>,
/// <c>[Dropout]</c> and batch-norm <c>Eps</c>, double arithmetic over a block's int parameters, and a double parameter
/// passed on to a block used inside a block. The model computes every block's channels, tensors and rates as C#
/// computes the same text, calling no generator code. Everything here draws from <see cref="indexStream"/> only and
/// is appended after the rest of the case (and after the language-v2 group), so other classes keep their text.
/// </summary>
public sealed partial class NetworkFuzzer
{
    /// <summary>The random stream of <see cref="FuzzClasses.StageIndex"/>; nothing else draws from it.</summary>
    private readonly Random indexStream;
    private readonly List<string> indexBlockNames = new();
    private readonly List<string> expectedMessages = new();
    private string? expectedSpan;

    /// <summary>Double literals as written in an expression and as C# reads the same literal.</summary>
    private static readonly (string Text, double Value)[] DoubleLiterals =
        [("0.1", 0.1), ("0.2", 0.2), ("0.25", 0.25), ("0.5", 0.5), ("0.05", 0.05), ("0.125", 0.125), ("1.5e-2", 1.5e-2), ("2.0", 2.0), ("0.3", 0.3), ("1.0", 1.0)];

    /// <summary>C# double constants as a stage or a use may pass them (the int 0 is accepted for a double).</summary>
    private static readonly (string Text, double Value)[] DoubleConstants =
        [("0", 0.0), ("0.1", 0.1), ("0.25", 0.25), ("1e-3", 1e-3), ("0.0625", 0.0625)];

    /// <summary>What a value must be for the layer it reaches: the checks of docs/dsl.md, as plain ranges.</summary>
    private enum IxKind
    {
        /// <summary><c>[DropPath]</c>'s p: in [0, 1).</summary>
        DropPath,

        /// <summary><c>[Dropout]</c>'s p: in [0, 1].</summary>
        Dropout,

        /// <summary>Batch-norm <c>Eps</c>: finite and greater than 0.</summary>
        Eps,
    }

    private static bool InRange(IxKind kind, double value) => kind switch
    {
        IxKind.DropPath => value >= 0 && value < 1,
        IxKind.Dropout => value >= 0 && value <= 1,
        _ => value > 0 && !double.IsInfinity(value),
    };

    /// <summary>An arithmetic expression over <c>index</c> (and int literals, double literals): its text, precedence and C# value (long or double).</summary>
    private sealed record IxExpr(string Text, int Precedence, Func<long, object> Value, bool UsesIndex);

    /// <summary>A double reaching a layer: the module path (relative to the block), the kind, the value.</summary>
    private sealed record IxValue(string Path, IxKind Kind, double Value);

    /// <summary>One present layer's effect in the index model.</summary>
    private sealed record IxEffect(long Channels, List<(string Name, long Count)> Tensors, List<IxValue> Values);

    /// <summary>A body layer: field, condition (or null), and its effect from (environment, input channels).</summary>
    private sealed record IxLayer(string Field, Expr<bool>? When, Func<Env, long, IxEffect> Apply);

    /// <summary>A block parameter: name and C# type (<c>int</c> or <c>double</c>).</summary>
    private sealed record IxParam(string Name, string Type);

    private sealed class IxBlock
    {
        public required string Name { get; init; }

        public required List<IxParam> Parameters { get; init; }

        public required List<IxLayer> Layers { get; init; }

        public bool Residual { get; init; }

        public required List<string> Lines { get; init; }

        /// <summary>The field of a <c>[DropPath(nameof(rate))]</c> directly in the body and always there, or null.</summary>
        public string? PlainDropPath { get; init; }

        /// <summary>The block's output channels, tensors and values (paths relative to the block) for one use; throws <see cref="OutOfRange"/>.</summary>
        public IxEffect Apply(Env arguments, long inChannels)
        {
            var env = new Env { ["inChannels"] = inChannels };
            foreach (var (key, value) in arguments)
            {
                env[key] = value;
            }

            var tensors = new List<(string, long)>();
            var values = new List<IxValue>();
            long channels = inChannels;
            foreach (var layer in Layers)
            {
                if (layer.When is not null && !layer.When.Value(env))
                {
                    continue;
                }

                var effect = layer.Apply(env, channels);
                tensors.AddRange(effect.Tensors.Select(t => (layer.Field + "." + t.Name, t.Count)));
                values.AddRange(effect.Values.Select(v => v with { Path = v.Path.Length == 0 ? layer.Field : layer.Field + "." + v.Path }));
                channels = effect.Channels;
            }

            if (Residual && channels != inChannels)
            {
                // The projection's batch norm has the default eps.
                tensors.Add(("downsample.0.weight", channels * inChannels));
                tensors.Add(("downsample.1.weight", channels));
                tensors.Add(("downsample.1.bias", channels));
                values.Add(new IxValue("downsample.1", IxKind.Eps, 1e-5));
            }

            return new IxEffect(channels, tensors, values);
        }
    }

    private bool X(int oneIn) => indexStream.Next(oneIn) == 0;

    private T XPick<T>(params T[] options) => options[indexStream.Next(options.Length)];

    private static double AsDouble(object value) => value is long l ? l : (double)value;

    /// <summary>C#'s arithmetic: between longs (ints in the generated code; the values here are small), integer division; with a double, in doubles.</summary>
    private static object Compute(char op, object left, object right)
    {
        if (left is long a && right is long b)
        {
            return op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ => b == 0 ? throw new OutOfRange() : a / b,
            };
        }

        double x = AsDouble(left), y = AsDouble(right);
        return op switch
        {
            '+' => x + y,
            '-' => x - y,
            '*' => x * y,
            _ => x / y,
        };
    }

    /// <summary>A random arithmetic tree, printed with the parentheses C#'s precedence needs (and now and then one more); divisors are never 0.</summary>
    private IxExpr Arithmetic(int depth, bool index)
    {
        if (depth == 0 || X(4))
        {
            return Leaf(index);
        }

        char op = XPick('+', '-', '*', '/', '*', '/');
        var left = Arithmetic(depth - 1, index);
        var right = op == '/' ? Divisor(index) : Arithmetic(depth - 1, index);
        int precedence = op is '+' or '-' ? 1 : 2;
        string l = left.Precedence < precedence ? "(" + left.Text + ")" : left.Text;
        string r = right.Precedence <= precedence ? "(" + right.Text + ")" : right.Text;
        var made = new IxExpr($"{l} {op} {r}", precedence, i => Compute(op, left.Value(i), right.Value(i)), left.UsesIndex || right.UsesIndex);
        return X(8) ? made with { Text = "(" + made.Text + ")", Precedence = 3 } : made;
    }

    private IxExpr Leaf(bool index)
    {
        int roll = indexStream.Next(index ? 3 : 2);
        if (roll == 2)
        {
            return new IxExpr("index", 3, i => i, true);
        }

        if (roll == 1)
        {
            long n = indexStream.Next(9);
            return new IxExpr(N(n), 3, _ => n, false);
        }

        var (text, value) = XPick(DoubleLiterals);
        return new IxExpr(text, 3, _ => value, false);
    }

    private IxExpr Divisor(bool index)
    {
        if (index && X(4))
        {
            // (1 - index) is 0 at index 1: valid only in a stage of one block, whose index is 0 alone.
            return X(4) ? new IxExpr("(1 - index)", 3, i => 1 - i, true) : new IxExpr("(index + 1)", 3, i => i + 1, true);
        }

        if (X(2))
        {
            long n = 1 + indexStream.Next(16);
            return new IxExpr(N(n), 3, _ => n, false);
        }

        var (text, value) = XPick(DoubleLiterals);
        return new IxExpr(text, 3, _ => value, false);
    }

    /// <summary>A written argument and its value at each index (First's at 0).</summary>
    private sealed record IxArgument(string Text, Func<long, object> Value);

    /// <summary>
    /// An argument for a double parameter of <paramref name="kind"/>, valid at every index in <paramref name="indices"/>:
    /// a random expression over <c>index</c> (when <paramref name="index"/>), a fixed rate schedule, or a constant.
    /// </summary>
    private IxArgument DoubleArgument(IxKind kind, bool index, IReadOnlyList<long> indices)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int roll = indexStream.Next(index ? 4 : 3);
            IxArgument candidate;
            if (roll == 0)
            {
                var (text, value) = XPick(DoubleConstants);
                candidate = new IxArgument(text, _ => value);
            }
            else if (roll == 3 && X(2))
            {
                // The schedules of the task: EfficientNet's rate over the network, and C#'s integer division before a double.
                int offset = indexStream.Next(4);
                int total = 8 + indexStream.Next(12);
                candidate = XPick(
                    new IxArgument($"\"0.2 * ({N(offset)} + index) / {N(total)}\"", i => 0.2 * (offset + i) / total),
                    new IxArgument("\"0.1 * index / 4\"", i => 0.1 * i / 4),
                    new IxArgument("\"(1 + index) / 4 * 0.5\"", i => (1 + i) / 4 * 0.5),
                    new IxArgument("\"index / 2 * 0.25\"", i => i / 2 * 0.25),
                    new IxArgument("\"index / 4\"", i => (double)(i / 4)));
            }
            else
            {
                var tree = Arithmetic(1 + indexStream.Next(3), index);
                candidate = new IxArgument("\"" + tree.Text + "\"", tree.Value);
            }

            try
            {
                if (indices.All(i => InRange(kind, AsDouble(candidate.Value(i)))))
                {
                    return candidate;
                }
            }
            catch (OutOfRange)
            {
                // An int division by zero at one of the indices: draw again.
            }
        }

        var fallback = XPick(DoubleConstants.Where(c => InRange(kind, c.Value)).ToArray());
        return new IxArgument(fallback.Text, _ => fallback.Value);
    }

    /// <summary>An argument for an int parameter (<c>width</c> or <c>kernel</c>): with <c>index</c> in a stage, a constant in a use.</summary>
    private IxArgument IntArgument(string parameter, bool index)
    {
        IxArgument C(long v) => new(N(v), _ => v);
        if (parameter == "kernel")
        {
            return index && X(2)
                ? XPick(
                    new IxArgument("\"index > 0 ? 3 : 1\"", i => i > 0 ? 3L : 1L),
                    new IxArgument("\"1 + 2 * (index / 2)\"", i => 1 + (2 * (i / 2))),
                    new IxArgument("\"index == 1 ? 5 : 3\"", i => i == 1 ? 5L : 3L))
                : C(XPick(1L, 3L));
        }

        return index && !X(3)
            ? XPick(
                new IxArgument("\"16 + 8 * index\"", i => 16 + (8 * i)),
                new IxArgument("\"8 * (index + 1)\"", i => 8 * (i + 1)),
                new IxArgument("\"index < 2 ? 8 : 16\"", i => i < 2 ? 8L : 16L),
                new IxArgument("\"max(8, 32 - 8 * index)\"", i => Math.Max(8, 32 - (8 * i))),
                new IxArgument("\"min(24, 4 + 4 * index)\"", i => Math.Min(24, 4 + (4 * i))),
                new IxArgument("\"(index + 2) / 2 * 8\"", i => (i + 2) / 2 * 8))
            : C(XPick(8L, 16L, 24L));
    }

    // ----- the group: blocks and one network -----

    /// <summary>
    /// The stage-index declarations appended to a case: one or two blocks and a network of stages and uses. When
    /// <paramref name="mayPlant"/> (the rest of the case is valid), about a third of the groups get exactly one defect.
    /// </summary>
    private string WriteStageIndex(bool mayPlant)
    {
        used |= FuzzClasses.StageIndex;
        int plant = mayPlant && X(3) ? indexStream.Next(IndexDefects) : -1;
        var blocks = new List<IxBlock>();
        int blockCount = 1 + indexStream.Next(2);
        for (int i = 0; i < blockCount; i++)
        {
            blocks.Add(IndexBlock(i, blocks));
        }

        string name = prefix + "IxNet";
        var network = IndexNetwork(name, blocks, plant, out var expectation);
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            text.Append("\n[").Append(block.Residual ? "Block(Residual = true)" : "Block").Append("]\npublic partial class ").Append(block.Name).Append("\n{\n");
            foreach (string line in block.Lines)
            {
                text.Append(line).Append('\n');
            }

            text.Append("}\n");
        }

        text.Append(network.Extra);
        text.Append("\n[Network(").Append(string.Join(", ", network.Input.Select(N))).Append(")]\npublic partial class ").Append(name).Append("\n{\n");
        foreach (string line in network.Lines)
        {
            text.Append(line).Append('\n');
        }

        text.Append("}\n");
        if (defect is null)
        {
            string qualifier = ns.Length == 0 ? "" : ns + ".";
            expectations.Add(expectation with { Network = qualifier + name });
            variantNetworks.Add(name);
            indexBlockNames.AddRange(blocks.Select(b => b.Name));
        }

        return text.ToString();
    }

    private IxBlock IndexBlock(int number, List<IxBlock> before)
    {
        string name = prefix + "IxBlock" + number.ToString(CultureInfo.InvariantCulture);
        var all = new List<IxParam> { new("width", "int"), new("rate", "double"), new("p", "double"), new("eps", "double"), new("kernel", "int") };
        var parameters = all.Where(p => p.Name == "width" || (p.Name == "rate" ? !X(4) : X(2))).OrderBy(_ => indexStream.Next()).ToList();
        var has = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        bool residual = X(2);
        var lines = parameters.Select(p => $"    [Param] private readonly {p.Type} {p.Name};").ToList();
        var layers = new List<IxLayer>();
        string? plainDropPath = null;

        // A convolution: the channels and the kernel the block's arguments give.
        {
            var (outText, outValue) = XPick<(string, Func<Env, long>)>(
                ("nameof(width)", e => e.Int("width")),
                ("\"width * 2\"", e => e.Int("width") * 2),
                ("\"max(8, width / 2)\"", e => Math.Max(8, e.Int("width") / 2)));
            bool kernelParameter = has.Contains("kernel");
            long fixedKernel = XPick(1L, 3L);
            string kernel = kernelParameter ? "nameof(kernel), Padding = \"(kernel - 1) / 2\"" : fixedKernel == 3 ? "3, Padding = 1" : "1";
            string field = VIndexName("conv");
            lines.Add($"    [Conv2d({outText}, {kernel}, Bias = false)] private readonly Conv2d {field};");
            layers.Add(new IxLayer(field, null, (e, c) =>
            {
                long o = Checked(outValue(e));
                long k = kernelParameter ? e.Int("kernel") : fixedKernel;
                return new IxEffect(o, [("weight", o * c * k * k)], []);
            }));
        }

        if (has.Contains("eps") || X(2))
        {
            string field = VIndexName("bn");
            bool parameter = has.Contains("eps");
            lines.Add($"    [BatchNorm2d(Eps = {(parameter ? "nameof(eps)" : "0.001")})] private readonly BatchNorm2d {field};");
            layers.Add(new IxLayer(field, null, (e, c) => new IxEffect(c, [("weight", c), ("bias", c)], [new IxValue("", IxKind.Eps, parameter ? e.Double("eps") : 0.001)])));
        }

        if (X(2))
        {
            string field = VIndexName("act");
            string kind = XPick("ReLU", "SiLU");
            lines.Add($"    [{kind}] private readonly {kind} {field};");
            layers.Add(new IxLayer(field, null, (_, c) => new IxEffect(c, [], [])));
        }

        // A dropout: from the double parameter, or a double computed from the int width (C#'s arithmetic in the block's own module).
        if (has.Contains("p") || X(3))
        {
            string field = VIndexName("drop");
            Func<Env, double> value;
            string argument;
            if (has.Contains("p"))
            {
                (argument, value) = ("nameof(p)", e => e.Double("p"));
            }
            else
            {
                (argument, value) = XPick<(string, Func<Env, double>)>(
                    ("\"0.1 * width / 64\"", e => 0.1 * e.Int("width") / 64),
                    ("\"width / 16 * 0.125\"", e => e.Int("width") / 16 * 0.125),
                    ("\"0.5 / (width / 8)\"", e => 0.5 / (e.Int("width") / 8)),
                    ("\"(width + 0.5) / 100\"", e => (e.Int("width") + 0.5) / 100));
            }

            lines.Add($"    [Dropout({argument})] private readonly Dropout {field};");
            layers.Add(new IxLayer(field, null, (e, c) => new IxEffect(c, [], [new IxValue("", IxKind.Dropout, value(e))])));
        }

        // The second block may use the first inside it, passing its own double parameter on by name.
        if (before.Count > 0 && X(2))
        {
            var inner = before[0];
            var arguments = inner.Parameters.Select(p => p.Type == "int"
                ? p.Name == "kernel" ? ("1", (Func<Env, object>)(_ => 1L)) : ("nameof(width)", e => e.Int("width"))
                : has.Contains(p.Name) ? ($"nameof({p.Name})", e => e.Double(p.Name))
                : p.Name == "eps" ? ("0.001", _ => 0.001) : ("0.1", (Func<Env, object>)(_ => 0.1))).ToList();
            string field = VIndexName("inner");
            lines.Add($"    [Use(typeof({inner.Name}){string.Concat(arguments.Select(a => ", " + a.Item1))})] private readonly {XPick(inner.Name, ModuleOfTensors)} {field};");
            layers.Add(new IxLayer(field, null, (e, c) =>
            {
                var env = new Env();
                for (int i = 0; i < arguments.Count; i++)
                {
                    env[inner.Parameters[i].Name] = arguments[i].Item2(e);
                }

                return inner.Apply(env, c);
            }));
        }

        if (has.Contains("rate"))
        {
            string field = VIndexName("drop");
            Expr<bool>? when = X(3) ? XPick<Expr<bool>>(new("\"inChannels == width\"", e => e.Int("inChannels") == e.Int("width")), new("\"width >= 16\"", e => e.Int("width") >= 16)) : null;
            lines.Add($"    [DropPath(nameof(rate){(when is null ? "" : ", When = " + when.Text)})] private readonly DropPath{(when is null ? "" : "?")} {field};");
            layers.Add(new IxLayer(field, when, (e, c) => new IxEffect(c, [], [new IxValue("", IxKind.DropPath, e.Double("rate"))])));
            plainDropPath = when is null ? field : null;
        }

        return new IxBlock { Name = name, Parameters = parameters, Layers = layers, Residual = residual, Lines = lines, PlainDropPath = plainDropPath };
    }

    private string VIndexName(string stem) => "x" + stem + (++variantCounter).ToString(CultureInfo.InvariantCulture);

    private sealed record IxNetwork(long[] Input, List<string> Lines, string? Extra);

    /// <summary>A stage or use of a block as the model accepts it: the arguments written, and the block's effect at each position.</summary>
    private sealed record IxUse(string Field, IxBlock Block, int Repeats, bool Stage, List<IxArgument> Arguments, List<IxArgument>? First);

    /// <summary>The block environment of position <paramref name="b"/> in a use (First's values at 0).</summary>
    private static Env EnvAt(IxUse use, int b)
    {
        var env = new Env();
        var arguments = b == 0 && use.First is not null ? use.First : use.Arguments;
        for (int i = 0; i < arguments.Count; i++)
        {
            object value = arguments[i].Value(b);
            env[use.Block.Parameters[i].Name] = use.Block.Parameters[i].Type == "double" ? AsDouble(value) : value;
        }

        return env;
    }

    /// <summary>
    /// The network of the group: a stem, stages and uses of the blocks with arguments the model accepts, and a head; a
    /// planted defect, when <paramref name="plant"/> is not -1, changes one argument or adds one layer.
    /// </summary>
    private IxNetwork IndexNetwork(string name, List<IxBlock> blocks, int plant, out FuzzExpectation expectation)
    {
        long channels = XPick(3, 8, 16);
        long height = 4 + indexStream.Next(5);
        long width = X(2) ? height : 4 + indexStream.Next(5);
        var input = new[] { channels, height, width };
        var lines = new List<string>();
        var tensors = new List<(string, long)>();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var blockChannels = new Dictionary<string, long>(StringComparer.Ordinal);
        var uses = new List<(IxUse Use, long InChannels, int Line)>();

        if (X(2))
        {
            string field = VIndexName("stem");
            lines.Add($"    [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d {field};");
            tensors.Add((field + ".weight", 16 * channels * 9));
            channels = 16;
        }

        int useCount = 1 + indexStream.Next(3);
        for (int u = 0; u < useCount; u++)
        {
            var block = blocks[indexStream.Next(blocks.Count)];
            bool stage = !X(4);
            int repeats = stage ? 1 + indexStream.Next(4) : 1;
            var positions = Enumerable.Range(0, repeats).Select(i => (long)i).ToList();
            IxUse? accepted = null;
            List<IxEffect>? effects = null;
            for (int attempt = 0; attempt < 12 && accepted is null; attempt++)
            {
                bool first = stage && repeats > 1 && X(4);
                List<IxArgument> Draw(IReadOnlyList<long> at) => block.Parameters.Select(p => p.Type == "int"
                    ? IntArgument(p.Name, stage)
                    : DoubleArgument(p.Name switch { "rate" => IxKind.DropPath, "p" => IxKind.Dropout, _ => IxKind.Eps }, stage, at)).ToList();
                var arguments = Draw(first ? positions.Skip(1).ToList() : positions);
                var use = new IxUse(VIndexName(stage ? "stage" : "use"), block, repeats, stage, arguments, first ? Draw([0]) : null);
                try
                {
                    long c = channels;
                    var all = new List<IxEffect>();
                    for (int b = 0; b < repeats; b++)
                    {
                        var one = block.Apply(EnvAt(use, b), c);
                        if (one.Values.Any(v => !InRange(v.Kind, v.Value)))
                        {
                            throw new OutOfRange();
                        }

                        all.Add(one);
                        c = one.Channels;
                    }

                    (accepted, effects) = (use, all);
                }
                catch (OutOfRange)
                {
                    accepted = null;
                }
            }

            if (accepted is null || effects is null)
            {
                continue;
            }

            uses.Add((accepted, channels, lines.Count));
            lines.Add(UseLine(accepted, accepted.Arguments.Select(a => a.Text), accepted.First?.Select(a => a.Text)));
            for (int b = 0; b < repeats; b++)
            {
                string path = stage ? accepted.Field + "." + N(b) : accepted.Field;
                tensors.AddRange(effects[b].Tensors.Select(t => (path + "." + t.Name, t.Count)));
                foreach (var value in effects[b].Values)
                {
                    values[path + "." + value.Path] = value.Value;
                }

                blockChannels[path] = effects[b].Channels;
            }

            channels = effects[^1].Channels;
        }

        IReadOnlyList<long> output = [channels, height, width];
        if (X(2))
        {
            lines.Add($"    [GlobalAvgPool] private readonly AdaptiveAvgPool2d {VIndexName("pool")};");
            lines.Add($"    [Flatten] private readonly Flatten {VIndexName("flat")};");
            string fc = VIndexName("fc");
            lines.Add($"    [Linear(10)] private readonly Linear {fc};");
            tensors.Add((fc + ".weight", 10 * channels));
            tensors.Add((fc + ".bias", 10));
            output = [10];
        }

        if (lines.Count == 0)
        {
            lines.Add($"    [Identity] private readonly Identity {VIndexName("keep")};");
        }

        string? extra = plant >= 0 ? PlantIndexDefect(plant, blocks, lines, uses) : null;
        expectation = new FuzzExpectation(name, input, tensors.Sum(t => t.Item2), output, tensors.ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal))
        {
            Values = values,
            BlockChannels = blockChannels,
        };
        return new IxNetwork(input, lines, extra);
    }

    private static string UseLine(IxUse use, IEnumerable<string> arguments, IEnumerable<string>? first)
    {
        string head = use.Stage ? $"Stage(typeof({use.Block.Name}), {N(use.Repeats)}" : $"Use(typeof({use.Block.Name})";
        string firstText = first is null ? "" : ", First = new object[] { " + string.Join(", ", first) + " }";
        return $"    [{head}{string.Concat(arguments.Select(a => ", " + a))}{firstText})] private readonly {(use.Stage ? "Sequential" : use.Block.Name)} {use.Field};";
    }

    // ----- defects -----

    private const int IndexDefects = 6;

    /// <summary>
    /// Plants defect <paramref name="which"/>: each must give exactly one error of the id due, underlining the span due
    /// (when set) and naming what is due in its message (when set), besides SEDSL018 on uses of a block with errors.
    /// Returns the text of an extra block when the defect needs one.
    /// </summary>
    private string? PlantIndexDefect(int which, List<IxBlock> blocks, List<string> lines, List<(IxUse Use, long InChannels, int Line)> uses)
    {
        singleError = true;
        var block = blocks[0];
        string field = VIndexName("bad");
        void Expect(string id, string what, string? span, params string[] message)
        {
            expectedId = id;
            expectedSpan = span;
            expectedMessages.AddRange(message);
            Mark("index: " + what);
        }

        void AddToBlock(string line) => block.Lines.Insert(block.Parameters.Count + indexStream.Next(block.Lines.Count - block.Parameters.Count + 1), line);

        switch (which)
        {
            case 0:
                {
                    // index in a network's [Use]: a stage's name only.
                    string argument = !block.Parameters.Any(p => p.Type == "double") || X(2) ? XPick("\"16 + index\"", "\"8 * (index + 1)\"") : "\"0.1 * index\"";
                    var written = block.Parameters.Select(p => p.Type == "int" ? p.Name == "kernel" ? "1" : "8" : p.Name == "eps" ? "0.001" : "0.1").ToList();
                    int at = argument.Contains("0.1", StringComparison.Ordinal)
                        ? block.Parameters.FindIndex(p => p.Type == "double")
                        : block.Parameters.FindIndex(p => p.Name == "width");
                    written[at] = argument;
                    lines.Insert(indexStream.Next(lines.Count + 1), $"    [Use(typeof({block.Name}){string.Concat(written.Select(a => ", " + a))})] private readonly {block.Name} {field};");
                    Expect("SEDSL106", "index in a network's [Use]", argument, "'index' is not known here");
                    return null;
                }

            case 1:
                {
                    // index in a block's own layer: not a parameter of the block.
                    string argument = XPick("\"index + 8\"", "\"width * index\"");
                    AddToBlock($"    [Conv2d({argument}, 1)] private readonly Conv2d {field};");
                    Expect("SEDSL106", "index in a block's layer", argument, "'index' is not a parameter of the block");
                    return null;
                }

            case 2:
            case 3:
                {
                    // Arithmetic on a double parameter, in the block's own layer; a fresh block when the first has none.
                    var real = block.Parameters.FirstOrDefault(p => p.Type == "double" && p.Name != "eps");
                    string parameter = real?.Name ?? "q";
                    string argument = XPick($"\"{parameter} / 2\"", $"\"0.5 * {parameter}\"", $"\"1 - {parameter}\"", $"\"width > 8 ? {parameter} * 0.5 : 0.0\"");
                    string op = argument.Contains('/', StringComparison.Ordinal) ? "/" : argument.Contains('*', StringComparison.Ordinal) ? "*" : "-";
                    string layer = which == 2 ? $"[Dropout({argument})] private readonly Dropout {field};" : $"[DropPath({argument})] private readonly DropPath {field};";
                    Expect("SEDSL106", "arithmetic on a double parameter", argument, $"'{op}' on the double parameter '{parameter}'");
                    if (real is not null)
                    {
                        AddToBlock("    " + layer);
                        return null;
                    }

                    string bad = prefix + "IxBad";
                    lines.Insert(0, $"    [Use(typeof({bad}), 8, 0.25)] private readonly {bad} {field}use;");
                    return $"\n[Block]\npublic partial class {bad}\n{{\n    [Param] private readonly int width;\n    [Param] private readonly double q;\n    [Conv2d(nameof(width), 1)] private readonly Conv2d conv;\n    {layer}\n}}\n";
                }

            default:
                {
                    // A rate that leaves [0, 1) for the last block of a stage only: reported on that instance.
                    foreach (var (use, inChannels, line) in uses.Where(u => u.Use.Stage && u.Use.Repeats > 1 && u.Use.Block.PlainDropPath is not null && u.Use.First is null))
                    {
                        int at = use.Block.Parameters.FindIndex(p => p.Name == "rate");
                        int last = use.Repeats - 1;
                        var rate = XPick(
                            new IxArgument($"\"1.25 * index / {N(last)}\"", i => 1.25 * i / last),
                            new IxArgument($"\"0.1 - index / {N(last)} * 0.2\"", i => 0.1 - (i / last * 0.2)),
                            new IxArgument($"\"index / {N(last)}\"", i => i / last),
                            new IxArgument($"\"0.5 + index / {N(last)} * 0.5\"", i => 0.5 + (i / last * 0.5)));
                        var changed = use with { Arguments = use.Arguments.Select((a, i) => i == at ? rate : a).ToList() };

                        // The model again, with the new rate: the blocks before the last must be valid, the last one not (at its own drop path first).
                        long c = inChannels;
                        IxValue? wrong = null;
                        bool earlier = false;
                        for (int b = 0; b <= last; b++)
                        {
                            var one = use.Block.Apply(EnvAt(changed, b), c);
                            var bad = one.Values.FirstOrDefault(v => !InRange(v.Kind, v.Value));
                            earlier |= b < last && bad is not null;
                            wrong = b == last ? bad : wrong;
                            c = one.Channels;
                        }

                        if (earlier || wrong is null || wrong.Path != use.Block.PlainDropPath)
                        {
                            continue;
                        }

                        lines[line] = UseLine(changed, changed.Arguments.Select(a => a.Text), null);
                        string instance = use.Field + "." + N(last) + "." + wrong.Path;
                        Expect("SEDSL102", "a rate out of [0, 1) for a later block only", null, instance, wrong.Value.ToString("R", CultureInfo.InvariantCulture));
                        return null;
                    }

                    goto case 0;
                }
        }
    }
}
