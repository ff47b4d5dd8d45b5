using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// One generated source file: blocks and networks, and, when <see cref="Defect"/> is set, the one mistake the fuzzer
/// put into it. Validity is known by construction, never read back from the generator.
/// </summary>
/// <param name="Seed">The seed that reproduces the case (<c>NetworkFuzzer.Generate(seed)</c>).</param>
/// <param name="Source">The C# source text.</param>
/// <param name="Defect">What was made wrong, or null for a declaration that must generate without any diagnostic.</param>
/// <param name="Networks">Qualified names of the networks that must be generated (valid cases).</param>
/// <param name="Blocks">Qualified names of the blocks that must be generated (valid cases).</param>
public sealed record FuzzCase(int Seed, string Source, string? Defect, IReadOnlyList<string> Networks, IReadOnlyList<string> Blocks)
{
    public bool Invalid => Defect is not null;

    /// <summary>
    /// Every source file of the case in compilation order: <see cref="Source"/> and the files holding other parts of
    /// its partial classes (<see cref="FuzzClasses.Parts"/>), before or after it.
    /// </summary>
    public IReadOnlyList<string> Files { get; init; } = [Source];

    /// <summary>The source of a library the case references (<see cref="FuzzClasses.LibraryBlocks"/>), or null.</summary>
    public string? Library { get; init; }

    /// <summary>Whether the library is passed as a reference assembly (public surface only), as project references are.</summary>
    public bool LibraryAsReferenceAssembly { get; init; }

    /// <summary>The classes of input beyond the original fuzzer's that this case actually uses.</summary>
    public FuzzClasses Classes { get; init; }

    /// <summary>What the valid language-v2 networks of the case must be (<see cref="FuzzClasses.LanguageV2"/>), from the fuzzer's own model.</summary>
    public IReadOnlyList<FuzzExpectation> Expectations { get; init; } = [];

    /// <summary>
    /// Whether the defect must give exactly one error (besides SEDSL018 on each use of a block with errors), as the
    /// language-v2 defects must; the other defects need at least one located error.
    /// </summary>
    public bool SingleError { get; init; }

    /// <summary>The id that one error must have, or null for any id.</summary>
    public string? ExpectedId { get; init; }

    /// <summary>The language-v2 declarations appended to <see cref="Source"/>; empty without them.</summary>
    public string Appended { get; init; } = "";

    /// <summary>The stage-index declarations appended to <see cref="Source"/> after <see cref="Appended"/>; empty without them.</summary>
    public string IndexAppended { get; init; } = "";

    /// <summary>The text the one error must underline, or null for any text in the input.</summary>
    public string? ExpectedSpan { get; init; }

    /// <summary>Texts the one error's message must contain (an instance's name, a value).</summary>
    public IReadOnlyList<string> ExpectedMessages { get; init; } = [];

    /// <summary>The prefix of every type name the case declares.</summary>
    public string Prefix => NetworkFuzzer.PrefixOf(Seed);

    public override string ToString() => $"seed {Seed.ToString(CultureInfo.InvariantCulture)} ({Defect ?? "valid"}{(Classes == FuzzClasses.None ? "" : "; " + Classes)})";

    /// <summary>Every file of the case, and its library, as one text for a failure report.</summary>
    public string Describe() =>
        (Library is null ? "" : "// library" + (LibraryAsReferenceAssembly ? " (reference assembly)" : "") + "\n" + Library)
        + string.Concat(Files.Select((f, i) => (Files.Count > 1 || Library is not null ? $"// file {i.ToString(CultureInfo.InvariantCulture)}\n" : "") + f));
}

/// <summary>
/// Classes of input added for issue 19, beyond the original fuzzer's. Each draws from a random stream of its own, so
/// with <see cref="None"/> every seed gives exactly the case it gave before they existed.
/// </summary>
[Flags]
public enum FuzzClasses
{
    /// <summary>The original fuzzer's cases, unchanged.</summary>
    None = 0,

    /// <summary>Valid partial classes over several files, in either order: one part holds every layer and parameter field, the others other members.</summary>
    Parts = 1,

    /// <summary>Several layer fields in one declaration (<c>[ReLU] private readonly ReLU a, b;</c>): a layer each, in the order written.</summary>
    SharedDeclarations = 2,

    /// <summary>The defect "a block from a referenced assembly" (SEDSL020), through <c>[Use]</c> or <c>[Stage]</c>.</summary>
    LibraryBlocks = 4,

    /// <summary>The defect "layer fields in two parts of a partial class" (SEDSL019), in either file order.</summary>
    LayersAcrossParts = 8,

    /// <summary>
    /// Issue 14's language-v2 mechanisms, appended to the case from a stream of their own: blocks with typed parameters,
    /// expressions in their arguments and optional layers, SEs with width, inner activation, squeeze and gate as
    /// expressions, networks with state keys; valid groups carry <see cref="FuzzCase.Expectations"/>, and a planted
    /// defect must give exactly one error. Not in <see cref="All"/>, so that every seed under the older classes keeps
    /// its case; <c>SEDSL_FUZZ_CLASSES=all,LanguageV2</c> adds it.
    /// </summary>
    LanguageV2 = 16,

    /// <summary>
    /// A stage's <c>index</c> and double arithmetic, appended after everything else from a stream of its own: stages whose
    /// int and double arguments use <c>index</c>, double literals and C#'s integer division, <c>First</c>, blocks whose
    /// <c>double</c> parameters reach <c>[DropPath]</c>, <c>[Dropout]</c> and batch-norm <c>Eps</c>; valid groups carry
    /// <see cref="FuzzCase.Expectations"/> with every block's channels and rates, and a planted defect must give exactly
    /// one error. Not in <see cref="All"/>; <c>SEDSL_FUZZ_CLASSES=all,LanguageV2,StageIndex</c> adds it.
    /// </summary>
    StageIndex = 32,

    /// <summary>The classes on in <c>FuzzTests</c> unless <c>SEDSL_FUZZ_CLASSES</c> says otherwise: all of issue 19's.</summary>
    Default = All,

    /// <summary>Every class of issue 19; <c>SEDSL_FUZZ_CLASSES=all</c>.</summary>
    All = Parts | SharedDeclarations | LibraryBlocks | LayersAcrossParts,
}

/// <summary>
/// A seeded generator of SeDsl declarations. It keeps its own model of every shape (channels, height, width,
/// flat or not) while it writes layers, so it only writes a valid layer where that model says the layer is valid,
/// and it plants exactly one defect (a bad value, a shape that cannot work, a misused attribute, broken syntax,
/// a recursive block ...) where the case is meant to be invalid.
/// </summary>
/// <remarks>
/// Valid declarations avoid the warnings (SEDSL104 inexact reduction, SEDSL008 no layers, SEDSL108 a stride for a block that applies none) and keep every count
/// far below <see cref="long.MaxValue"/>: channels at most 4096 between layers and height x width at most 2^20.
/// Inside blocks every layer keeps the spatial size, except where the block's stride applies (exactly once in
/// residual blocks and in every branch of a strided parallel block), so block outputs follow from the input alone.
/// </remarks>
public sealed partial class NetworkFuzzer
{
    private const long MaxChannels = 4096;
    private const long MaxArea = 1L << 20;

    private static readonly string[] ParamNames = ["width", "planes", "reduce", "expand", "mid", "outWidth"];
    private static readonly string[] Activations = ["ReLU", "ReLU6", "Sigmoid", "Tanh", "HardSigmoid", "SiLU"];
    private static readonly string[] ActivationTypes = ["ReLU", "ReLU6", "Sigmoid", "Tanh", "Hardsigmoid", "SiLU"];
    private static readonly string[] Gates = ["Sigmoid", "ReLU", "Tanh", "HardSigmoid"];
    private const string ModuleOfTensors = "TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>";

    private readonly Random rng;
    private readonly int seed;
    private readonly string prefix;
    private readonly List<BlockModel> blocks = new();
    private readonly List<string> networks = new();
    private readonly StringBuilder extraTypes = new();
    private readonly string ns;
    private string? defect;
    private string? plannedDefect;
    private int fieldCounter;

    /// <summary>The classes of input enabled, and the random stream that only they draw from.</summary>
    private readonly FuzzClasses classes;
    private readonly Random extra;
    private FuzzClasses used;
    private readonly List<(string Text, bool Before)> otherFiles = new();
    private string? library;
    private bool libraryAsReferenceAssembly;
    private bool parallelBody;
    private int partCounter;

