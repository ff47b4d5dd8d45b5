using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl;
using SeDsl.Generator;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static SeDsl.Tests.Generator.ReliabilityAssert;
using static TorchSharp.torch;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Inline stages and uses (<c>Inline = true</c>): the block's layers become the network's own, their keys continuing the
/// network's numbering. Each network is compared with the same network written out by hand, field for field.
/// </summary>
public partial class InlineTests
{
    private const string Usings = "using SeDsl;\nusing SeDsl.Layers;\nusing TorchSharp.Modules;\nusing static TorchSharp.torch;\n\nnamespace Demo;\n\n";

    /// <summary>A plain block whose layers number themselves in the container's <c>features</c> and <c>se</c>, the SE optional.</summary>
    private const string Block = """
        [Block]
        public partial class ConvBnRelu
        {
            [Param] private readonly int width;
            [Param] private readonly bool se;
            [Conv2d(nameof(width), 3, Padding = 1, Bias = false, Key = "features.#")] private readonly Conv2d conv;
            [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d bn;
            [ReLU(Key = "features.#")] private readonly ReLU relu;
            [SqueezeExcite(r: 4, Key = "se.#", When = nameof(se))] private readonly SqueezeExcitation? gate;
        }

        /// <summary>Without keys: its layers are registered under their new field names.</summary>
        [Block]
        public partial class Plain
        {
            [Param] private readonly int width;
            [Conv2d(nameof(width), 1)] private readonly Conv2d conv;
            [BatchNorm2d] private readonly BatchNorm2d bn;
            [ReLU] private readonly ReLU relu;
        }

        """;

    private const string InlineNet = """
        [Network(3, 16, 16)]
        public partial class InlineNet
        {
            [Conv2d(8, 3, Padding = 1, Key = "features.#")] private readonly Conv2d stem;
            [Stage(typeof(ConvBnRelu), 2, 16, true, Inline = true)] private readonly nn.Module<Tensor, Tensor>[] stage1;
            [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool;
            [Use(typeof(ConvBnRelu), 32, false, Inline = true)] private readonly nn.Module<Tensor, Tensor>[] last;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d gap;
            [Flatten] private readonly Flatten flatten;
            [Linear(10, Key = "head.#")] private readonly Linear fc;
        }

        [Network(3, 8, 8)]
        public partial class KeylessInline
        {
            [Stage(typeof(Plain), 2, 8, Inline = true)] private readonly nn.Module<Tensor, Tensor>[] stage1;
            [Use(typeof(Plain), 4, Inline = true)] private readonly IReadOnlyList<nn.Module<Tensor, Tensor>> last;
        }

        """;

    /// <summary>The same networks as written before inline uses, with the fields named as the inline ones are.</summary>
    private const string FlatNet = """
        [Network(3, 16, 16)]
        public partial class FlatNet
        {
            [Conv2d(8, 3, Padding = 1, Key = "features.#")] private readonly Conv2d stem;
            [Conv2d(16, 3, Padding = 1, Bias = false, Key = "features.#")] private readonly Conv2d stage1_1_conv;
            [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d stage1_1_bn;
            [ReLU(Key = "features.#")] private readonly ReLU stage1_1_relu;
            [SqueezeExcite(r: 4, Key = "se.#")] private readonly SqueezeExcitation stage1_1_gate;
            [Conv2d(16, 3, Padding = 1, Bias = false, Key = "features.#")] private readonly Conv2d stage1_2_conv;
            [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d stage1_2_bn;
            [ReLU(Key = "features.#")] private readonly ReLU stage1_2_relu;
            [SqueezeExcite(r: 4, Key = "se.#")] private readonly SqueezeExcitation stage1_2_gate;
            [MaxPool2d(2, Key = "features.#")] private readonly MaxPool2d pool;
            [Conv2d(32, 3, Padding = 1, Bias = false, Key = "features.#")] private readonly Conv2d last_conv;
            [BatchNorm2d(Key = "features.#")] private readonly BatchNorm2d last_bn;
            [ReLU(Key = "features.#")] private readonly ReLU last_relu;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d gap;
            [Flatten] private readonly Flatten flatten;
            [Linear(10, Key = "head.#")] private readonly Linear fc;
        }

        [Network(3, 8, 8)]
        public partial class KeylessFlat
        {
            [Conv2d(8, 1)] private readonly Conv2d stage1_1_conv;
            [BatchNorm2d] private readonly BatchNorm2d stage1_1_bn;
            [ReLU] private readonly ReLU stage1_1_relu;
            [Conv2d(8, 1)] private readonly Conv2d stage1_2_conv;
            [BatchNorm2d] private readonly BatchNorm2d stage1_2_bn;
            [ReLU] private readonly ReLU stage1_2_relu;
            [Conv2d(4, 1)] private readonly Conv2d last_conv;
            [BatchNorm2d] private readonly BatchNorm2d last_bn;
            [ReLU] private readonly ReLU last_relu;
        }

        """;

