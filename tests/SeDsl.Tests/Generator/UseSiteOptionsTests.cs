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
/// Issue 14 item 3: block options where the block is used. A <c>[Stage]</c> or <c>[Use]</c> sets <c>Residual</c>,
/// <c>Shortcut</c>, <c>ShortcutKernel</c> and <c>AfterAddition</c> for that use only, and a stage's <c>First</c> gives its
/// first block other arguments. Counts are computed by hand; the built modules are compared with a network written with
/// one block class per variant.
/// </summary>
public partial class UseSiteOptionsTests
{
    private static string Code(params string[] declarations) => Sources.Usings + "namespace Demo;\n\n" + string.Concat(declarations);

    /// <summary>The layers of every test block: two 3x3 convolutions with batch norm and an SE gate of ratio 4 (the SE tail of a residual block).</summary>
    private const string Layers = """
        {
            [Param] private readonly int planes;
            [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv1;
            [BatchNorm2d] private readonly BatchNorm2d bn1;
            [ReLU] private readonly ReLU relu;
            [Conv2d(nameof(planes), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
            [BatchNorm2d] private readonly BatchNorm2d bn2;
            [SqueezeExcite(4)] private readonly SqueezeExcitation se;
        }

        """;

    private const string Res = "[Block(Residual = true)]\npublic partial class Res\n" + Layers;

    /// <summary>One block class used residual, plain, with a 3x3 projection and no ReLU, and with an inverted residual's shortcut.</summary>
    private const string OneBlock = """
        [Network(8, 8, 8)]
        public partial class OneBlock
        {
            [Stage(typeof(Res), 2, 16, Stride = 2)] private readonly Sequential layer1;
            [Stage(typeof(Res), 2, 16, Residual = false)] private readonly Sequential layer2;
            [Stage(typeof(Res), 2, 32, Stride = 2, ShortcutKernel = 3, AfterAddition = ResidualActivation.None)] private readonly Sequential layer3;
            [Use(typeof(Res), 32, Shortcut = ShortcutPolicy.IdentityOrNone)] private readonly Res same;
            [Use(typeof(Res), 64, Shortcut = ShortcutPolicy.IdentityOrNone)] private readonly Res wider;
        }

        """;

    /// <summary>The same network with one block class per variant, as it had to be written before use-site options.</summary>
    private const string FourBlocks = """
        [Block] public partial class Plain
        """ + Layers + """
        [Block(Residual = true, ShortcutKernel = 3, AfterAddition = ResidualActivation.None)] public partial class Res3
        """ + Layers + """
        [Block(Residual = true, Shortcut = ShortcutPolicy.IdentityOrNone)] public partial class Inverted
        """ + Layers + """
        [Network(8, 8, 8)]
        public partial class FourBlocks
        {
            [Stage(typeof(Res), 2, 16, Stride = 2)] private readonly Sequential layer1;
            [Stage(typeof(Plain), 2, 16)] private readonly Sequential layer2;
            [Stage(typeof(Res3), 2, 32, Stride = 2)] private readonly Sequential layer3;
            [Use(typeof(Inverted), 32)] private readonly Inverted same;
            [Use(typeof(Inverted), 64)] private readonly Inverted wider;
        }

        """;

    // Hand counts: the block's layers for c input channels and p planes, the SE gate of ratio 4 (two 1x1 convolutions with
    // biases), and a k x k projection without bias plus its batch norm.
    private static long Body(long c, long p) => (p * c * 9) + (2 * p) + (p * p * 9) + (2 * p) + Se(p);

    private static long Se(long p) => (2 * p * (p / 4)) + (p / 4) + p;

    private static long Projection(long c, long p, long k) => (c * p * k * k) + (2 * p);