    private NetworkFuzzer(int seed, FuzzClasses classes = FuzzClasses.None)
    {
        this.seed = seed;
        this.classes = classes;
        extra = new Random(unchecked((seed * 31) + 0x5EED));
        variants = new Random(unchecked((seed * 37) + 0x2A2A));
        indexStream = new Random(unchecked((seed * 41) + 0x1D3A));
        rng = new Random(seed);
        prefix = PrefixOf(seed);
        ns = Pick("", "Fuzz", "Fuzz.Cases.S" + ((uint)seed).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The prefix of every type name the case of <paramref name="seed"/> declares.</summary>
    public static string PrefixOf(int seed) => "F" + ((uint)seed).ToString(CultureInfo.InvariantCulture);

    /// <summary>The defect kinds, grouped by where they are planted.</summary>
    public static readonly string[] DefectKinds =
    [
        "layer-value", "layer-shape", "layer-misuse", "class", "input", "block", "syntax", "recursion", "overflow",
    ];

    /// <summary>Generates the case for <paramref name="seed"/>: about half valid, half with one defect.</summary>
    public static FuzzCase Generate(int seed) => new NetworkFuzzer(seed).Build(null);

    /// <summary>Generates the case for <paramref name="seed"/> with the classes of input <paramref name="classes"/> enabled.</summary>
    public static FuzzCase Generate(int seed, FuzzClasses classes) => new NetworkFuzzer(seed, classes).Build(null);

    /// <summary>Generates a valid case (for benchmarks and determinism checks).</summary>
    public static FuzzCase GenerateValid(int seed) => new NetworkFuzzer(seed).Build(false);

    private FuzzCase Build(bool? invalid)
    {
        bool makeInvalid = invalid ?? rng.Next(2) == 0;
        if (makeInvalid)
        {
            plannedDefect = DefectKinds[rng.Next(DefectKinds.Length)];
            var newKinds = new List<string>();
            if (classes.HasFlag(FuzzClasses.LibraryBlocks))
            {
                newKinds.Add("library");
            }

            if (classes.HasFlag(FuzzClasses.LayersAcrossParts))
            {
                newKinds.Add("parts");
            }

            if (newKinds.Count > 0 && extra.Next(5) == 0)
            {
                plannedDefect = newKinds[extra.Next(newKinds.Count)];
            }
        }

        var text = new StringBuilder();
        text.Append("using SeDsl;\nusing SeDsl.Layers;\nusing TorchSharp.Modules;\n");
        if (Chance(4))
        {
            text.Append("using System;\n");
        }

        text.Append('\n');
        bool fileScoped = ns.Length > 0 && rng.Next(2) == 0;
        if (ns.Length > 0)
        {
            text.Append(fileScoped ? $"namespace {ns};\n\n" : $"namespace {ns}\n{{\n");
        }

        var body = new StringBuilder();
        int blockCount = rng.Next(4);
        if (plannedDefect is "block" or "recursion")
        {
            blockCount = Math.Max(blockCount, 1);
        }

        for (int i = 0; i < blockCount; i++)
        {
            body.Append(WriteBlock(i));
        }

        if (plannedDefect == "recursion")
        {
            body.Append(WriteRecursion());
        }

        int networkCount = 1 + (Chance(4) ? 1 : 0);
        for (int i = 0; i < networkCount; i++)
        {
            body.Append(WriteNetwork(i));
        }

        if (plannedDefect is not null and not "syntax" && defect is null)
        {
            // The planned spot never came (e.g. no block to misuse): plant a defect that fits anywhere.
            body.Append(WriteNetworkWithClassDefect());
        }

        body.Append(extraTypes);
        string source = body.ToString();
        if (plannedDefect == "syntax")
        {
            source = CorruptSyntax(source);
        }

        string appended = classes.HasFlag(FuzzClasses.LanguageV2) ? WriteVariants(mayPlant: !makeInvalid) : "";
        string indexAppended = classes.HasFlag(FuzzClasses.StageIndex) ? WriteStageIndex(mayPlant: !makeInvalid && !singleError) : "";
        source += appended + indexAppended;

        text.Append(source);
        if (ns.Length > 0 && !fileScoped)
        {
            text.Append("}\n");
        }

        string qualifier = ns.Length == 0 ? "" : ns + ".";
        string main = text.ToString();
        var files = otherFiles.Where(f => f.Before).Select(f => f.Text).Append(main).Concat(otherFiles.Where(f => !f.Before).Select(f => f.Text)).ToArray();
        return new FuzzCase(seed, main, defect,
            networks.Concat(variantNetworks).Select(n => qualifier + n).ToArray(),
            blocks.Where(b => b.Emitted).Select(b => b.Name).Concat(defect is null ? variantBlocks.Select(b => b.Name).Concat(indexBlockNames) : []).Select(n => qualifier + n).ToArray())
        {
            Expectations = expectations,
            SingleError = singleError,
            ExpectedId = expectedId,
            Appended = appended,
            IndexAppended = indexAppended,
            ExpectedSpan = expectedSpan,
            ExpectedMessages = expectedMessages,
            Files = files,
            Library = library,
            LibraryAsReferenceAssembly = libraryAsReferenceAssembly,
            Classes = used,
        };
    }

    /// <summary>A file of its own for one part of a partial class, in the case's namespace.</summary>
    private string OtherFile(string part)
    {
        var text = new StringBuilder("using SeDsl;\nusing SeDsl.Layers;\nusing TorchSharp.Modules;\n\n");
        if (ns.Length == 0)
        {
            return text.Append(part).ToString();
        }

        return extra.Next(2) == 0
            ? text.Append("namespace ").Append(ns).Append(";\n").Append(part).ToString()
            : text.Append("namespace ").Append(ns).Append("\n{").Append(part).Append("}\n").ToString();
    }

    // ----- networks -----

    private string WriteNetwork(int index)
    {
        string name = prefix + "Net" + index.ToString(CultureInfo.InvariantCulture);
        var shape = InputShape(out string inputText);
        var lines = new List<string>();
        bool plantHere = plannedDefect is "layer-value" or "layer-shape" or "layer-misuse" or "overflow" or "input" or "class" && defect is null;
        int layers = 1 + rng.Next(10);
        int defectAt = plantHere ? rng.Next(layers) : -1;
        var header = new List<string>();

        if (plantHere && plannedDefect == "input")
        {
            inputText = BadInput();
            defectAt = -1;
        }
        else if (plantHere && plannedDefect == "overflow" && Chance(2))
        {
            inputText = "2147483647, 2147483647, 2147483647";
            string first = Pick("BatchNorm2d", "ReLU", "Identity");
            lines.Add(Field(first, first, "pre"));
            lines.Add(Chance(2) ? Field("Conv2d(2147483647, 1)", "Conv2d", "conv") : Field("Flatten", "Flatten", "flatten"));
            Mark("overflow: input 2147483647 x 2147483647 x 2147483647");
            defectAt = -1;
            layers = 1;
        }

        for (int i = 0; i < layers; i++)
        {
            if (i == defectAt)
            {
                if (shape is null)
                {
                    break;
                }

                lines.Add(plannedDefect switch
                {
                    "layer-value" => BadValue(shape),
                    "layer-shape" => BadShape(shape),
                    "overflow" => Overflow(shape),
                    "class" => NetworkLayer(ref shape) ?? Field("ReLU", "ReLU", "relu"),
                    _ => Misuse(shape),
                });
                if (plannedDefect != "class")
                {
                    shape = null;   // unknown after a defect: only layers that parse follow
                }

                continue;
            }

            if (shape is null)
            {
                lines.Add(Field("ReLU", "ReLU", "tail"));
                continue;
            }

            var line = NetworkLayer(ref shape);
            if (line is not null)
            {
                lines.Add(line);
            }
        }

        if (lines.Count == 0)
        {
            lines.Add(Field("Identity", "Identity", "id"));
        }

        string classHeader = "public partial class " + name;
        if (plantHere && plannedDefect == "class" && defect is null)
        {
            (header, classHeader, name) = ClassDefect(name, lines);
        }

        if (plannedDefect == "library" && defect is null)
        {
            lines.Insert(0, LibraryUse());
        }

        networks.Add(name);
        bool splittable = header.Count == 0 && classHeader == "public partial class " + name;
        return Class(header.Prepend($"[{Pick("Network", "Network", "SeDsl.Network", "NetworkAttribute")}({inputText})]").ToList(), classHeader, lines, splittable ? name : null);
    }

    /// <summary>A library declaring one valid block, and the network layer that uses it: SEDSL020.</summary>
    private string LibraryUse()
    {
        used |= FuzzClasses.LibraryBlocks;
        string libraryNamespace = prefix + "Library";
        string block = prefix + "LibraryBlock";
        bool withParameter = extra.Next(2) == 0;
        bool residual = extra.Next(3) == 0;
        string body = withParameter
            ? "    [Param] private readonly int width;\n    [Conv2d(nameof(width), 1)] private readonly Conv2d conv;\n"
            : "    [Conv2d(\"inChannels\", 3, Padding = 1)] private readonly Conv2d conv;\n    [ReLU] private readonly ReLU relu;\n";
        library = $"using SeDsl;\nusing TorchSharp.Modules;\n\nnamespace {libraryNamespace}\n{{\n[Block{(residual ? "(Residual = true)" : "")}]\npublic partial class {block}\n{{\n{body}}}\n}}\n";
        libraryAsReferenceAssembly = extra.Next(2) == 0;
        string arguments = withParameter ? ", 8" : "";
        string qualified = libraryNamespace + "." + block;
        Mark("library: a block from a referenced assembly" + (libraryAsReferenceAssembly ? " (reference assembly)" : ""));
        return extra.Next(2) == 0
            ? $"    [Use(typeof({qualified}){arguments})] private readonly {(extra.Next(2) == 0 ? qualified : ModuleOfTensors)} library;"
            : $"    [Stage(typeof({qualified}), {N(1 + extra.Next(3))}{arguments})] private readonly Sequential library;";
    }

    private string WriteNetworkWithClassDefect()
    {
        plannedDefect = "class";
        return WriteNetwork(9);
    }

    private Shape? InputShape(out string text)
    {
        long c = Pick(1, 1, 3, 3, 3, 4, 8, 16, 64);
        bool large = Chance(12);
        long h = large ? 256 + rng.Next(768) : 1 + rng.Next(Chance(3) ? 8 : 64);
        long w = Chance(3) ? h : large ? 256 + rng.Next(768) : 1 + rng.Next(64);
        text = Chance(6)
            ? $"input: new[] {{ {N(c)}, {N(h)}, {N(w)} }}"
            : $"{N(c)}, {N(h)}, {N(w)}";
        return new Shape(c, h, w, false);
    }

    private string BadInput()
    {
        Mark("input shape");
        return rng.Next(8) switch
        {
            0 => "",
            1 => "3, 32",
            2 => "3, 32, 32, 32",
            3 => "0, 32, 32",
            4 => "3, -1, 32",
            5 => "3, 32, " + Pick("0", "-2147483648"),
            6 => "null",
            _ => "new int[0]",
        };
    }

    /// <summary>A valid layer for <paramref name="shape"/>, which it advances; null when the choice did not fit.</summary>
    private string? NetworkLayer(ref Shape shape)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            var (line, output) = shape.Flat ? FlatLayer(shape) : SpatialLayer(shape);
            if (line is not null && output is not null && output.Channels <= MaxChannels && output.Channels >= 1
                && (output.Flat || (output.Height * output.Width <= MaxArea && output.Height >= 1 && output.Width >= 1)))
            {
                shape = output;
                return line;
            }
        }

        return null;
    }