    private static string Code(params string[] declarations) => "using System.Collections.Generic;\n" + Usings + string.Concat(declarations);

    private static long Constant(GeneratorRun run, string network, string name) =>
        long.Parse(Regex.Match(run.Source($".{network}.SeDsl.Module.g.cs"), $@"public const long {name} = (\d+);").Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void Counts_equal_the_hand_written_flat_network()
    {
        var run = GeneratorHarness.Run(Code(Block, InlineNet, FlatNet));
        Compiles(run, "Demo.InlineNet.SeDsl.Module.g.cs", "Demo.KeylessInline.SeDsl.Module.g.cs");

        // By hand: the stem 3 x 8 x 9 + 8; each 3x3 convolution without bias, its batch norm 2 x width, the SE gate of r = 4.
        long se = (2 * 16 * 4) + 4 + 16;
        long expected = (3 * 8 * 9) + 8 + (8 * 16 * 9) + 32 + se + (16 * 16 * 9) + 32 + se + (16 * 32 * 9) + 64 + (32 * 10) + 10;
        Assert.Equal(expected, Constant(run, "InlineNet", "ParameterCount"));
        foreach (string constant in new[] { "ParameterCount", "MultiplyAdds" })
        {
            Assert.Equal(Constant(run, "FlatNet", constant), Constant(run, "InlineNet", constant));
            Assert.Equal(Constant(run, "KeylessFlat", constant), Constant(run, "KeylessInline", constant));
        }
    }

    [Fact]
    public void The_generated_module_is_the_flat_networks_with_the_fields_declared_and_the_inline_field_set()
    {
        var run = GeneratorHarness.Run(Code(Block, InlineNet, FlatNet));
        string inline = run.Source(".InlineNet.SeDsl.Module.g.cs");
        string flat = run.Source(".FlatNet.SeDsl.Module.g.cs");

        Assert.Contains("    private readonly global::TorchSharp.Modules.BatchNorm2d stage1_2_bn;\n", inline);
        Assert.Contains("    private readonly global::SeDsl.Layers.SqueezeExcitation stage1_1_gate;\n", inline);
        Assert.DoesNotContain("last_gate", inline);   // se = false in that use: the layer is not there
        Assert.Contains("        stage1 = new global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>[] { stage1_1_conv, stage1_1_bn, stage1_1_relu, stage1_1_gate, stage1_2_conv, stage1_2_bn, stage1_2_relu, stage1_2_gate };\n", inline);

        // Everything after the field declarations and the inline fields' assignments is the flat network's, line for line.
        static string Body(string source, string name) => string.Join("\n", source[source.IndexOf("/// <summary>Learnable parameters", StringComparison.Ordinal)..].Split('\n')
            .Where(l => !l.Contains(" = new global::TorchSharp.torch.nn.Module<", StringComparison.Ordinal))).Replace(name, "Net");
        Assert.Equal(Body(flat, "FlatNet"), Body(inline, "InlineNet"));
        Assert.Equal(Body(run.Source(".KeylessFlat.SeDsl.Module.g.cs"), "KeylessFlat"), Body(run.Source(".KeylessInline.SeDsl.Module.g.cs"), "KeylessInline"));
    }

    [Fact]
    public void Summary_diagram_and_pytorch_export_are_the_flat_networks()
    {
        var run = GeneratorHarness.Run(Code(Block, InlineNet, FlatNet));
        var assembly = ReliabilityHarness.Load(run);
        var inline = ReliabilityHarness.Static<NetworkSummary>(assembly.GetType("Demo.InlineNet", throwOnError: true)!, "Summary");
        var flat = ReliabilityHarness.Static<NetworkSummary>(assembly.GetType("Demo.FlatNet", throwOnError: true)!, "Summary");

        static string[] Rows(NetworkSummary s) => s.Layers.Select(r => $"{r.Name} {r.Kind} [{string.Join(", ", r.OutputShape)}] {r.Parameters} {r.MultiplyAdds} {r.Buffers}").ToArray();
        Assert.Equal(Rows(flat), Rows(inline));
        Assert.Contains("features.8 Conv2d [32, 8, 8]", string.Join("\n", Rows(inline)), StringComparison.Ordinal);   // last_conv continues features
        Assert.Equal(flat.Diagram.Replace("FlatNet", "InlineNet", StringComparison.Ordinal), inline.Diagram);
        Assert.Equal(PyTorchExportTests.PythonOf(run, "FlatNet").Replace("FlatNet", "InlineNet", StringComparison.Ordinal), PyTorchExportTests.PythonOf(run, "InlineNet"));
    }

    [Theory]
    [InlineData("InlineNet", "FlatNet", 3, 16)]
    [InlineData("KeylessInline", "KeylessFlat", 3, 8)]
    public void An_inline_network_has_the_flat_networks_keys_and_outputs_in_eval_fused_and_bfloat16(string inlineName, string flatName, int channels, int size)
    {
        var run = GeneratorHarness.Run(Code(Block, InlineNet, FlatNet));
        Compiles(run);
        var assembly = ReliabilityHarness.Load(run);
        var inlineType = assembly.GetType("Demo." + inlineName, throwOnError: true)!;
        var flatType = assembly.GetType("Demo." + flatName, throwOnError: true)!;

        using var inline = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(inlineType)!;
        using var flat = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(flatType)!;
        var inlineState = inline.state_dict();
        var flatState = flat.state_dict();
        Assert.Equal(flatState.Keys.ToArray(), inlineState.Keys.ToArray());
        Assert.Equal(flatState.Values.Select(t => t.shape).ToArray(), inlineState.Values.Select(t => t.shape).ToArray());
        Assert.Equal(ReliabilityHarness.Static<long>(inlineType, "ParameterCount"), inline.parameters().Sum(p => p.numel()));
        if (inlineName == "InlineNet")
        {
            Assert.Contains("features.8.weight", inlineState.Keys);   // the use's convolution after the stem, 2 x 3 stage layers and the pool
            Assert.Contains("se.1.fc1.weight", inlineState.Keys);
            Assert.DoesNotContain("se.2.fc1.weight", inlineState.Keys);
        }

        // Registered inside another module, TorchSharp's registration by reflection adds nothing (the inline field is no module).
        using var outer = nn.Sequential(("net", (nn.Module<Tensor, Tensor>)Activator.CreateInstance(inlineType)!));
        Assert.Equal(inlineState.Keys.Select(k => "net." + k).ToArray(), outer.state_dict().Keys.ToArray());

        using var scope = NewDisposeScope();
        UseSiteOptionsTests.Randomize(flatState, 11);
        inline.load_state_dict(flatState);
        var weights = flatState.ToDictionary(p => p.Key, p => p.Value.clone());
        inline.eval();
        flat.eval();
        var input = randn(2, channels, size, size);
        var expected = flat.forward(input);
        Assert.True(expected.allclose(inline.forward(input), rtol: 1e-5, atol: 1e-6), "eval outputs differ");

        UseSiteOptionsTests.FusedAndBfloat16Agree(inlineType, inline, flatType, flat, weights, input, expected);
    }

    [Fact]
    public void The_generated_inline_network_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Code(Block, InlineNet));
        Compiles(run, "Demo.InlineNet.SeDsl.Module.g.cs");
        Snapshot.Verify(run.Source(".InlineNet.SeDsl.Module.g.cs"), "InlineTests.InlineNet#Demo.InlineNet.SeDsl.Module.g");
    }

    /// <summary>A family whose inline stage strides its first block, exists for some networks only, and whose block uses another block as a module.</summary>
    private const string Family = """
        [Block]
        public partial class Down
        {
            [Param] private readonly int width;
            [Conv2d(nameof(width), 3, Stride = Strides.OfBlock, Padding = 1, Key = "body.#")] private readonly Conv2d conv;
            [Use(typeof(Plain), nameof(width), Key = "body.#")] private readonly Plain mix;
        }

        [Network(3, 16, 16)]
        public partial class Fam
        {
            [Param] private readonly bool deep;
            [Stage(typeof(Down), 2, 8, Stride = 2, Inline = true)] private readonly nn.Module<Tensor, Tensor>[] down;
            [Stage(typeof(Down), 1, 16, Inline = true, When = nameof(deep))] private readonly nn.Module<Tensor, Tensor>[]? extra;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d gap;
        }

        [Network(typeof(Fam), false)] public partial class Shallow;

        [Network(typeof(Fam), true)] public partial class Deep;

        """;

    [Theory]
    [InlineData("Shallow", 8, 4)]
    [InlineData("Deep", 16, 6)]
    public void A_family_inlines_a_strided_block_with_a_block_inside_only_where_its_condition_holds(string network, long channels, int blocks)
    {
        var run = GeneratorHarness.Run(Code(Block, Family));
        Compiles(run, $"Demo.{network}.SeDsl.Module.g.cs");
        var type = ReliabilityHarness.Load(run).GetType("Demo." + network, throwOnError: true)!;
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;

        // Each Down: a 3x3 convolution (body.2k) and the Plain module (body.2k+1, its own conv, bn and relu).
        var keys = module.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(Enumerable.Range(0, blocks).SelectMany(k => k % 2 == 0
            ? new[] { $"body.{k}.weight", $"body.{k}.bias" }
            : new[] { $"body.{k}.conv.weight", $"body.{k}.conv.bias", $"body.{k}.bn.weight", $"body.{k}.bn.bias" }).ToArray(), keys);
        Assert.Contains($"body.{blocks - 1}.bn.running_var", module.state_dict().Keys);
        Assert.Equal(ReliabilityHarness.Static<long>(type, "ParameterCount"), module.parameters().Sum(p => p.numel()));
        module.eval();
        using var output = module.forward(randn(1, 3, 16, 16));
        Assert.Equal(new[] { 1, channels, 1, 1 }, output.shape);   // the stride halves 16 once: the stage's first block only
        Assert.Contains("down_1_conv = global::TorchSharp.torch.nn.Conv2d(in_channels: 3, out_channels: 8, kernel_size: 3, stride: 2,", run.Source($".{network}.SeDsl.Module.g.cs"), StringComparison.Ordinal);
        Assert.Contains("down_2_conv = global::TorchSharp.torch.nn.Conv2d(in_channels: 8, out_channels: 8, kernel_size: 3, stride: 1,", run.Source($".{network}.SeDsl.Module.g.cs"), StringComparison.Ordinal);
    }

    private static string Net(string layers) => $"[Network(3, 8, 8)] public partial class Net {{ {layers} }}";

    private const string Layers = "private readonly nn.Module<Tensor, Tensor>[] layer1;";

    [Theory]
    [InlineData("[Block(Residual = true)] public partial class B { [Param] private readonly int width; [Conv2d(nameof(width), 3, Padding = 1)] private readonly Conv2d conv; }", "[Stage(typeof(B), 2, 3, Inline = true)]", "typeof(B)")]
    [InlineData("[Block(Parallel = true)] public partial class B { [Param] private readonly int width; [Conv2d(nameof(width), 1)] private readonly Conv2d a; [Conv2d(nameof(width), 1)] private readonly Conv2d b; }", "[Use(typeof(B), 4, Inline = true)]", "typeof(B)")]
    [InlineData("[Block(Residual = true)] public partial class B { [Param] private readonly int width; [Conv2d(nameof(width), 1)] private readonly Conv2d conv; }", "[Stage(typeof(B), 2, 3, Inline = true, Residual = false)]", "Residual = false")]
    [InlineData("[Block] public partial class B { [Param] private readonly int width; [Conv2d(nameof(width), 1)] private readonly Conv2d conv; }", "[Stage(typeof(B), 2, 3, Inline = true, ChildKey = \"b#\")]", "ChildKey = \"b#\"")]
    public void What_cannot_be_inlined_is_one_SEDSL039_on_the_reason(string block, string use, string underlined)
    {
        var run = GeneratorHarness.Run(Code(block, "\n", Net(use + " " + Layers)));
        Single(run, DiagnosticIds.CannotInline, underlined);
    }

    [Theory]
    [InlineData("[Use(typeof(K), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] a; [Use(typeof(K), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] b;",
        DiagnosticIds.DuplicateStateKey, "Use(typeof(K), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] b", "b_conv")]
    [InlineData("[Conv2d(4, 1, Key = \"features.0\")] private readonly Conv2d first; [Use(typeof(A), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] a;",
        DiagnosticIds.StateKeyMixesAppendedAndNamed, "Use(typeof(A), Inline = true)", "a_conv")]
    public void Keys_that_meet_only_once_inlined_are_checked_on_the_inline_use(string layers, string id, string within, string named)
    {
        string blocks = "[Block] public partial class K { [Conv2d(8, 1, Key = \"stem\")] private readonly Conv2d conv; }\n"
            + "[Block] public partial class A { [Conv2d(8, 1, Key = \"features.#\")] private readonly Conv2d conv; }\n";
        var run = GeneratorHarness.Run(Code(blocks, Net(layers)));
        var diagnostic = Single(run, id, within.Split(']')[0]);
        Assert.Contains(named, Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void An_inline_use_inside_a_block_is_SEDSL040_on_Inline()
    {
        string blocks = "[Block] public partial class P { [Conv2d(8, 1)] private readonly Conv2d conv; }\n"
            + "[Block] public partial class Outer { [Use(typeof(P), Inline = true)] private readonly nn.Module<Tensor, Tensor>[] p; }\n";
        var run = GeneratorHarness.Run(Code(blocks, Net("[Use(typeof(Outer))] private readonly Outer outer;")));
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == DiagnosticIds.InlineInBlock && run.Underlined(d) == "Inline = true");
        Assert.All(run.GeneratorDiagnostics, d => Assert.True(d.Id is DiagnosticIds.InlineInBlock or DiagnosticIds.BlockHasErrors, d.Id));
    }

    [Fact]
    public void An_inline_field_of_another_type_is_SEDSL005_naming_the_array()
    {
        var run = GeneratorHarness.Run(Code(Block, Net("[Stage(typeof(Plain), 2, 8, Inline = true)] private readonly Sequential layer1;")));
        var diagnostic = Single(run, DiagnosticIds.FieldTypeMismatch, "Sequential");
        Assert.Contains("Module<Tensor, Tensor>[]", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void An_inlined_layer_named_like_a_layer_field_is_SEDSL021()
    {
        var run = GeneratorHarness.Run(Code(Block, Net("[Stage(typeof(Plain), 1, 8, Inline = true)] private readonly nn.Module<Tensor, Tensor>[] s; [ReLU] private readonly ReLU s_1_conv;")));
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == DiagnosticIds.MemberNamedLikeGenerated && Message(d).Contains("s_1_conv", StringComparison.Ordinal));
    }

    [Fact]
    public void An_inlined_layer_named_like_another_member_is_SEDSL021_not_a_compiler_error()
    {
        var run = GeneratorHarness.Run(Code(Block, Net("[Stage(typeof(Plain), 1, 8, Inline = true)] private readonly nn.Module<Tensor, Tensor>[] s; private static int s_1_conv() => 1;")));
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.MemberNamedLikeGenerated, diagnostic.Id);
        Assert.Contains("a member", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("s_1_conv", Message(diagnostic), StringComparison.Ordinal);
        Assert.DoesNotContain(run.CompileDiagnostics, d => d.Id == "CS0102");
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static Compilation Edit(Compilation compilation, int tree, string from, string to)
    {
        var old = compilation.SyntaxTrees.ElementAt(tree);
        string text = old.GetText().ToString();
        Assert.Contains(from, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text.Replace(from, to, StringComparison.Ordinal), GeneratorHarness.ParseOptions, old.FilePath));
    }

    [Fact]
    public void Editing_the_inlined_block_reruns_the_networks_that_inline_it_and_editing_another_network_does_not()
    {
        var compilation = GeneratorHarness.Compile(Code(Block), Code(InlineNet), Code(FlatNet));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        string Generated(GeneratorDriver d, string hint) => d.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(hint, StringComparison.Ordinal)).SourceText.ToString();
        string before = Generated(driver, ".KeylessInline.SeDsl.Module.g.cs");

        // Plain is inlined by KeylessInline only: its plan and module change, the other three networks' plans do not.
        var edited = Edit(compilation, 0, "[Conv2d(nameof(width), 1)] private readonly Conv2d conv;", "[Conv2d(nameof(width), 1, Bias = false)] private readonly Conv2d conv;");
        driver = driver.RunGenerators(edited);
        Assert.NotEqual(before, Generated(driver, ".KeylessInline.SeDsl.Module.g.cs"));
        Assert.Contains("stage1_1_conv = global::TorchSharp.torch.nn.Conv2d(", Generated(driver, ".KeylessInline.SeDsl.Module.g.cs"), StringComparison.Ordinal);
        var plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(4, plans.Length);
        Assert.Equal(1, plans.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.All(plans.Where(r => r != IncrementalStepRunReason.Modified), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

        // A network that inlines nothing: only its own plan runs again.
        driver = driver.RunGenerators(Edit(edited, 2, "[Linear(10, Key = \"head.#\")] private readonly Linear fc;\n}\n\n[Network(3, 8, 8)]", "[Linear(12, Key = \"head.#\")] private readonly Linear fc;\n}\n\n[Network(3, 8, 8)]"));
        plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(1, plans.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(3, plans.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }
}