    private static long ParameterCount(GeneratorRun run, string network) =>
        long.Parse(ParameterCountPattern().Match(run.Source($".{network}.SeDsl.Module.g.cs")).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"public const long ParameterCount = (\d+);")]
    private static partial Regex ParameterCountPattern();

    [Fact]
    public void Counts_follow_the_options_of_each_use()
    {
        var run = GeneratorHarness.Run(Code(Res, OneBlock));
        Compiles(run, "Demo.OneBlock.SeDsl.Module.g.cs", "Demo.Res.SeDsl.Block.g.cs");

        long layer1 = Body(8, 16) + Projection(8, 16, 1) + Body(16, 16);   // stride 2 and 8 -> 16 channels: a 1x1 projection
        long layer2 = Body(16, 16) + Body(16, 16);                           // Residual = false: no projection even if it were needed
        long layer3 = Body(16, 32) + Projection(16, 32, 3) + Body(32, 32);   // ShortcutKernel = 3
        long same = Body(32, 32);                                            // identity
        long wider = Body(32, 64);                                           // IdentityOrNone: the channels change, so no shortcut at all
        Assert.Equal(layer1 + layer2 + layer3 + same + wider, ParameterCount(run, "OneBlock"));
    }

    [Fact]
    public void The_network_passes_each_uses_options_to_the_block_by_name()
    {
        var run = GeneratorHarness.Run(Code(Res, OneBlock));
        string module = run.Source(".OneBlock.SeDsl.Module.g.cs");

        Assert.Contains("(\"0\", new global::Demo.Res(inChannels: 8, stride: 2, planes: 16)),", module);
        Assert.Contains("(\"0\", new global::Demo.Res(inChannels: 16, stride: 1, planes: 16, residual: false)),", module);
        Assert.Contains("new global::Demo.Res(inChannels: 16, stride: 2, planes: 32, shortcutKernel: 3, afterAddition: global::SeDsl.ResidualActivation.None)", module);
        Assert.Contains("same = new global::Demo.Res(inChannels: 32, stride: 1, planes: 32, shortcut: global::SeDsl.ShortcutPolicy.IdentityOrNone);", module);
    }

    [Fact]
    public void Summary_and_diagram_show_the_projection_only_where_the_use_makes_one()
    {
        var run = GeneratorHarness.Run(Code(Res, OneBlock, FourBlocks));
        var assembly = ReliabilityHarness.Load(run);
        var one = ReliabilityHarness.Static<NetworkSummary>(assembly.GetType("Demo.OneBlock", throwOnError: true)!, "Summary");
        var four = ReliabilityHarness.Static<NetworkSummary>(assembly.GetType("Demo.FourBlocks", throwOnError: true)!, "Summary");

        static IEnumerable<string> Projections(IEnumerable<LayerSummary> rows, string prefix) =>
            rows.SelectMany(r => (r.Kind == "Projection" ? new[] { $"{prefix}{r.Name} {r.Parameters}" } : []).Concat(Projections(r.Children, prefix + r.Name + ".")));

        // A 1x1 projection in layer1.0 (8 x 16 weights + 2 x 16) and a 3x3 one in layer3.0 (16 x 32 x 9 + 2 x 32); none elsewhere.
        Assert.Equal(new[] { $"layer1.0.downsample {Projection(8, 16, 1)}", $"layer3.0.downsample {Projection(16, 32, 3)}" }, Projections(one.Layers, "").ToArray());
        Assert.Equal(new[] { ShortcutKind.Identity, ShortcutKind.None }, one.Layers.Skip(3).Select(r => r.Block!.Shortcut).ToArray());
        Assert.Equal(ShortcutKind.None, one.Layers[1].Children[0].Block!.Shortcut);
        Assert.False(one.Layers[2].Children[0].Block!.ReluAfterAddition);

        // Row for row, the summary and the diagram are the four-block network's, but for the block classes' names.
        Assert.Equal(Rows(four.Layers, "").ToArray(), Rows(one.Layers, "").ToArray());
        Assert.Equal(Regex.Replace(four.Diagram, @"\b(Plain|Res3|Inverted|FourBlocks)\b", m => m.Value == "FourBlocks" ? "OneBlock" : "Res"), one.Diagram);
    }

    /// <summary>Seeded random weights and non-trivial batch-norm statistics, in place.</summary>
    internal static void Randomize(IDictionary<string, Tensor> state, int seed)
    {
        manual_seed(seed);
        foreach (var (name, tensor) in state)
        {
            using var noGrad = no_grad();
            if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                tensor.copy_(rand_like(tensor) + 0.5);
            }
            else if (tensor.is_floating_point())
            {
                tensor.copy_(randn_like(tensor) * 0.2);
            }
        }
    }

    private static IEnumerable<string> Rows(IEnumerable<LayerSummary> rows, string prefix) =>
        rows.SelectMany(r => new[] { $"{prefix}{r.Name} [{string.Join(", ", r.OutputShape)}] {r.Parameters} {r.MultiplyAdds} {r.Buffers} {r.Placement} {r.Block}" }
            .Concat(Rows(r.Children, prefix + r.Name + ".")));

    [Fact]
    public void A_block_used_with_options_builds_the_same_module_as_one_block_class_per_variant()
    {
        var run = GeneratorHarness.Run(Code(Res, OneBlock, FourBlocks));
        Compiles(run, "Demo.OneBlock.SeDsl.Module.g.cs", "Demo.FourBlocks.SeDsl.Module.g.cs");
        var assembly = ReliabilityHarness.Load(run);
        var oneType = assembly.GetType("Demo.OneBlock", throwOnError: true)!;
        var fourType = assembly.GetType("Demo.FourBlocks", throwOnError: true)!;
        Assert.Equal(ReliabilityHarness.Static<long>(fourType, "ParameterCount"), ReliabilityHarness.Static<long>(oneType, "ParameterCount"));

        using var one = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(oneType)!;
        using var four = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(fourType)!;
        var oneState = one.state_dict();
        var fourState = four.state_dict();
        Assert.Equal(fourState.Keys.ToArray(), oneState.Keys.ToArray());
        Assert.Equal(fourState.Values.Select(t => t.shape).ToArray(), oneState.Values.Select(t => t.shape).ToArray());
        Assert.Equal(ReliabilityHarness.Static<long>(oneType, "ParameterCount"), one.parameters().Sum(p => p.numel()));

        // The same weights (and non-trivial batch-norm statistics) give the same output, in training and on the fused path.
        using var scope = NewDisposeScope();
        Randomize(fourState, 7);

        one.load_state_dict(fourState);
        var weights = fourState.ToDictionary(p => p.Key, p => p.Value.clone());   // Fuse folds the batch norms in place
        one.eval();
        four.eval();
        var input = randn(2, 8, 8, 8);
        var expected = four.forward(input);
        Assert.Equal(new long[] { 2, 64, 2, 2 }, expected.shape);
        Assert.True(expected.allclose(one.forward(input), rtol: 1e-5, atol: 1e-6), "eval outputs differ");

        FusedAndBfloat16Agree(oneType, one, fourType, four, weights, input, expected);
    }

    /// <summary>
    /// <paramref name="one"/> and <paramref name="reference"/> (in eval, with <paramref name="weights"/> loaded) agree on
    /// the fused path, and fresh modules with the same weights agree on the bfloat16 plan's path.
    /// </summary>
    internal static void FusedAndBfloat16Agree(Type oneType, nn.Module<Tensor, Tensor> one, Type referenceType, nn.Module<Tensor, Tensor> reference,
        Dictionary<string, Tensor> weights, Tensor input, Tensor expected)
    {
        oneType.GetMethod("Fuse", [typeof(bool)])!.Invoke(one, [false]);
        referenceType.GetMethod("Fuse", [typeof(bool)])!.Invoke(reference, [false]);
        Assert.True(reference.forward(input).allclose(one.forward(input), rtol: 1e-4, atol: 1e-5), "fused outputs differ");
        Assert.True(expected.allclose(one.forward(input), rtol: 1e-4, atol: 1e-5), "the fused path differs from eval");

        // The precision plan's path (bfloat16, channels last where it pays) on fresh modules with the same weights.
        using var oneHalf = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(oneType)!;
        using var referenceHalf = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(referenceType)!;
        oneHalf.load_state_dict(weights);
        referenceHalf.load_state_dict(weights);
        var precision = new[] { typeof(Precision), typeof(MemoryFormat) };
        oneType.GetMethod("Fuse", precision)!.Invoke(oneHalf, [Precision.BFloat16, MemoryFormat.Automatic]);
        referenceType.GetMethod("Fuse", precision)!.Invoke(referenceHalf, [Precision.BFloat16, MemoryFormat.Automatic]);
        var half = referenceHalf.forward(input);
        Assert.True(half.allclose(oneHalf.forward(input), rtol: 5e-2, atol: 5e-2), "bfloat16 outputs differ");
        Assert.True(half.allclose(expected, rtol: 1e-1, atol: 1e-1), "the bfloat16 path is far from float32");
    }

    [Fact]
    public void A_stage_gives_its_first_block_the_First_arguments()
    {
        string network = "[Network(8, 8, 8)] public partial class Net { [Stage(typeof(Res), 3, 16, First = new object[] { 8 })] private readonly Sequential layer1; }";
        var run = GeneratorHarness.Run(Code(Res, network));
        Compiles(run, "Demo.Net.SeDsl.Module.g.cs");
        string module = run.Source(".Net.SeDsl.Module.g.cs");

        Assert.Contains("(\"0\", new global::Demo.Res(inChannels: 8, stride: 1, planes: 8)),", module);
        Assert.Contains("(\"1\", new global::Demo.Res(inChannels: 8, stride: 1, planes: 16)),", module);
        Assert.Contains("(\"2\", new global::Demo.Res(inChannels: 16, stride: 1, planes: 16)));", module);

        // Block 0 keeps 8 channels (identity), block 1 widens to 16 (projection), block 2 keeps them.
        Assert.Equal(Body(8, 8) + Body(8, 16) + Projection(8, 16, 1) + Body(16, 16), ParameterCount(run, "Net"));
    }

    [Fact]
    public void A_block_without_use_site_options_is_generated_as_before()
    {
        // Only the options some use sets become constructor parameters; a block no use sets options for has none.
        var run = GeneratorHarness.Run(Code(Res, "[Network(8, 8, 8)] public partial class Net { [Stage(typeof(Res), 2, 16, Stride = 2)] private readonly Sequential layer1; }"));
        string block = run.Source(".Res.SeDsl.Block.g.cs");

        Assert.Contains("public Res(long inChannels, long stride, int planes)\n", block);
        Assert.DoesNotContain("residual", block);
    }

    [Fact]
    public void The_generated_block_with_options_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Code(Res, OneBlock));
        Compiles(run, "Demo.Res.SeDsl.Block.g.cs");
        Snapshot.Verify(run.Source(".Res.SeDsl.Block.g.cs"), "UseSiteOptionsTests.Res#Demo.Res.SeDsl.Block.g");
    }

    [Fact]
    public void A_plain_block_made_residual_at_a_use_adds_the_projection()
    {
        string plain = "[Block] public partial class Plain\n" + Layers;
        string network = "[Network(8, 8, 8)] public partial class Net { [Stage(typeof(Plain), 2, 16, Stride = 2, Residual = true)] private readonly Sequential a; [Stage(typeof(Plain), 1, 16)] private readonly Sequential b; }";
        var run = GeneratorHarness.Run(Code(plain, network));
        Compiles(run, "Demo.Net.SeDsl.Module.g.cs");

        Assert.Equal(Body(8, 16) + Projection(8, 16, 1) + Body(16, 16) + Body(16, 16), ParameterCount(run, "Net"));
        var type = ReliabilityHarness.Load(run).GetType("Demo.Net", throwOnError: true)!;
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        Assert.Equal(ParameterCount(run, "Net"), module.parameters().Sum(p => p.numel()));
        Assert.Contains("a.0.downsample.0.weight", module.state_dict().Keys);
        Assert.DoesNotContain(module.state_dict().Keys, k => k.StartsWith("b.0.downsample", StringComparison.Ordinal));
    }

    [Fact]
    public void A_block_inside_a_block_takes_the_options_of_its_use()
    {
        string outer = """
            [Block]
            public partial class Outer
            {
                [Param] private readonly int width;
                [Use(typeof(Res), nameof(width), Residual = false)] private readonly Res plain;
                [Use(typeof(Res), nameof(width), Stride = Strides.OfBlock, ShortcutKernel = 3)] private readonly Res down;
            }

            """;
        string network = "[Network(8, 8, 8)] public partial class Net { [Stage(typeof(Outer), 2, 16, Stride = 2)] private readonly Sequential layer1; }";
        var run = GeneratorHarness.Run(Code(Res, outer, network));
        Compiles(run, "Demo.Net.SeDsl.Module.g.cs", "Demo.Outer.SeDsl.Block.g.cs");
        Assert.Contains("plain = new global::Demo.Res(inChannels: inChannels, stride: 1, planes: this.width, residual: false);", run.Source(".Outer.SeDsl.Block.g.cs"));

        // Block 0: plain 8 -> 16, then 16 -> 16 with stride 2 (a 3x3 projection); block 1: plain 16 -> 16, then 16 -> 16 (identity).
        long expected = Body(8, 16) + Body(16, 16) + Projection(16, 16, 3) + Body(16, 16) + Body(16, 16);
        Assert.Equal(expected, ParameterCount(run, "Net"));
        var type = ReliabilityHarness.Load(run).GetType("Demo.Net", throwOnError: true)!;
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        Assert.Equal(expected, module.parameters().Sum(p => p.numel()));
        Assert.Equal(new[] { "layer1.0.down.downsample.0.weight" }, module.state_dict().Keys.Where(k => k.Contains("downsample.0.weight", StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public void The_PyTorch_export_passes_the_options_and_builds_them()
    {
        var run = GeneratorHarness.Run(Code(Res, OneBlock));
        string python = PyTorchExportTests.PythonOf(run, "OneBlock");

        Assert.Contains("Res(16, stride=1, planes=16, residual=False)", python);
        Assert.Contains("Res(16, stride=2, planes=32, shortcut_kernel=3, after_addition=\"none\")", python);
        Assert.Contains("def __init__(self, in_channels, stride, planes, residual=True, shortcut=\"projection\", shortcut_kernel=1, after_addition=\"relu\"):", python);
    }

    // ----- diagnostics -----

    private static void AssertReports(string source, string id, string underlined, bool warning = false)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == id && run.Underlined(d) == underlined);
        var errors = run.GeneratorDiagnostics.Where(d => d.DefaultSeverity == DiagnosticSeverity.Error).ToList();
        if (warning)
        {
            Assert.Empty(errors);
            Assert.Contains(run.Sources.Keys, k => k.EndsWith(".Net.SeDsl.Module.g.cs", StringComparison.Ordinal));
        }
        else
        {
            Assert.Single(errors);
        }
    }

    private static string Net(string stage) => $"[Network(8, 8, 8)] public partial class Net {{ {stage} private readonly Sequential layer1; }}";

    [Fact]
    public void An_even_shortcut_kernel_at_a_use_is_SEDSL102_on_the_argument() =>
        AssertReports(Code(Res, Net("[Stage(typeof(Res), 2, 16, ShortcutKernel = 2)]")), DiagnosticIds.InvalidArgument, "ShortcutKernel = 2");

    [Fact]
    public void A_First_argument_of_the_wrong_type_is_SEDSL102_on_the_element() =>
        AssertReports(Code(Res, Net("[Stage(typeof(Res), 2, 16, First = new object[] { true })]")), DiagnosticIds.InvalidArgument, "true");

    [Fact]
    public void First_with_the_wrong_count_is_SEDSL038_on_First() =>
        AssertReports(Code(Res, Net("[Stage(typeof(Res), 2, 16, First = new object[] { 8, 2 })]")), DiagnosticIds.FirstArgumentCount, "First = new object[] { 8, 2 }");

    [Fact]
    public void Making_a_block_with_placed_layers_plain_is_SEDSL120_on_the_option()
    {
        string post = """
            [Block(Residual = true)]
            public partial class Post
            {
                [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv;
                [AfterAddition, SqueezeExcite(4)] private readonly SqueezeExcitation se;
            }

            """;
        AssertReports(Code(post, Net("[Stage(typeof(Post), 2, Residual = false)]")), DiagnosticIds.UseSiteOptionConflict, "Residual = false");
        AssertReports(Code(post, Net("[Stage(typeof(Post), 2, Shortcut = ShortcutPolicy.IdentityOrNone)]")), DiagnosticIds.UseSiteOptionConflict, "Shortcut = ShortcutPolicy.IdentityOrNone");
    }

    [Fact]
    public void An_option_that_changes_nothing_is_the_warning_SEDSL121_on_the_option()
    {
        string plain = "[Block] public partial class Plain\n" + Layers;
        AssertReports(Code(plain, Net("[Stage(typeof(Plain), 2, 16, ShortcutKernel = 3)]")), DiagnosticIds.UseSiteOptionHasNoEffect, "ShortcutKernel = 3", warning: true);
        AssertReports(Code(Res, Net("[Stage(typeof(Res), 2, 16, Residual = true)]")), DiagnosticIds.UseSiteOptionHasNoEffect, "Residual = true", warning: true);
        AssertReports(Code(Res, Net("[Stage(typeof(Res), 2, 16, Shortcut = ShortcutPolicy.IdentityOrNone, ShortcutKernel = 3)]")), DiagnosticIds.UseSiteOptionHasNoEffect, "ShortcutKernel = 3", warning: true);
    }

    [Fact]
    public void A_block_member_named_like_the_options_parameter_is_SEDSL037_on_the_option()
    {
        string block = """
            [Block(Residual = true)]
            public partial class Clash
            {
                [Conv2d(8, 3, Padding = 1)] private readonly Conv2d residual;
                [BatchNorm2d] private readonly BatchNorm2d bn;
            }

            """;
        AssertReports(Code(block, Net("[Stage(typeof(Clash), 2, Residual = false)]")), DiagnosticIds.UseSiteOptionNameTaken, "Residual = false");
    }

    // ----- caching -----

    [Fact]
    public void Editing_a_use_site_option_reruns_only_that_network()
    {
        string first = Code("[Network(8, 8, 8)] public partial class First { [Stage(typeof(Res), 2, 16, Stride = 2, ShortcutKernel = 3)] private readonly Sequential layer1; }");
        string second = Code("[Network(8, 8, 8)] public partial class Second { [Stage(typeof(Res), 2, 16, Stride = 2, ShortcutKernel = 3)] private readonly Sequential layer1; }");
        var compilation = GeneratorHarness.Compile(Code(Res), first, second);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = Generated(driver);

        var old = compilation.SyntaxTrees.ElementAt(1);
        var edited = CSharpSyntaxTree.ParseText(old.GetText().ToString().Replace("ShortcutKernel = 3", "ShortcutKernel = 5"), GeneratorHarness.ParseOptions, old.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));

        var after = Generated(driver);
        var changed = before.Keys.Where(k => before[k] != after[k]).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "Demo.First.SeDsl.Module.g.cs", "Demo.First.SeDsl.PyTorch.g.cs", "Demo.First.SeDsl.Summary.g.cs" }, changed);
        Assert.Contains("shortcutKernel: 5", after["Demo.First.SeDsl.Module.g.cs"]);

        // The block's module takes the kernel as a parameter: which options are set did not change, so its check is not redone.
        Assert.All(Reasons(driver, NetworkGenerator.Steps.BlockCheck), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(driver, NetworkGenerator.Steps.BlockPlan), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        var checks = Reasons(driver, NetworkGenerator.Steps.Check);
        Assert.Equal(1, checks.Count(r => r == IncrementalStepRunReason.Modified));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static Dictionary<string, string> Generated(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
}