    private (string?, Shape?) FlatLayer(Shape s) => rng.Next(7) switch
    {
        2 => (Activation(), s),
        3 => (Dropout(), s),
        6 => (DropPath(), s),
        4 => (Field("Identity", "Identity", "id", repeatable: true), s),
        _ => Linear(s),
    };

    private (string?, Shape?) Linear(Shape s)
    {
        long outFeatures = Pick(1, 2, 10, 100, 1000);
        string args = Chance(3) ? $"outFeatures: {N(outFeatures)}" : N(outFeatures);
        if (Chance(3))
        {
            args += ", Bias = " + Bool();
        }

        return (Field($"Linear({args})", "Linear", "fc"), new Shape(outFeatures, 1, 1, true));
    }

    private (string?, Shape?) SpatialLayer(Shape s)
    {
        int roll = rng.Next(100);
        return roll switch
        {
            < 22 => Conv(s),
            < 28 => Depthwise(s),
            < 38 => (BatchNorm(), s),
            < 50 => (Activation(), s),
            < 58 => Pool(s),
            < 62 => (Field(Pick("GlobalAvgPool", "GlobalMaxPool"), "", "gpool"), s with { Height = 1, Width = 1 }),
            < 66 => (Field("Flatten", "Flatten", "flatten"), new Shape(s.Channels * s.Height * s.Width, 1, 1, true)),
            < 68 => (Dropout(), s),
            < 69 => (DropPath(), s),
            < 70 => (Field("Identity", "Identity", "id", repeatable: true), s),
            < 71 => Custom(s),
            < 74 => Shuffle(s),
            < 84 => SqueezeExcite(s),
            < 92 => StageOrUse(s, stage: true),
            _ => StageOrUse(s, stage: false),
        };
    }

    private (string?, Shape?) Conv(Shape s)
    {
        long outChannels = Pick(1, 2, 3, 8, 16, 32, 64, 96, 128, 256);
        int kernel = Pick(1, 1, 3, 3, 3, 5, 7, 11);
        int dilation = Chance(6) ? 2 : 1;
        int stride = Pick(1, 1, 1, 2, 2, 3, 4);
        if (Chance(40))
        {
            stride = int.MaxValue;   // extreme but valid: one output position
        }

        bool same = stride == 1 && dilation * (kernel - 1) % 2 == 0 && Chance(3);
        int padding = same ? -1 : Pick(0, 0, (kernel - 1) / 2, (kernel - 1) / 2, 1, 3);
        long effective = (long)dilation * (kernel - 1) + 1;
        long padded = same ? Math.Min(s.Height, s.Width) + effective - 1 : Math.Min(s.Height, s.Width) + 2L * padding;
        if (padded < effective)
        {
            kernel = 1;
            dilation = 1;
            effective = 1;
            if (same)
            {
                padding = -1;
            }
        }

        long groups = 1;
        if (Chance(4))
        {
            long g = Gcd(s.Channels, outChannels);
            var divisors = Divisors(g);
            groups = divisors[rng.Next(divisors.Count)];
        }

        long pad = same ? (long)dilation * (kernel - 1) / 2 : padding;
        long h = (s.Height + 2 * pad - ((long)dilation * (kernel - 1)) - 1) / stride + 1;
        long w = (s.Width + 2 * pad - ((long)dilation * (kernel - 1)) - 1) / stride + 1;

        var args = new List<string>();
        if (Chance(4))
        {
            args.Add(Chance(2) ? $"outChannels: {N(outChannels)}, kernel: {N(kernel)}" : $"kernel: {N(kernel)}, outChannels: {N(outChannels)}");
        }
        else
        {
            args.Add($"{N(outChannels)}, {N(kernel)}");
        }

        Optional(args, "Stride", stride, 1);
        if (same)
        {
            args.Add(Pick("Padding = Pad.Same", "Padding = SeDsl.Pad.Same", "Padding = -1"));
        }
        else
        {
            Optional(args, "Padding", padding, 0);
        }

        Optional(args, "Dilation", dilation, 1);
        Optional(args, "Groups", (int)groups, 1);
        if (Chance(2))
        {
            args.Add("Bias = " + Bool());
        }

        Shuffle(args, 1);
        return (Field($"Conv2d({string.Join(", ", args)})", Pick("Conv2d", "Conv2d", "Module"), "conv"), new Shape(outChannels, h, w, false));
    }

    private (string?, Shape?) Depthwise(Shape s)
    {
        int kernel = Pick(1, 3, 3, 5);
        int multiplier = Pick(1, 1, 2);
        int stride = Pick(1, 1, 2);
        int padding = (kernel - 1) / 2;
        var args = new List<string> { N(kernel) };
        Optional(args, "Multiplier", multiplier, 1);
        Optional(args, "Stride", stride, 1);
        if (stride == 1 && Chance(2))
        {
            args.Add("Padding = Pad.Same");
        }
        else
        {
            Optional(args, "Padding", padding, 0);
        }

        if (Chance(3))
        {
            args.Add("Bias = " + Bool());
        }

        long h = (s.Height - 1) / stride + 1;
        long w = (s.Width - 1) / stride + 1;
        return (Field($"DepthwiseConv2d({string.Join(", ", args)})", "Conv2d", "dw"), new Shape(s.Channels * multiplier, h, w, false));
    }

    private string BatchNorm()
    {
        var args = new List<string>();
        if (Chance(3))
        {
            args.Add("Eps = " + Pick("1e-3", "0.001", "1E-05", "double.Epsilon", "0.5", "1e300"));
        }

        if (Chance(3))
        {
            args.Add("Momentum = " + Pick("0.01", "0", "1", "0.1", "0.9999"));
        }

        string attribute = args.Count == 0 ? Pick("BatchNorm2d", "BatchNorm2d()") : $"BatchNorm2d({string.Join(", ", args)})";
        return Field(attribute, "BatchNorm2d", "bn", repeatable: true);
    }

