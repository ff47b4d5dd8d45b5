using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>One case per diagnostic: the id, the severity, and exactly the underlined source text.</summary>
public class DiagnosticTests
{
    private static string Net(string layers, string input = "3, 8, 8", string head = "public partial class Net") =>
        Sources.Usings + $$"""
        namespace Demo;

        [Network({{input}})]
        {{head}}
        {
        {{layers}}
        }
        """;

    /// <summary>A network family with one parameter, for the diagnostics of its networks.</summary>
    private const string Family = "\n[Network(3, 8, 8)] public partial class F { [Param] private readonly int width; [Conv2d(nameof(width), 1)] private readonly Conv2d conv; }";

    private static string Block(string layers, string head = "[Block(Residual = true)] public partial class B") =>
        $$"""

        {{head}}
        {
            [Param] private readonly int planes;
        {{layers}}
        }
        """;

    /// <summary>A user's module for <c>[Custom]</c> cases: created as <c>new Gate(inChannels, reduction)</c>.</summary>
    private const string GateModule = """

        public sealed class Gate : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>
        {
            public Gate(long inChannels, int reduction) : base(nameof(Gate)) { }
            public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;
        }
        """;

    public static TheoryData<string, string, string> Cases => new()
    {
        { DiagnosticIds.ClassNotPartial, Net("[ReLU] private readonly ReLU relu;", head: "public class Net"), "Net" },
        { DiagnosticIds.MissingInputShape, Sources.Usings + "[Network] public partial class Net { [ReLU] private readonly ReLU relu; }", "Network" },
        { DiagnosticIds.BaseClassNotAllowed, Net("[ReLU] private readonly ReLU relu;", head: "public partial class Net : System.Exception"), "System.Exception" },
        { DiagnosticIds.UnsupportedClassShape, Net("[ReLU] private readonly ReLU relu;", head: "public partial class Net<T>"), "Net" },
        { DiagnosticIds.FieldTypeMismatch, Net("[Conv2d(8, 3)] private readonly Linear conv;"), "Linear" },
        { DiagnosticIds.MultipleLayerAttributes, Net("[ReLU, Sigmoid] private readonly ReLU act;"), "Sigmoid" },
        { DiagnosticIds.InvalidLayerField, Net("[ReLU] private readonly ReLU act = TorchSharp.torch.nn.ReLU();"), "act" },
        { DiagnosticIds.NoLayers, Net(""), "Network(3, 8, 8)" },
        { DiagnosticIds.UnknownLayerAttribute, Net("[My] private readonly ReLU act;") + "\npublic sealed class MyAttribute : LayerAttribute { }", "My" },
        { DiagnosticIds.NamesDifferOnlyInCase, Net("[ReLU] private readonly ReLU relu;") + "\n[Network(3, 8, 8)] public partial class NET { [ReLU] private readonly ReLU relu; }", "Net" },
        { DiagnosticIds.NotABlock, Net("[Stage(typeof(Other), 1)] private readonly Sequential layer1;") + "\npublic class Other { }", "typeof(Other)" },
        { DiagnosticIds.RecursiveBlock, Sources.Usings + "[Block] public partial class Loop { [Stage(typeof(Loop), 1)] private readonly Sequential inner; }", "typeof(Loop)" },
        { DiagnosticIds.StageArgumentCount, Net("[Stage(typeof(B), 2)] private readonly Sequential layer1;") + Block("[Conv2d(nameof(planes), 1)] private readonly Conv2d conv;"), "Stage(typeof(B), 2)" },
        { DiagnosticIds.LayerNotAllowedInBlock, Sources.Usings + Block("[Linear(10)] private readonly Linear fc;"), "Linear(10)" },
        { DiagnosticIds.InvalidBlockParameter, Sources.Usings + "[Block] public partial class B { [Param] private readonly long planes; [ReLU] private readonly ReLU relu; }", "planes" },
        { DiagnosticIds.PlacementOutsideResidual, Sources.Usings + Block("[SqueezeExcite(r: 4), AfterAddition] private readonly SqueezeExcitation se;", head: "[Block] public partial class B"), "AfterAddition" },
        { DiagnosticIds.PlacementOutsideParallel, Sources.Usings + Block("[Conv2d(8, 1)] private readonly Conv2d conv;\n[SqueezeExcite(r: 4), AfterConcatenation] private readonly SqueezeExcitation se;", head: "[Block] public partial class B"), "AfterConcatenation" },
        { DiagnosticIds.BranchAfterConcatenation, Sources.Usings + Block("[Conv2d(8, 1)] private readonly Conv2d a;\n[SqueezeExcite(r: 4), AfterConcatenation] private readonly SqueezeExcitation se;\n[Conv2d(8, 3, Padding = 1)] private readonly Conv2d b;", head: "[Block(Parallel = true)] public partial class B"), "b" },
        { DiagnosticIds.NetworkAndBlock, Net("[ReLU] private readonly ReLU relu;", head: "[Block] public partial class Net"), "Net" },
        { DiagnosticIds.BlockHasErrors, Net("[Stage(typeof(Broken), 2)] private readonly Sequential layer1;") + "\n[Block] public partial class Broken { [Conv2d(\"width * 2\", 1)] private readonly Conv2d conv; }", "typeof(Broken)" },
        { DiagnosticIds.LayersInSeveralParts, Net("[ReLU] private readonly ReLU relu;") + "\npublic partial class Net { [Sigmoid] private readonly Sigmoid gate; }", "Net" },
        { DiagnosticIds.MemberNamedLikeGenerated, Net("[ReLU] private readonly ReLU relu;\npublic override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;"), "forward" },
        { DiagnosticIds.FieldInFamilyNetwork, Net("[ReLU] private readonly ReLU relu;", input: "typeof(F), 4") + Family, "ReLU" },
        { DiagnosticIds.NotAFamily, Net("", input: "typeof(Other), 4") + "\npublic class Other { }", "typeof(Other)" },
        { DiagnosticIds.NotABlock, Net("[Stage(typeof(F), 1, 4)] private readonly Sequential layer1;") + Family, "typeof(F)" },
        { DiagnosticIds.NotAFamily, Net("", input: "typeof(B), 4") + Block("[Conv2d(nameof(planes), 1)] private readonly Conv2d conv;"), "typeof(B)" },
        { DiagnosticIds.FamilyHasErrors, Net("", input: "typeof(F), 4") + "\n[Network(3, 8, 8)] public partial class F { [Param] private readonly int width; [Conv2d(\"width * depth\", 1)] private readonly Conv2d conv; }", "typeof(F)" },
        { DiagnosticIds.FamilyArgumentCount, Net("", input: "typeof(F), 4, 5") + Family, "Network(typeof(F), 4, 5)" },
        { DiagnosticIds.FamilyCycle, Net("", input: "typeof(G), 4") + "\n[Network(typeof(G), nameof(width))] public partial class G { [Param] private readonly int width; }", "typeof(G)" },
        { DiagnosticIds.LayerOutsideNetwork, Sources.Usings + "namespace Demo;\npublic class Plain { [ReLU] private readonly ReLU relu; }", "ReLU" },
        { DiagnosticIds.DuplicateStateKey, Net("[Conv2d(8, 3, Key = \"features.0\")] private readonly Conv2d conv;\n[ReLU(Key = \"features.0\")] private readonly ReLU relu;"), "Key = \"features.0\"" },
        { DiagnosticIds.DuplicateStateKey, Net("[Conv2d(8, 3)] private readonly Conv2d conv;\n[ReLU(Key = \"conv\")] private readonly ReLU relu;"), "Key = \"conv\"" },
        { DiagnosticIds.StateKeyLayerAndContainer, Net("[Conv2d(8, 3, Key = \"features\")] private readonly Conv2d conv;\n[ReLU(Key = \"features.#\")] private readonly ReLU relu;"), "Key = \"features.#\"" },
        { DiagnosticIds.StateKeyLayerAndContainer, Net("[Conv2d(8, 3, Key = \"a.b.c\")] private readonly Conv2d conv;\n[ReLU(Key = \"a.b\")] private readonly ReLU relu;"), "Key = \"a.b\"" },
        { DiagnosticIds.StateKeyLayerAndContainer, Sources.Usings + Block("[Conv2d(nameof(planes), 1, Key = \"downsample.0\")] private readonly Conv2d conv;"), "Key = \"downsample.0\"" },
        { DiagnosticIds.StateKeyMixesAppendedAndNamed, Net("[Conv2d(8, 3, Key = \"features.#\")] private readonly Conv2d conv;\n[ReLU(Key = \"features.act.0\")] private readonly ReLU relu;"), "Key = \"features.act.0\"" },
        { DiagnosticIds.StateKeyMixesAppendedAndNamed, Net("[Conv2d(8, 3, Key = \"features.#\")] private readonly Conv2d conv;\n[ReLU(Key = \"features.1\")] private readonly ReLU relu;"), "Key = \"features.1\"" },
        { DiagnosticIds.CustomModuleNotCreatable, Net("[Custom(typeof(Gate), 4, 2)] private readonly Gate gate;") + GateModule, "typeof(Gate)" },
        { DiagnosticIds.CustomModuleNotCreatable, Net("[Custom(typeof(Gate), \"inChannels / 4\")] private readonly Gate gate;") + GateModule, "typeof(Gate)" },
        { DiagnosticIds.CustomTypeNotAModule, Net("[Custom(typeof(System.Exception))] private readonly TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> gate;"), "typeof(System.Exception)" },
        { DiagnosticIds.CustomTypeNotAModule, Net("[Custom(typeof(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>))] private readonly TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> gate;"),
            "typeof(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>)" },
        { DiagnosticIds.FieldTypeMismatch, Net("[Custom(typeof(Gate), 4)] private readonly Conv2d gate;") + GateModule, "Conv2d" },
        { DiagnosticIds.InvalidInputShape, Net("[ReLU] private readonly ReLU relu;", input: "3, 8"), "3, 8" },
        { DiagnosticIds.InvalidArgument, Net("[Conv2d(8, 3, Stride = 0)] private readonly Conv2d conv;"), "Stride = 0" },
        { DiagnosticIds.InvalidArgument, Net("[Use(typeof(B), 64L)] private readonly B b;") + Block("[Conv2d(nameof(planes), 1)] private readonly Conv2d conv;"), "64L" },
        { DiagnosticIds.InvalidArgument, Sources.Usings + Block("[ReLU] private readonly ReLU relu;", head: "[Block(Residual = true, ShortcutKernel = 2)] public partial class B"), "ShortcutKernel = 2" },
        { DiagnosticIds.InvalidArgument, Net("[DropPath(1.0)] private readonly DropPath drop;"), "1.0" },
        { DiagnosticIds.InvalidArgument, Net("[Custom(typeof(Gate), 4, Parameters = \"0 - 5\")] private readonly Gate gate;") + GateModule, "Parameters = \"0 - 5\"" },
        { DiagnosticIds.InvalidArgument, Net("[Custom(typeof(Gate), 2.5)] private readonly Gate gate;") + GateModule, "2.5" },
        { DiagnosticIds.InvalidExpression, Net("[Custom(typeof(Gate), \"planes\")] private readonly Gate gate;") + GateModule, "\"planes\"" },
        { DiagnosticIds.CustomRuleUsesSpatialSize, Net("[Custom(typeof(Gate), 4, OutChannels = \"height * 2\")] private readonly Gate gate;") + GateModule, "OutChannels = \"height * 2\"" },
        { DiagnosticIds.ReductionLeavesNoChannels, Net("[Conv2d(16, 3)] private readonly Conv2d conv;\n[SqueezeExcite(r: 32)] private readonly SqueezeExcitation se;"), "r: 32" },
        { DiagnosticIds.ReductionNotExact, Net("[Conv2d(16, 3)] private readonly Conv2d conv;\n[SqueezeExcite(r: 3)] private readonly SqueezeExcitation se;"), "r: 3" },
        { DiagnosticIds.SamePaddingImpossible, Net("[Conv2d(8, 4, Padding = Pad.Same)] private readonly Conv2d conv;"), "Padding = Pad.Same" },
        { DiagnosticIds.InvalidExpression, Sources.Usings + Block("[Conv2d(\"plane * 4\", 1)] private readonly Conv2d conv;"), "\"plane * 4\"" },
        { DiagnosticIds.InvalidExpression, Sources.Usings + Block($"[Conv2d(\"{new string('(', 65)}planes{new string(')', 65)}\", 1)] private readonly Conv2d conv;"), $"\"{new string('(', 65)}planes{new string(')', 65)}\"" },
        { DiagnosticIds.InvalidExpression, Net("[Conv2d(\"width * 2\", 1)] private readonly Conv2d conv;"), "\"width * 2\"" },
        { DiagnosticIds.InvalidStateKey, Net("[Conv2d(8, 3, Key = \"features..0\")] private readonly Conv2d conv;"), "Key = \"features..0\"" },
        { DiagnosticIds.InvalidStateKey, Net("[Conv2d(8, 3, Key = \"\")] private readonly Conv2d conv;"), "Key = \"\"" },
        { DiagnosticIds.InvalidStateKey, Net("[Conv2d(8, 3, Key = \"features 0\")] private readonly Conv2d conv;"), "Key = \"features 0\"" },
        { DiagnosticIds.InvalidStateKey, Net("[Conv2d(8, 3, Key = \"features.#.0\")] private readonly Conv2d conv;"), "Key = \"features.#.0\"" },
        { DiagnosticIds.InvalidStateKey, Net("[Conv2d(8, 3, Key = \"#\")] private readonly Conv2d conv;"), "Key = \"#\"" },
        { DiagnosticIds.InvalidChildKey, Net("[Stage(typeof(R), 2, ChildKey = \"block1-\")] private readonly Sequential layer1;") + "\n[Block] public partial class R { [ReLU] private readonly ReLU relu; }", "ChildKey = \"block1-\"" },
        { DiagnosticIds.StageTooLong, Net("[Stage(typeof(R), 10001)] private readonly Sequential layer1;") + "\n[Block] public partial class R { [ReLU] private readonly ReLU relu; }", "10001" },
        { DiagnosticIds.StrideHasNoEffect, Net("[Use(typeof(P), Stride = 2)] private readonly P p;") + "\n[Block] public partial class P { [Conv2d(8, 1)] private readonly Conv2d conv; }", "Stride = 2" },
        { DiagnosticIds.UseSiteOptionNameTaken, Net("[Stage(typeof(R), 2, Residual = false)] private readonly Sequential layer1;") + "\n[Block(Residual = true)] public partial class R { [Conv2d(3, 1)] private readonly Conv2d residual; }", "Residual = false" },
        { DiagnosticIds.FirstArgumentCount, Net("[Stage(typeof(B), 2, 8, First = new object[] { })] private readonly Sequential layer1;") + Block("[Conv2d(nameof(planes), 1)] private readonly Conv2d conv;"), "First = new object[] { }" },
        { DiagnosticIds.CannotInline, Net("[Stage(typeof(B), 2, 8, Inline = true)] private readonly TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>[] layer1;") + Block("[Conv2d(nameof(planes), 1)] private readonly Conv2d conv;"), "typeof(B)" },
        { DiagnosticIds.CannotInline, Net("[Use(typeof(P), Inline = true, Key = \"features.#\")] private readonly TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>[] p;") + "\n[Block] public partial class P { [Conv2d(8, 1)] private readonly Conv2d conv; }", "Key = \"features.#\"" },
        { DiagnosticIds.InlineInBlock, Net("[Use(typeof(Outer))] private readonly Outer outer;") + "\n[Block] public partial class Outer { [Use(typeof(P), Inline = true)] private readonly TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>[] p; }"
            + "\n[Block] public partial class P { [Conv2d(8, 1)] private readonly Conv2d conv; }", "Inline = true" },
        { DiagnosticIds.UseSiteOptionConflict, Net("[Stage(typeof(R), 2, Residual = false)] private readonly Sequential layer1;") + "\n[Block(Residual = true)] public partial class R { [Conv2d(3, 1)] private readonly Conv2d conv; [OnShortcut, ReLU] private readonly ReLU relu; }", "Residual = false" },
        { DiagnosticIds.UseSiteOptionHasNoEffect, Net("[Stage(typeof(P), 2, AfterAddition = ResidualActivation.None)] private readonly Sequential layer1;") + "\n[Block] public partial class P { [Conv2d(8, 1)] private readonly Conv2d conv; }", "AfterAddition = ResidualActivation.None" },
        { DiagnosticIds.SpatialSizeVanishes, Net("[Conv2d(8, 9)] private readonly Conv2d conv;"), "9" },
        { DiagnosticIds.SpatialSizeVanishes, Net("[Conv2d(8, 3, Dilation = 4)] private readonly Conv2d conv;"), "Dilation = 4" },
        { DiagnosticIds.GroupsDoNotDivide, Net("[Conv2d(8, 3, Groups = 2)] private readonly Conv2d conv;"), "Groups = 2" },
        { DiagnosticIds.NeedsSpatialInput, Net("[Flatten] private readonly Flatten flat;\n[BatchNorm2d] private readonly BatchNorm2d bn;"), "BatchNorm2d" },
        { DiagnosticIds.NeedsFlatInput, Net("[GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;\n[Linear(10)] private readonly Linear fc;"), "Linear(10)" },
        { DiagnosticIds.ResidualShapeMismatch, Net("[Stage(typeof(B), 1, 3)] private readonly Sequential layer1;") + Block("[Conv2d(\"planes\", 3, Stride = 2, Padding = 1)] private readonly Conv2d conv;"), "Stage(typeof(B), 1, 3)" },
        { DiagnosticIds.BranchSizeMismatch, Net("[Use(typeof(P))] private readonly P mixed;") + "\n[Block(Parallel = true)] public partial class P\n{\n    [Conv2d(8, 1)] private readonly Conv2d a;\n    [Conv2d(8, 3, Stride = 2)] private readonly Conv2d b;\n}", "Use(typeof(P))" },
        { DiagnosticIds.CountOverflow, Net("[Conv2d(2000000000, 1)] private readonly Conv2d conv;", input: "3, 2000000000, 2000000000"), "Conv2d(2000000000, 1)" },
        { DiagnosticIds.NetworkTooLarge, Net("[Stage(typeof(R), 10000)] private readonly Sequential layer1;\n[Stage(typeof(R), 1)] private readonly Sequential layer2;")
            + "\n[Block] public partial class R { " + string.Concat(Enumerable.Range(0, 10).Select(i => $"[ReLU] private readonly ReLU relu{i}; ")) + "}", "Stage(typeof(R), 1)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_id_on_exactly_the_offending_text(string id, string source, string underlined)
    {
        var run = GeneratorHarness.Run(source);

        var diagnostic = run.GeneratorDiagnostics.First(d => d.Id == id);
        Assert.Equal(underlined, run.Underlined(diagnostic));
        var expected = DiagnosticIds.IsWarning(id) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
        Assert.Equal(expected, diagnostic.DefaultSeverity);
        Assert.DoesNotContain("{", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    /// <summary>Ids whose case needs more than one source: a referenced assembly, or parse options.</summary>
    private static readonly string[] CasesOfTheirOwn = [DiagnosticIds.BlockFromOtherAssembly, DiagnosticIds.LanguageVersionTooOld];

    [Fact]
    public void Reports_a_block_from_a_referenced_assembly_on_its_typeof()
    {
        var library = ReliabilityHarness.Library(false, "using SeDsl;\nusing TorchSharp.Modules;\nnamespace Lib { [Block] public partial class Widen { [ReLU] private readonly ReLU relu; } }");

        var run = ReliabilityHarness.Run(library, Net("[Use(typeof(Lib.Widen))] private readonly Lib.Widen widen;"));

        AssertCase(run, DiagnosticIds.BlockFromOtherAssembly, "typeof(Lib.Widen)");
    }

    [Fact]
    public void Reports_an_old_language_version_on_the_class_name()
    {
        var run = ReliabilityHarness.Run(new CSharpParseOptions(LanguageVersion.CSharp8), Net("[ReLU] private readonly ReLU relu;"));

        AssertCase(run, DiagnosticIds.LanguageVersionTooOld, "Net");
    }

    private static void AssertCase(GeneratorRun run, string id, string underlined)
    {
        var diagnostic = run.GeneratorDiagnostics.First(d => d.Id == id);
        Assert.Equal(underlined, run.Underlined(diagnostic));
        Assert.Equal(DiagnosticIds.IsWarning(id) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, diagnostic.DefaultSeverity);
        Assert.DoesNotContain("{", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_parameter_may_take_a_name_that_a_networks_generated_part_declares()
    {
        // [Param] makes the network a family, whose generated part declares only a constructor: "fused" is free.
        var run = GeneratorHarness.Run(Net("[Param] private readonly bool fused;\n[ReLU] private readonly ReLU relu;"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains(run.Sources.Keys, k => k.EndsWith("Demo.Net.SeDsl.Family.g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Layers_named_like_the_locals_of_forward_still_compile()
    {
        var run = GeneratorHarness.Run(Net("[Conv2d(4, 3)] private readonly Conv2d x;\n[ReLU] private readonly ReLU input;\n[Identity] private readonly Identity scope;"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void Network_on_two_parts_of_a_class_leaves_the_error_to_the_compiler_and_does_not_throw()
    {
        string source = Net("[ReLU] private readonly ReLU relu;") + "\n[Network(3, 8, 8)] public partial class Net { }";

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS0579");
    }

    [Fact]
    public void Errors_stop_generation_for_their_network_only()
    {
        string broken = Net("[Conv2d(8, 3, Stride = 0)] private readonly Conv2d conv;").Replace("class Net", "class Broken");
        var run = GeneratorHarness.Run(broken, Sources.TinySeNet);

        Assert.Equal(new[] { "Demo.Broken.SeDsl.Module.g.cs", "SeDsl.Zoo.TinySeNet.SeDsl.Module.g.cs", "SeDsl.Zoo.TinySeNet.SeDsl.PyTorch.g.cs", "SeDsl.Zoo.TinySeNet.SeDsl.Summary.g.cs" }, run.Sources.Keys.Order(System.StringComparer.Ordinal));
        Assert.Contains("which has errors: this part only", run.Sources["Demo.Broken.SeDsl.Module.g.cs"], System.StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_still_generate_code_that_compiles()
    {
        var run = GeneratorHarness.Run(Net("[Conv2d(16, 3)] private readonly Conv2d conv;\n[SqueezeExcite(r: 3)] private readonly SqueezeExcitation se;"));

        Assert.Equal(DiagnosticIds.ReductionNotExact, Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Equal(3, run.Sources.Count);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void Diagnostics_are_located_in_the_syntax_tree_so_pragmas_and_editorconfig_apply()
    {
        var run = GeneratorHarness.Run(Net("[Conv2d(16, 3)] private readonly Conv2d conv;\n[SqueezeExcite(r: 3)] private readonly SqueezeExcitation se;"));

        var warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.True(warning.Location.IsInSource);
        Assert.Same(run.Input.SyntaxTrees.Single(), warning.Location.SourceTree);
    }

    [Fact]
    public void Every_argument_error_in_a_network_is_reported_at_once()
    {
        var run = GeneratorHarness.Run(Net("[Conv2d(0, 3)] private readonly Conv2d a;\n[MaxPool2d(2, Padding = 2)] private readonly MaxPool2d b;\n[Dropout(1.5)] private readonly Dropout c;"));

        Assert.Equal(new[] { "0", "Padding = 2", "1.5" }, run.GeneratorDiagnostics.Select(run.Underlined));
    }

    [Fact]
    public void Every_catalogued_id_has_a_unique_title_a_test_case_and_a_help_page()
    {
        var tested = Cases.Select(row => (string)row[0]).Concat(CasesOfTheirOwn).ToHashSet();
        string docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");

        Assert.Equal(DiagnosticCatalogue.All.Count, DiagnosticCatalogue.All.Select(d => d.Id).Distinct().Count());
        foreach (var descriptor in DiagnosticCatalogue.All)
        {
            Assert.True(File.Exists(Path.Combine(docs, descriptor.Id + ".md")), $"docs/diagnostics/{descriptor.Id}.md is missing");
            Assert.True(tested.Contains(descriptor.Id) || descriptor.Id == DiagnosticIds.InternalError, $"{descriptor.Id} has no test case");
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(System.AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SeDsl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("SeDsl.sln not found above the test output folder.");
    }
}