    private string Activation()
    {
        int i = rng.Next(Activations.Length);
        return Field(Activations[i], ActivationTypes[i], "act", repeatable: true);
    }

    private string Dropout() =>
        Field(Pick("Dropout", "Dropout()", "Dropout(0.2)", "Dropout(p: 0)", "Dropout(1)", "Dropout(1.0)", "Dropout(0.5)"), "Dropout", "drop", repeatable: true);

    private string DropPath() =>
        Field(Pick("DropPath(0.2)", "DropPath(p: 0)", "DropPath(0)", "DropPath(0.999)", "DropPath(0.5)"), "DropPath", "droppath", repeatable: true);

    /// <summary>
    /// A <c>[Custom]</c> layer over the runtime's <c>SqueezeExcitation</c> (a public module whose constructor takes
    /// <c>(long, long, ...)</c>), with a declared rule that may widen and stride; only shapes and compilation are judged.
    /// </summary>
    private (string?, Shape?) Custom(Shape s)
    {
        long factor = Pick(1, 1, 2, 3);
        int stride = Pick(1, 1, 2, 3);
        var args = new List<string> { "typeof(SqueezeExcitation)", Pick("1", "4", "\"inChannels / 2 + 1\"", "\"inChannels\"") };
        if (factor != 1)
        {
            args.Add($"OutChannels = \"inChannels * {N(factor)}\"");
        }

        if (stride != 1 || Chance(6))
        {
            args.Add("Stride = " + N(stride));
        }

        if (Chance(2))
        {
            args.Add(Pick("Parameters = \"2 * inChannels + 1\"", "Parameters = \"0\"", "Parameters = \"inChannels * inChannels\""));
        }

        if (Chance(2))
        {
            args.Add(Pick("MultiplyAdds = \"inChannels * height * width\"", "MultiplyAdds = \"7\""));
        }

        var output = new Shape(s.Channels * factor, (s.Height + stride - 1) / stride, (s.Width + stride - 1) / stride, false);
        return (Field($"Custom({string.Join(", ", args)})", Chance(4) ? "Module" : "SqueezeExcitation", "custom"), output);
    }

    private (string?, Shape?) Pool(Shape s)
    {
        int kernel = Pick(1, 2, 2, 3, 3, 5);
        int padding = Chance(3) ? rng.Next(kernel / 2 + 1) : 0;
        int stride = Pick(0, 0, 1, 2, 3);
        bool ceil = Chance(4);
        long strideValue = stride == 0 ? kernel : stride;
        long h = WindowOutput(s.Height, kernel, strideValue, padding, ceil);
        long w = WindowOutput(s.Width, kernel, strideValue, padding, ceil);
        if (h < 1 || w < 1)
        {
            return default;
        }

        var args = new List<string> { N(kernel) };
        Optional(args, "Stride", stride, 0);
        Optional(args, "Padding", padding, 0);
        if (ceil || Chance(6))
        {
            args.Add("CeilMode = " + (ceil ? "true" : "false"));
        }

        string kind = Pick("MaxPool2d", "AvgPool2d");
        return (Field($"{kind}({string.Join(", ", args)})", kind, "pool"), s with { Height = h, Width = w });
    }

    private (string?, Shape?) Shuffle(Shape s)
    {
        var divisors = Divisors(s.Channels);
        long groups = divisors[rng.Next(divisors.Count)];
        return (Field($"ChannelShuffle({N(groups)})", "ChannelShuffle", "shuffle", repeatable: true), s);
    }

    private (string?, Shape?) SqueezeExcite(Shape s)
    {
        var args = new List<string>();
        long divisor = Chance(3) ? Pick(2, 4, 8, 16) : 1;
        long r;
        if (divisor == 1)
        {
            var divisors = Divisors(s.Channels);
            r = divisors[rng.Next(divisors.Count)];
        }
        else
        {
            r = Pick(1, 2, 4, 16, 64, 1000, int.MaxValue);
        }

        if (r != 16 || Chance(3))
        {
            args.Add(Pick($"r: {N(r)}", N(r)));
        }

        if (divisor != 1 || Chance(6))
        {
            args.Add("Divisor = " + N(divisor));
        }

        if (Chance(3))
        {
            args.Add("Squeeze = SqueezeOperator." + Pick("Average", "Max"));
        }

        if (Chance(3))
        {
            args.Add("Gate = ExcitationGate." + Pick(Gates));
        }

        if (Chance(3))
        {
            args.Add("Bias = " + Bool());
        }

        string attribute = args.Count == 0 ? Pick("SqueezeExcite", "SqueezeExcite()") : $"SqueezeExcite({string.Join(", ", args)})";
        return (Field(attribute, "SqueezeExcitation", "se", repeatable: true), s);
    }

    private (string?, Shape?) StageOrUse(Shape s, bool stage)
    {
        var candidates = blocks.Where(b => b.Usable).ToList();
        if (candidates.Count == 0)
        {
            return Conv(s);
        }

        var block = candidates[rng.Next(candidates.Count)];
        var values = block.Parameters.Select(_ => (long)Pick(1, 2, 4, 8, 16, 32, 64)).ToArray();
        int stride = Pick(1, 1, 2, 3);
        int count = stage ? Pick(1, 1, 2, 3, 4) : 1;
        var output = block.Apply(s, values, stride, count);
        string args = string.Concat(values.Select(v => ", " + N(v)));
        // A stride for a block that applies it nowhere is SEDSL108: such a block is given Stride = 1 when any.
        string strideText = stride != 1 || Chance(5) ? ", Stride = " + N(block.Carriers == 0 ? 1 : stride) : "";
        return stage
            ? (Field($"Stage(typeof({block.Name}), {N(count)}{args}{strideText})", "Sequential", "layer"), output)
            : (Field($"Use(typeof({block.Name}){args}{strideText})", Chance(4) ? ModuleOfTensors : block.Name, "block"), output);
    }

    // ----- defects in network layers -----

    private string BadValue(Shape s)
    {
        string tiny = Pick("0", "-1", "-2147483648");
        int which = rng.Next(22);
        Mark("layer value #" + which.ToString(CultureInfo.InvariantCulture));
        return which switch
        {
            0 => Field($"Conv2d({tiny}, 3)", "Conv2d", "conv"),
            1 => Field($"Conv2d(8, {Pick("0", "-3")})", "Conv2d", "conv"),
            2 => Field($"Conv2d(8, 1, Stride = {Pick("0", "-1", "-2", "Strides.OfBlock", "-2147483648")})", "Conv2d", "conv"),
            3 => Field($"Conv2d(8, 1, Dilation = {Pick("0", "-3")})", "Conv2d", "conv"),
            4 => Field($"Conv2d(8, 1, Padding = {Pick("-2", "-100", "-2147483648")})", "Conv2d", "conv"),
            5 => Field(Pick("Conv2d(8, 3, Stride = 2, Padding = Pad.Same)", "Conv2d(8, 2, Padding = Pad.Same)", "Conv2d(8, 4, Dilation = 3, Padding = Pad.Same)"), "Conv2d", "conv"),
            6 => Field($"Conv2d(8, 1, Groups = {tiny})", "Conv2d", "conv"),
            7 => Field($"DepthwiseConv2d(3, Multiplier = {tiny})", "Conv2d", "dw"),
            8 => Field($"{Pick("MaxPool2d", "AvgPool2d")}({Pick("0", "-1")})", Pick("MaxPool2d", "AvgPool2d"), "pool"),
            9 => Field($"MaxPool2d(3, Padding = {Pick("2", "3", "-1", "2147483647")})", "MaxPool2d", "pool"),
            10 => Field($"AvgPool2d(2, Stride = {Pick("-1", "-2", "Strides.OfBlock")})", "AvgPool2d", "pool"),
            11 => Field($"SqueezeExcite(r: {Pick("0", "-16")})", "SqueezeExcitation", "se"),
            12 => Field($"SqueezeExcite(r: 1, Divisor = {Pick("0", "-8")})", "SqueezeExcitation", "se"),
            13 => Field($"SqueezeExcite(r: 1, Squeeze = (SqueezeOperator){Pick("2", "-1", "99")})", "SqueezeExcitation", "se"),
            14 => Field($"SqueezeExcite(r: 1, Gate = (ExcitationGate){Pick("4", "-1", "2147483647")})", "SqueezeExcitation", "se"),
            15 => Field($"BatchNorm2d(Eps = {Pick("0", "-1e-5", "double.NaN", "double.PositiveInfinity", "-0.0")})", "BatchNorm2d", "bn"),
            16 => Field($"BatchNorm2d(Momentum = {Pick("-0.1", "1.5", "double.NaN", "double.NegativeInfinity")})", "BatchNorm2d", "bn"),
            17 => Field($"Dropout({Pick("-0.5", "1.0001", "double.NaN", "double.PositiveInfinity", "p: -1")})", "Dropout", "drop"),
            18 => Field($"ChannelShuffle({Pick("0", "-2")})", "ChannelShuffle", "shuffle"),
            19 => Field($"DropPath({Pick("-0.5", "1", "1.0", "double.NaN", "double.PositiveInfinity", "p: -1")})", "DropPath", "droppath"),
            20 => Field("Custom(typeof(SqueezeExcitation), " + Pick("1, OutChannels = \"0\"", "1, OutChannels = \"height\"", "1, Parameters = \"0 - 1\"", "1, MultiplyAdds = \"inChannels - 100000000\"",
                "1, Stride = 0", "1, 2", "2.5", "1, OutChannels = \"inChannels / 0\"") + ")", "SqueezeExcitation", "custom"),
            _ => Field($"Linear({tiny})", "Linear", "fc"),
        };
    }

    private string BadShape(Shape s)
    {
        int which = rng.Next(s.Flat ? 3 : 9);
        Mark((s.Flat ? "flat shape #" : "spatial shape #") + which.ToString(CultureInfo.InvariantCulture));
        if (s.Flat)
        {
            return which switch
            {
                0 => Field("Conv2d(8, 1)", "Conv2d", "conv"),
                1 => Field(Pick("BatchNorm2d", "GlobalAvgPool", "Flatten", "SqueezeExcite(r: 1)", "MaxPool2d(1)", "ChannelShuffle(1)"),
                    "", "spatial"),
                _ => Field("DepthwiseConv2d(1)", "Conv2d", "dw"),
            };
        }

        long small = Math.Min(s.Height, s.Width);
        return which switch
        {
            0 => Field($"Conv2d(8, {N(small + 1 + rng.Next(5))})", "Conv2d", "conv"),
            1 => Field($"Conv2d(8, {N(Math.Min(int.MaxValue, small + 3))}, Padding = 1)", "Conv2d", "conv"),
            2 => Field($"Conv2d(8, 3, Dilation = {N(small + 1)})", "Conv2d", "conv"),
            3 => Field($"{Pick("MaxPool2d", "AvgPool2d")}({N(small + 1)})", "", "pool"),
            4 => Field($"Conv2d(8, 1, Groups = {N(s.Channels + 1)})", "Conv2d", "conv"),
            5 when s.Channels > 1 => Field($"Conv2d({N(s.Channels + 1)}, 1, Groups = {N(s.Channels)})", "Conv2d", "conv"),
            6 => Field($"ChannelShuffle({N(s.Channels + 1)})", "ChannelShuffle", "shuffle"),
            7 => Field($"SqueezeExcite(r: {N(s.Channels + 1 + rng.Next(1000))})", "SqueezeExcitation", "se"),
            _ => Field("Linear(10)", "Linear", "fc"),
        };
    }

    private string Overflow(Shape s)
    {
        Mark("overflow");
        // (2^31 - 1)^2 x (at least 1) x 11^2 multiply-adds per position would fit; this needs the channels too.
        return Chance(2) || s.Flat
            ? Field("Linear(2147483647)", "Linear", "fc") + "\n" + Field("Linear(2147483647)", "Linear", "fc") + "\n" + Field("Linear(2147483647)", "Linear", "fc")
            : Field("Conv2d(2147483647, 1)", "Conv2d", "conv") + "\n" + Field("Conv2d(2147483647, 1)", "Conv2d", "conv") + "\n" + Field("Conv2d(2147483647, 1)", "Conv2d", "conv");
    }

    private string Misuse(Shape s)
    {
        int which = rng.Next(26);
        Mark("layer misuse #" + which.ToString(CultureInfo.InvariantCulture));
        string name = NewName("bad");
        return which switch
        {
            0 => $"    [Conv2d(8, 3)] private readonly Linear {name};",
            1 => $"    [ReLU] private readonly Sigmoid {name};",
            2 => $"    [ReLU, Sigmoid] private readonly ReLU {name};",
            3 => $"    [ReLU][ReLU] private readonly ReLU {name};",
            4 => $"    [ReLU] private static readonly ReLU {name};",
            5 => $"    [ReLU] private readonly ReLU {Pick("forward", "Summary", "ParameterCount", "Flops", "train", "parameters", "training")};",
            6 => $"    [ReLU] private readonly ReLU? {name};",
            7 => $"    [ReLU] private readonly ReLU {name} = null!;",
            8 => $"    [field: ReLU] private ReLU {Upper(name)} {{ get; }} = null!;",
            9 => $"    [ReLU, {Pick("OnShortcut", "AfterAddition")}] private readonly ReLU {name};",
            10 => UnknownLayer(name),
            11 => $"    [Conv2d(8, 3)] public void {Upper(name)}() {{ }}",
            12 => $"    [{Pick("Network(3, 8, 8)", "Block")}] private readonly ReLU {name};",
            13 => $"    [{Pick("Conv2d(8)", "Linear", "ChannelShuffle", "MaxPool2d", "Conv2d", "Stage(typeof(object))", "Use")}] private readonly Conv2d {name};",
            14 => $"    [Conv2d(8, 3, Stride = 1, Stride = 2)] private readonly Conv2d {name};",
            15 => $"    [SqueezeExcite(r: 4, r: 8)] private readonly SqueezeExcitation {name};",
            // A string is an expression since language v2, and "2" a valid one: the third option is a malformed expression.
            16 => $"    [Conv2d(8, 3, Stride = {Pick("1.5", "true", "\"2 +\"", "2L")})] private readonly Conv2d {name};",
            17 => $"    [Conv2d({Pick("8L", "2147483648", "8.0", "\"8\" + 1")}, 3)] private readonly Conv2d {name};",
            18 => $"    [SqueezeExcite(r: 16, Gate = {Pick("2", "SqueezeOperator.Max")})] private readonly SqueezeExcitation {name};",
            19 => $"    [Conv2d(8, 3, Stride = int.Parse(\"1\"))] private readonly Conv2d {name};",
            20 => $"    [Conv2d(8, 3, {Pick("Strides", "stride", "Kernel")} = 2)] private readonly Conv2d {name};",
            21 => $"    [Conv2d(nameof({Pick("planes", "width")}), 1)] private readonly Conv2d {name};",
            22 => $"    [Stage(typeof({Pick("Conv2d", "string", "ReLU")}), 2, 8)] private readonly Sequential {name};",
            23 => $"    [Use(typeof({Pick("Conv2d", "string")}))] private readonly Conv2d {name};",
            24 => BadStageOrUse(name),
            _ => $"    [ReLU] private readonly ReLU {name};\n    [Identity] private readonly Identity {name};",
        };
    }

    private string UnknownLayer(string name)
    {
        string attribute = prefix + "CustomLayer";
        if (!extraTypes.ToString().Contains(attribute, StringComparison.Ordinal))
        {
            extraTypes.Append($"\npublic sealed class {attribute}Attribute : SeDsl.LayerAttribute\n{{\n}}\n");
        }

        return $"    [{attribute}] private readonly ReLU {name};";
    }

    private string BadStageOrUse(string name)
    {
        var block = blocks.FirstOrDefault(b => b.Usable);
        if (block is null)
        {
            return $"    [Stage(typeof(ReLU), 1)] private readonly Sequential {name};";
        }

        string args = string.Concat(block.Parameters.Select(_ => ", 8"));
        return rng.Next(5) switch
        {
            0 => $"    [Stage(typeof({block.Name}), {Pick("0", "-1")}{args})] private readonly Sequential {name};",
            1 => $"    [Stage(typeof({block.Name}), 1{args}, Stride = {Pick("0", "-1", "Strides.OfBlock")})] private readonly Sequential {name};",
            2 => $"    [Stage(typeof({block.Name}), 1{args}, 8)] private readonly Sequential {name};",
            3 => $"    [Use(typeof({block.Name}){args}, 8)] private readonly {block.Name} {name};",
            _ => $"    [Use(typeof({block.Name}){args}, Stride = {Pick("0", "-1", "Strides.OfBlock")})] private readonly {block.Name} {name};",
        };
    }

    private (List<string> Header, string ClassHeader, string Name) ClassDefect(string name, List<string> lines)
    {
        int which = rng.Next(12);
        Mark("class #" + which.ToString(CultureInfo.InvariantCulture));
        var header = new List<string>();
        switch (which)
        {
            case 0:
                return (header, "public class " + name, name);
            case 1:
                extraTypes.Append($"\npublic class {name}Base\n{{\n}}\n");
                return (header, $"public partial class {name} : {name}Base", name);
            case 2:
                return (header, $"public partial class {name}<T>", name);
            case 3:
                return (header, $"public partial record {name}", name);
            case 4:
                return (header, $"public partial struct {name}", name);
            case 5:
                header.Add("[Network(3, 8, 8)]");
                return (header, "public partial class " + name, name);
            case 6:
                header.Add("[Block]");
                return (header, "public partial class " + name, name);
            case 7:
                // Two networks whose names differ only in case.
                extraTypes.Append($"\n[Network(3, 8, 8)]\npublic partial class {name.ToLowerInvariant()}\n{{\n    [ReLU] private readonly ReLU relu;\n}}\n");
                return (header, "public partial class " + name, name);
            case 8:
                lines.Add("    [ReLU] private readonly ReLU x;\n    [ReLU] private readonly ReLU x;");
                return (header, "public partial class " + name, name);
            case 9:
                return (header, "public partial class " + name + "(int size)", name);
            case 10:
                return (header, "public static partial class " + name, name);
            default:
                return (header, "public partial class " + name + " : System.Exception", name);
        }
    }

    // ----- blocks -----

    /// <summary>A block the fuzzer wrote, and how its output follows from its input.</summary>
    private sealed class BlockModel
    {
        public required string Name { get; init; }

        public required List<string> Parameters { get; init; }

        public bool Residual { get; init; }

        /// <summary>How many times the block's stride applies to the spatial size (0 or 1).</summary>
        public int Carriers { get; init; }

        /// <summary>Output channels from (input channels, parameter values).</summary>
        public required Func<long, long[], long> OutChannels { get; init; }

        /// <summary>Whether networks may use it (it has no defect).</summary>
        public bool Usable { get; init; }

        /// <summary>Whether the generator must emit it.</summary>
        public bool Emitted { get; init; }

        public Shape Apply(Shape input, long[] values, long stride, int count)
        {
            var shape = input;
            for (int i = 0; i < count; i++)
            {
                long s = i == 0 ? stride : 1;
                long h = Carriers == 0 ? shape.Height : (shape.Height - 1) / s + 1;
                long w = Carriers == 0 ? shape.Width : (shape.Width - 1) / s + 1;
                shape = new Shape(OutChannels(shape.Channels, values), h, w, false);
            }

            return shape;
        }
    }

    /// <summary>A channel expression inside a block: its text and its value.</summary>
    private sealed record Channels(string Text, Func<Dictionary<string, long>, long> Value);

    private string WriteBlock(int index)
    {
        string name = prefix + "Block" + index.ToString(CultureInfo.InvariantCulture);
        var parameters = ParamNames.OrderBy(_ => rng.Next()).Take(rng.Next(4)).ToList();
        bool residual = Chance(2);
        bool parallel = Chance(4);
        int shortcutKernel = residual && Chance(4) ? 3 : 1;
        bool reluAfter = !residual || !Chance(4);
        int carriers = residual ? 1 : rng.Next(2);
        bool plant = plannedDefect == "block" && defect is null && index == 0;
        var lines = new List<string>();
        foreach (string p in parameters)
        {
            lines.Add($"    [Param] private readonly int {p};");
        }

        var env = parameters.ToDictionary(p => p, _ => 0L);
        Func<Dictionary<string, long>, long> current = e => e["inChannels"];
        if (parallel)
        {
            parallelBody = true;
            int branches = 1 + rng.Next(3);
            var widths = new List<Func<Dictionary<string, long>, long>>();
            for (int b = 0; b < branches; b++)
            {
                var (line, width) = Branch(parameters, carriers, current);
                lines.Add(line);
                widths.Add(width);
            }

            current = e => widths.Sum(f => f(e));
            parallelBody = false;
            if (Chance(3))
            {
                // A layer on the concatenation keeps its width.
                lines.Add(SameShapeLayer("AfterConcatenation"));
            }
        }
        else
        {
            int count = 1 + rng.Next(6);
            int carrierAt = carriers == 1 ? rng.Next(count) : -1;
            for (int i = 0; i < count; i++)
            {
                var (line, next) = BlockLayer(parameters, current, carry: i == carrierAt);
                lines.Add(line);
                current = next;
            }
        }

        if (residual && Chance(3))
        {
            lines.Add(SameShapeLayer(Pick("OnShortcut", "AfterAddition")));
        }

        var blockHeader = new List<string>();
        if (residual)
        {
            blockHeader.Add("Residual = true");
        }
        else if (Chance(6))
        {
            blockHeader.Add("Residual = false");
        }

        if (parallel)
        {
            blockHeader.Add("Parallel = true");
        }

        if (shortcutKernel != 1 || (residual && Chance(6)))
        {
            blockHeader.Add("ShortcutKernel = " + N(shortcutKernel));
        }

        if (!reluAfter)
        {
            blockHeader.Add("AfterAddition = ResidualActivation.None");
        }
        else if (residual && Chance(6))
        {
            blockHeader.Add("AfterAddition = ResidualActivation.ReLU");
        }

        string header = blockHeader.Count == 0 ? Pick("[Block]", "[Block()]", "[SeDsl.Block]") : $"[Block({string.Join(", ", blockHeader)})]";
        bool usable = true;
        string classHeader = "public partial class " + name;
        if (plant)
        {
            usable = false;
            (header, classHeader) = BlockDefect(name, header, classHeader, parameters, lines, residual);
        }

        var outChannels = current;
        bool splittable = classHeader == "public partial class " + name && !plant;
        blocks.Add(new BlockModel
        {
            Name = name,
            Parameters = parameters,
            Residual = residual,
            Carriers = carriers,
            OutChannels = (inChannels, values) =>
            {
                var e = new Dictionary<string, long> { ["inChannels"] = inChannels };
                for (int i = 0; i < parameters.Count; i++)
                {
                    e[parameters[i]] = values[i];
                }

                return outChannels(e);
            },
            Usable = usable,
            Emitted = usable,
        });
        return Class([header], classHeader, lines, splittable ? name : null);
    }

    /// <summary>A channel expression that is at least 1 for parameters of at least 1.</summary>
    private Channels ChannelExpression(List<string> parameters, Func<Dictionary<string, long>, long> input)
    {
        if (parameters.Count == 0 || Chance(5))
        {
            if (Chance(2))
            {
                long n = Pick(1, 4, 8, 16, 64);
                return new Channels(Chance(2) ? N(n) : $"\"{N(n)}\"", _ => n);
            }

            return new Channels("\"inChannels\"", e => e["inChannels"]);
        }

        string p = parameters[rng.Next(parameters.Count)];
        long k = Pick(1, 2, 3, 4);
        return rng.Next(6) switch
        {
            0 => new Channels($"nameof({p})", e => e[p]),
            1 => new Channels($"\"{p}\"", e => e[p]),
            2 => new Channels($"\"{p} * {N(k)}\"", e => e[p] * k),
            3 => new Channels($"\"{p} + {N(k)}\"", e => e[p] + k),
            4 => new Channels($"\"({p} + {N(k)}) * {N(k)}\"", e => (e[p] + k) * k),
            _ => new Channels($"\"{p}*{N(k)}/{N(k)} + inChannels - inChannels\"", e => e[p] * k / k),
        };
    }

    private (string, Func<Dictionary<string, long>, long>) BlockLayer(List<string> parameters, Func<Dictionary<string, long>, long> input, bool carry)
    {
        string stride = carry ? Pick(", Stride = Strides.OfBlock", ", Stride = SeDsl.Strides.OfBlock", ", Stride = -2") : "";
        int roll = rng.Next(carry ? 6 : 10);
        if (roll is 3 && !carry)
        {
            roll = 4;
        }

        var candidates = blocks.Where(b => b.Usable && (!carry || b.Carriers == 1)).ToList();
        if (roll is 4 or 5 && candidates.Count > 0)
        {
            var used = candidates[rng.Next(candidates.Count)];
            var arguments = used.Parameters.Select(_ => UseArgument(parameters)).ToList();
            string useStride = carry ? stride : (Chance(5) ? ", Stride = 1" : "");
            string args = string.Concat(arguments.Select(a => ", " + a.Text));
            return (Field($"Use(typeof({used.Name}){args}{useStride})", Chance(4) ? ModuleOfTensors : used.Name, "inner"),
                e => used.OutChannels(input(e), arguments.Select(a => a.Value(e)).ToArray()));
        }

        if (roll == 2)
        {
            int multiplier = Pick(1, 2);
            int kernel = Pick(1, 3, 5);
            string mult = multiplier != 1 || Chance(4) ? $", Multiplier = {N(multiplier)}" : "";
            return (Field($"DepthwiseConv2d({N(kernel)}{mult}{stride}, Padding = {N((kernel - 1) / 2)})", "Conv2d", "dw"), e => input(e) * multiplier);
        }

        if (roll == 3)
        {
            string kind = Pick("MaxPool2d", "AvgPool2d");
            return (Field($"{kind}(3{stride}, Padding = 1)", kind, "pool"), input);
        }

        if (roll <= 5 || carry)
        {
            var expression = ChannelExpression(parameters, input);
            int kernel = Pick(1, 3, 3, 5);
            int dilation = Chance(6) ? 2 : 1;
            string padding = !carry && Chance(4) ? ", Padding = Pad.Same" : dilation * (kernel - 1) / 2 == 0 && Chance(2) ? "" : $", Padding = {N(dilation * (kernel - 1) / 2)}";
            string dilationText = dilation != 1 ? ", Dilation = 2" : "";
            string bias = Chance(2) ? ", Bias = " + Bool() : "";
            return (Field($"Conv2d({expression.Text}, {N(kernel)}{stride}{padding}{dilationText}{bias})", "Conv2d", "conv"), expression.Value);
        }

        return (SameShapeLayer(null), input);
    }

    private Channels UseArgument(List<string> parameters)
    {
        if (parameters.Count == 0 || Chance(3))
        {
            long n = Pick(1, 2, 8, 16, 32);
            return new Channels(N(n), _ => n);
        }

        string p = parameters[rng.Next(parameters.Count)];
        return rng.Next(3) switch
        {
            0 => new Channels($"nameof({p})", e => e[p]),
            1 => new Channels($"\"{p} * 2\"", e => e[p] * 2),
            _ => new Channels($"\"{p} + 1\"", e => e[p] + 1),
        };
    }

    /// <summary>One branch of a parallel block; the block's stride applies <paramref name="carriers"/> times.</summary>
    private (string, Func<Dictionary<string, long>, long>) Branch(List<string> parameters, int carriers, Func<Dictionary<string, long>, long> input)
    {
        if (carriers == 0 && Chance(4))
        {
            return (SameShapeLayer(null), input);
        }

        return BlockLayer(parameters, input, carry: carriers == 1);
    }

    /// <summary>A layer that keeps channels and size for any input (with an optional placement marker).</summary>
    private string SameShapeLayer(string? placement)
    {
        string marker = placement is null ? "" : ", " + placement;
        return rng.Next(7) switch
        {
            0 => Field("BatchNorm2d" + marker, "BatchNorm2d", "bn", repeatable: true),
            1 => Field(Pick("ReLU", "SiLU", "Sigmoid") + marker, "", "act", repeatable: true),
            2 => Field("Identity" + marker, "Identity", "id", repeatable: true),
            3 => Chance(2) ? Field("Dropout(0.1)" + marker, "Dropout", "drop", repeatable: true) : Field("DropPath(0.1)" + marker, "DropPath", "droppath", repeatable: true),
            4 => Field("MaxPool2d(3, Stride = 1, Padding = 1)" + marker, "MaxPool2d", "pool", repeatable: true),
            _ => Field($"SqueezeExcite(r: {N(Pick(1, 2, 4, 16, 100))}, Divisor = {N(Pick(2, 4, 8))}{(Chance(2) ? ", Gate = ExcitationGate." + Pick(Gates) : "")}{(Chance(3) ? ", Squeeze = SqueezeOperator.Max" : "")}{(Chance(3) ? ", Bias = false" : "")}){marker}",
                "SqueezeExcitation", "se", repeatable: true),
        };
    }

    private (string Header, string ClassHeader) BlockDefect(string name, string header, string classHeader, List<string> parameters, List<string> lines, bool residual)
    {
        int which = rng.Next(14);
        Mark("block #" + which.ToString(CultureInfo.InvariantCulture));
        string p = parameters.Count > 0 ? parameters[0] : "width";
        string field = NewName("bad");
        switch (which)
        {
            case 0:
                lines.Insert(0, $"    [Param] private readonly {Pick("long", "string", "double", "int?")} {NewName("arg")};");
                break;
            case 1:
                lines.Insert(0, $"    [Param] private readonly int {Pick("stride", "inChannels", "downsample", "forward", "@class", "training", "Summary")};");
                break;
            case 2:
                lines.Insert(0, Pick($"    [Param] private static int {NewName("arg")};", $"    [Param] private readonly int {NewName("arg")} = 3;", $"    [Param] private const int {NewName("arg")} = 3;"));
                break;
            case 3:
                lines.Add(Field("Linear(10)", "Linear", "fc"));
                break;
            case 4:
                lines.Add($"    [Stage(typeof({name}), 1)] private readonly Sequential {field};");
                break;
            case 5:
                lines.Add($"    [Conv2d(\"{Pick(p + " *", "unknownName + 1", p + " ** 2", "", "()", "(" + p, p + ")", "1 +", "x y", "2 $ 3", "99999999999999999999999")}\", 1)] private readonly Conv2d {field};");
                break;
            case 6:
                lines.Add($"    [ReLU, OnShortcut] private readonly ReLU {field};");
                if (residual)
                {
                    header = "[Block]";
                }

                break;
            case 7:
                header = $"[Block(Residual = true, ShortcutKernel = {Pick("0", "2", "-1", "4")})]";
                break;
            case 8:
                lines.Add($"    [Use(typeof({Pick("Conv2d", "string")}))] private readonly Conv2d {field};");
                break;
            case 9:
                lines.Add($"    [Conv2d({Pick("0", "-1")}, 1)] private readonly Conv2d {field};");
                break;
            case 10:
                classHeader = Pick($"public class {name}", $"public partial class {name}<T>", $"public partial class {name} : System.Exception");
                break;
            case 11:
                lines.Add($"    [Use(typeof({name}))] private readonly {name} {field};");
                break;
            case 12:
                lines.Add($"    [Conv2d(8, 3, Padding = Pad.Same, Stride = 2)] private readonly Conv2d {field};");
                break;
            default:
                header = "[Block, Network(3, 8, 8)]";
                break;
        }

        // Some defects show only where the block is used: the first network uses it.
        pendingUse = $"    [Use(typeof({name}){string.Concat(parameters.Select(_ => ", 8"))})] private readonly {name} usesDefect;";
        return (header, classHeader);
    }

    // ----- defects that need a use: a block that is valid alone but not for its arguments -----

    private string WriteRecursion()
    {
        string a = prefix + "Loop";
        string b = prefix + "LoopPartner";
        int which = rng.Next(5);
        Mark("recursion #" + which.ToString(CultureInfo.InvariantCulture));
        string usedByNetwork = a;
        string text = which switch
        {
            0 => $"\n[Block]\npublic partial class {a}\n{{\n    [Use(typeof({a}))] private readonly {a} self;\n}}\n",
            1 => $"\n[Block]\npublic partial class {a}\n{{\n    [Use(typeof({b}))] private readonly {b} next;\n}}\n\n[Block]\npublic partial class {b}\n{{\n    [Use(typeof({a}))] private readonly {a} back;\n}}\n",
            2 => $"\n[Block(Parallel = true)]\npublic partial class {a}\n{{\n    [Identity] private readonly Identity keep;\n    [Use(typeof({a}))] private readonly {a} again;\n}}\n",
            3 => BlockUsedWith(a, "[Param] private readonly int width;\n    [Conv2d(\"width * 65536\", 1)] private readonly Conv2d conv;", "65536", ref usedByNetwork, residual: false),
            _ => BlockUsedWith(a, $"[Param] private readonly int width;\n    [SqueezeExcite(r: 1000000)] private readonly SqueezeExcitation se;", "1", ref usedByNetwork, residual: false),
        };

        // The network uses the defective block, so that errors found only on use are found.
        string args = which >= 3 ? (which == 3 ? ", 65536" : ", 1") : "";
        pendingUse = $"    [Use(typeof({usedByNetwork}){args})] private readonly {usedByNetwork} loop;";
        return text;
    }

    private string? pendingUse;

    private static string BlockUsedWith(string name, string body, string argument, ref string used, bool residual)
    {
        used = name;
        return $"\n[Block{(residual ? "(Residual = true)" : "")}]\npublic partial class {name}\n{{\n    {body}\n}}\n";
    }

    // ----- syntax -----

    private string CorruptSyntax(string source)
    {
        // Only inside class bodies: between the first '{' after "class " and the end.
        int start = source.IndexOf("\n{", StringComparison.Ordinal);
        if (start < 0)
        {
            return source;
        }

        var positions = new List<int>();
        bool inComment = false;
        for (int i = start; i < source.Length; i++)
        {
            char c = source[i];
            if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                inComment = true;
            }
            else if (c == '\n')
            {
                inComment = false;
            }

            if (!inComment && c is ';' or ')' or ']' or '(' or '[' or ',' or '{' or '}')
            {
                positions.Add(i);
            }
        }

        if (rng.Next(3) == 0)
        {
            var lineStarts = new List<int>();
            for (int i = start + 2; i < source.Length; i++)
            {
                if (source[i - 1] == '\n' && source[i] == ' ')
                {
                    lineStarts.Add(i);
                }
            }

            if (lineStarts.Count > 0)
            {
                int at = lineStarts[rng.Next(lineStarts.Count)];
                string garbage = Pick("$ ", "@@ ", ") ", "#x\n", "[ ", "private readonly ", "[ReLU] ", "int 3x; ", "\"unterminated\n");
                Mark("syntax: insert " + garbage.Trim());
                return source.Insert(at, garbage);
            }
        }

        int position = positions[rng.Next(positions.Count)];
        Mark($"syntax: delete '{source[position]}'");
        return source.Remove(position, 1);
    }

    // ----- writing -----

    private string Class(List<string> attributes, string classHeader, List<string> lines, string? partial = null)
    {
        if (partial is not null && pendingUse is not null && classHeader.Contains("Net", StringComparison.Ordinal))
        {
            lines.Insert(0, pendingUse);
            pendingUse = null;
        }

        if (partial is not null)
        {
            lines = SplitParts(partial, lines);
        }

        var text = new StringBuilder("\n");
        if (Chance(4))
        {
            text.Append("/// <summary>Generated by the fuzzer.</summary>\n");
        }

        if (attributes.Count > 1 && Chance(2))
        {
            text.Append('[').Append(string.Join(", ", attributes.Select(a => a.Trim('[', ']')))).Append("]\n");
        }
        else
        {
            foreach (string attribute in attributes)
            {
                text.Append(attribute).Append('\n');
            }
        }

        text.Append(classHeader).Append("\n{\n");
        if (pendingUse is not null && classHeader.Contains("Net", StringComparison.Ordinal))
        {
            lines.Insert(0, pendingUse);
            pendingUse = null;
        }

        foreach (string line in lines)
        {
            if (Chance(10))
            {
                text.Append(Pick("\n", "    // a comment without brackets\n", "    /* block comment */\n"));
            }

            text.Append(line).Append('\n');
        }

        if (Chance(8))
        {
            text.Append("\n    public override string ToString() => \"fuzz\";\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// Moves fields of a class into another part of it (<see cref="FuzzClasses.Parts"/>): valid when one part keeps
    /// every layer and parameter field, the planted defect SEDSL019 when both parts get some. The other part goes into a
    /// file of its own, before or after this one, or later in this file.
    /// </summary>
    private List<string> SplitParts(string name, List<string> lines)
    {
        if (plannedDefect == "parts" && defect is null && networks.Contains(name))
        {
            used |= FuzzClasses.LayersAcrossParts;
            if (lines.Count < 2)
            {
                lines.Add(Field("Identity", "Identity", "id"));
            }

            int keep = 1 + extra.Next(lines.Count - 1);
            string where = PlacePart(name, lines.Skip(keep).ToList());
            Mark("parts: layer fields in two parts of a partial class, the other " + where);
            return lines.Take(keep).ToList();
        }

        if (!classes.HasFlag(FuzzClasses.Parts) || extra.Next(4) != 0)
        {
            return lines;
        }

        used |= FuzzClasses.Parts;
        bool moveAll = extra.Next(2) == 0;
        PlacePart(name, moveAll ? lines : new List<string>());
        return moveAll ? new List<string>() : lines;
    }

    /// <summary>Writes another part of class <paramref name="name"/> holding <paramref name="lines"/> and a method; says where it went.</summary>
    private string PlacePart(string name, List<string> lines)
    {
        int n = ++partCounter;
        var part = new StringBuilder("\npublic partial class ").Append(name).Append("\n{\n");
        foreach (string line in lines)
        {
            part.Append(line).Append('\n');
        }

        part.Append("    public int PartMember").Append(N(n)).Append("() => ").Append(N(n)).Append(";\n}\n");
        int where = extra.Next(5);
        if (where == 0)
        {
            extraTypes.Append(part);
            return "part later in the same file";
        }

        otherFiles.Add((OtherFile(part.ToString()), where <= 2));
        return where <= 2 ? "part in a file before" : "part in a file after";
    }

    /// <summary>One layer field: <c>[attribute] modifiers Type name;</c>. An empty type means "the attribute's own type".</summary>
    private string Field(string attribute, string type, string stem, bool repeatable = false)
    {
        string name = NewName(stem);
        if (repeatable && !parallelBody && classes.HasFlag(FuzzClasses.SharedDeclarations) && extra.Next(6) == 0)
        {
            // Several fields in one declaration: a layer each, in the order written. Only for layers that keep the shape.
            used |= FuzzClasses.SharedDeclarations;
            int more = 1 + extra.Next(2);
            for (int i = 0; i < more; i++)
            {
                name += ", " + name.Split(',')[0].TrimStart('@') + "_" + (++partCounter).ToString(CultureInfo.InvariantCulture);
            }
        }

        if (type.Length == 0 || type == "Module")
        {
            type = type == "Module" ? ModuleOfTensors : TypeOf(attribute);
        }

        string modifiers = Pick("private readonly", "private readonly", "private readonly", "readonly", "private", "internal readonly");
        string qualified = Chance(10) && !attribute.StartsWith("SeDsl.", StringComparison.Ordinal) && char.IsUpper(attribute[0]) ? "SeDsl." + attribute : attribute;
        string separator = Chance(10) ? "\n    " : " ";
        return $"    [{qualified}]{separator}{modifiers} {type} {name};";
    }

    private static string TypeOf(string attribute)
    {
        string kind = attribute.Split('(', ',', ' ')[0];
        return kind switch
        {
            "ReLU" => "ReLU",
            "ReLU6" => "ReLU6",
            "Sigmoid" => "Sigmoid",
            "Tanh" => "Tanh",
            "HardSigmoid" => "Hardsigmoid",
            "SiLU" => "SiLU",
            "GlobalAvgPool" => "AdaptiveAvgPool2d",
            "GlobalMaxPool" => "AdaptiveMaxPool2d",
            "SqueezeExcite" => "SqueezeExcitation",
            "DepthwiseConv2d" => "Conv2d",
            _ => kind,
        };
    }

    private string NewName(string stem)
    {
        fieldCounter++;
        if (Chance(60))
        {
            // Keywords are valid field names when escaped; the generator must keep the escape.
            string keyword = Pick("@class", "@event", "@in", "@if", "@new");
            if (usedKeywords.Add(keyword))
            {
                return keyword;
            }
        }

        return stem + fieldCounter.ToString(CultureInfo.InvariantCulture);
    }

    private readonly HashSet<string> usedKeywords = new();

    private void Optional(List<string> args, string name, int value, int fallback)
    {
        if (value != fallback || Chance(8))
        {
            args.Add($"{name} = {N(value)}");
        }
    }

    private void Shuffle(List<string> items, int keepFirst)
    {
        for (int i = items.Count - 1; i > keepFirst; i--)
        {
            int j = keepFirst + rng.Next(i - keepFirst + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private void Mark(string what) => defect ??= what;

    private bool Chance(int oneIn) => rng.Next(oneIn) == 0;

    private T Pick<T>(params T[] options) => options[rng.Next(options.Length)];

    private string Bool() => Pick("true", "false");

    private static string Upper(string name) => char.ToUpperInvariant(name.TrimStart('@')[0]) + name.TrimStart('@').Substring(1);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    private static List<long> Divisors(long n)
    {
        var result = new List<long>();
        for (long d = 1; d <= n && d <= 4096; d++)
        {
            if (n % d == 0)
            {
                result.Add(d);
            }
        }

        return result;
    }

    /// <summary>PyTorch's window arithmetic, written out again here so the fuzzer does not borrow the generator's.</summary>
    private static long WindowOutput(long size, long kernel, long stride, long padding, bool ceil)
    {
        long span = size + 2 * padding - kernel;
        if (span < 0)
        {
            return 0;
        }

        long output = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (output - 1) * stride >= size + padding)
        {
            output--;
        }

        return output;
    }

    /// <summary>The fuzzer's own shape model.</summary>
    private sealed record Shape(long Channels, long Height, long Width, bool Flat);
}
