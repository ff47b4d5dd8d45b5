using System;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Generator;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static SeDsl.Tests.Generator.ReliabilityAssert;
using static TorchSharp.torch;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Issue 14 item 1: <c>ResidualScale</c> as a use-site option. One residual block class used with several scales must
/// build what one block class per scale builds (the way Inception-ResNet had to be written before), and the block's
/// module takes the scale only where some use sets it.
/// </summary>
public partial class UseSiteOptionsTests
{
    /// <summary>The residual test block used with the scales 0.17 and 0.5 and with its own (1), the last time without the ReLU.</summary>
    private const string Scaled = """
        [Network(8, 8, 8)]
        public partial class Scaled
        {
            [Stage(typeof(Res), 2, 16, Stride = 2, ResidualScale = 0.17)] private readonly Sequential layer1;
            [Stage(typeof(Res), 2, 16, ResidualScale = 0.5)] private readonly Sequential layer2;
            [Use(typeof(Res), 16)] private readonly Res own;
            [Use(typeof(Res), 16, AfterAddition = ResidualActivation.None)] private readonly Res last;
        }

        """;

    /// <summary>The same network with one block class per scale.</summary>
    private const string PerScale = """
        [Block(Residual = true, ResidualScale = 0.17)] public partial class Res017
        """ + Layers + """
        [Block(Residual = true, ResidualScale = 0.5)] public partial class Res05
        """ + Layers + """
        [Block(Residual = true, AfterAddition = ResidualActivation.None)] public partial class ResLast
        """ + Layers + """
        [Network(8, 8, 8)]
        public partial class PerScale
        {
            [Stage(typeof(Res017), 2, 16, Stride = 2)] private readonly Sequential layer1;
            [Stage(typeof(Res05), 2, 16)] private readonly Sequential layer2;
            [Use(typeof(Res), 16)] private readonly Res own;
            [Use(typeof(ResLast), 16)] private readonly ResLast last;
        }

        """;

    [Fact]
    public void The_network_passes_each_uses_residual_scale_to_the_block_by_name()
    {
        var run = GeneratorHarness.Run(Code(Res, Scaled));
        Compiles(run, "Demo.Scaled.SeDsl.Module.g.cs", "Demo.Res.SeDsl.Block.g.cs");
        string module = run.Source(".Scaled.SeDsl.Module.g.cs");
        string block = run.Source(".Res.SeDsl.Block.g.cs");

        Assert.Contains("(\"0\", new global::Demo.Res(inChannels: 8, stride: 2, planes: 16, residualScale: 0.17)),", module);
        Assert.Contains("(\"1\", new global::Demo.Res(inChannels: 16, stride: 1, planes: 16, residualScale: 0.5)));", module);
        Assert.Contains("own = new global::Demo.Res(inChannels: 16, stride: 1, planes: 16);", module);
        Assert.Contains("public Res(long inChannels, long stride, int planes, global::SeDsl.ResidualActivation afterAddition = global::SeDsl.ResidualActivation.ReLU, double residualScale = 1.0)\n", block);
        Assert.Contains("x = shortcut.add(x, alpha: this.residualScale);", block);
    }

    [Fact]
    public void One_block_used_with_two_scales_builds_what_one_block_class_per_scale_builds()
    {
        string unscaled = Scaled.Replace("class Scaled", "class Unscaled", StringComparison.Ordinal).Replace(", ResidualScale = 0.17", "", StringComparison.Ordinal)
            .Replace(", ResidualScale = 0.5", "", StringComparison.Ordinal);
        var run = GeneratorHarness.Run(Code(Res, Scaled, PerScale, unscaled));
        Compiles(run, "Demo.Scaled.SeDsl.Module.g.cs", "Demo.PerScale.SeDsl.Module.g.cs", "Demo.Unscaled.SeDsl.Module.g.cs");
        var assembly = ReliabilityHarness.Load(run);
        var scaledType = assembly.GetType("Demo.Scaled", throwOnError: true)!;
        var perScaleType = assembly.GetType("Demo.PerScale", throwOnError: true)!;

        // Counts: the scale adds no parameter, and its multiplication is not counted (as no residual addition is).
        long expected = Body(8, 16) + Projection(8, 16, 1) + (5 * Body(16, 16));
        Assert.Equal(expected, ReliabilityHarness.Static<long>(scaledType, "ParameterCount"));
        Assert.Equal(expected, ReliabilityHarness.Static<long>(perScaleType, "ParameterCount"));
        Assert.Equal(ReliabilityHarness.Static<long>(perScaleType, "MultiplyAdds"), ReliabilityHarness.Static<long>(scaledType, "MultiplyAdds"));

        // Summary and diagram row for row, but for the block classes' names.
        var scaled = ReliabilityHarness.Static<NetworkSummary>(scaledType, "Summary");
        var perScale = ReliabilityHarness.Static<NetworkSummary>(perScaleType, "Summary");
        Assert.Equal(Rows(perScale.Layers, "").ToArray(), Rows(scaled.Layers, "").ToArray());
        Assert.Equal(Regex.Replace(perScale.Diagram, @"\b(Res017|Res05|ResLast|PerScale)\b", m => m.Value == "PerScale" ? "Scaled" : "Res"), scaled.Diagram);

        using var one = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(scaledType)!;
        using var per = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(perScaleType)!;
        var oneState = one.state_dict();
        var perState = per.state_dict();
        Assert.Equal(perState.Keys.ToArray(), oneState.Keys.ToArray());
        Assert.Equal(perState.Values.Select(t => t.shape).ToArray(), oneState.Values.Select(t => t.shape).ToArray());
        Assert.Equal(expected, one.parameters().Sum(p => p.numel()));

        using var scope = NewDisposeScope();
        Randomize(perState, 11);

        one.load_state_dict(perState);
        var weights = perState.ToDictionary(p => p.Key, p => p.Value.clone());   // Fuse folds the batch norms in place
        one.eval();
        per.eval();
        var input = randn(2, 8, 8, 8);
        var expectedOutput = per.forward(input);
        Assert.Equal(new long[] { 2, 16, 4, 4 }, expectedOutput.shape);
        Assert.True(expectedOutput.allclose(one.forward(input), rtol: 1e-5, atol: 1e-6), "eval outputs differ");

        // The scales matter: the same network with the block's own scale (1) everywhere computes something else.
        using var plain = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(assembly.GetType("Demo.Unscaled", throwOnError: true)!)!;
        plain.load_state_dict(weights);
        plain.eval();
        Assert.False(expectedOutput.allclose(plain.forward(input), rtol: 1e-2, atol: 1e-2), "the scales change nothing");

        FusedAndBfloat16Agree(scaledType, one, perScaleType, per, weights, input, expectedOutput);
    }

    [Fact]
    public void The_generated_block_with_a_residual_scale_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Code(Res, Scaled));
        Compiles(run, "Demo.Res.SeDsl.Block.g.cs");
        Snapshot.Verify(run.Source(".Res.SeDsl.Block.g.cs"), "UseSiteOptionsTests.ResScaled#Demo.Res.SeDsl.Block.g");
    }

    [Fact]
    public void A_block_no_use_sets_the_scale_for_takes_no_scale()
    {
        string network = "[Network(8, 8, 8)] public partial class Net { [Stage(typeof(Res), 2, 16, Stride = 2, AfterAddition = ResidualActivation.None)] private readonly Sequential layer1; }";
        string block = GeneratorHarness.Run(Code(Res, network)).Source(".Res.SeDsl.Block.g.cs");

        Assert.DoesNotContain("residualScale", block);
        Assert.DoesNotContain("alpha", block);
    }

    [Fact]
    public void The_PyTorch_export_passes_the_residual_scale_and_applies_it()
    {
        var run = GeneratorHarness.Run(Code(Res, Scaled));
        string python = PyTorchExportTests.PythonOf(run, "Scaled");

        Assert.Contains("Res(8, stride=2, planes=16, residual_scale=0.17)", python);
        Assert.Contains("Res(16, stride=1, planes=16, residual_scale=0.5)", python);
        Assert.Contains("def __init__(self, in_channels, stride, planes, after_addition=\"relu\", residual_scale=1.0):", python);
        Assert.Contains("self.residual_scale = residual_scale", python);
        Assert.Contains("out = shortcut + self.residual_scale * out", python);
    }

    [Fact]
    public void A_block_inside_a_block_takes_the_scale_of_its_use()
    {
        string outer = """
            [Block]
            public partial class Outer
            {
                [Param] private readonly int width;
                [Use(typeof(Res), nameof(width), ResidualScale = 0.25)] private readonly Res inner;
            }

            """;
        string network = "[Network(8, 8, 8)] public partial class Net { [Use(typeof(Outer), 16)] private readonly Outer outer; }";
        var run = GeneratorHarness.Run(Code(Res, outer, network));
        Compiles(run, "Demo.Net.SeDsl.Module.g.cs", "Demo.Outer.SeDsl.Block.g.cs", "Demo.Res.SeDsl.Block.g.cs");

        Assert.Contains("inner = new global::Demo.Res(inChannels: inChannels, stride: 1, planes: this.width, residualScale: 0.25);", run.Source(".Outer.SeDsl.Block.g.cs"));
        Assert.Contains("self.inner = Res(in_channels, stride=1, planes=width, residual_scale=0.25)", PyTorchExportTests.PythonOf(run, "Net"));
    }

    [Fact]
    public void An_inverted_residual_scales_the_body_before_adding_the_input()
    {
        // Identity where the shape is kept, no shortcut where it changes, the body scaled either way the block is written:
        // with its own scale (a module without options) and with the scale set at a use (the module that takes options).
        string inverted = "[Block(Residual = true, Shortcut = ShortcutPolicy.IdentityOrNone, ResidualScale = 0.25)]\npublic partial class Inv\n" + Layers;
        string plain = "[Block]\npublic partial class Plain\n" + Layers;
        string atUse = "[Block(Residual = true, Shortcut = ShortcutPolicy.IdentityOrNone)]\npublic partial class InvAtUse\n" + Layers;
        string networks = """
            [Network(16, 8, 8)] public partial class Own { [Use(typeof(Inv), 16)] private readonly Inv block; }
            [Network(16, 8, 8)] public partial class AtUse { [Use(typeof(InvAtUse), 16, ResidualScale = 0.25)] private readonly InvAtUse block; }
            [Network(16, 8, 8)] public partial class Body { [Use(typeof(Plain), 16)] private readonly Plain block; }

            """;
        var run = GeneratorHarness.Run(Code(inverted, plain, atUse, networks));
        Compiles(run, "Demo.Own.SeDsl.Module.g.cs", "Demo.AtUse.SeDsl.Module.g.cs", "Demo.Body.SeDsl.Module.g.cs");
        Assert.Contains("x = input.add(x, alpha: 0.25).relu_();", run.Source(".Inv.SeDsl.Block.g.cs"));
        string python = PyTorchExportTests.PythonOf(run, "Own");
        Assert.Contains("out = x + 0.25 * out", python);
        Assert.Contains("a sequence of layers, scaled by 0.25 and added to the input where stride and channels are unchanged, then a ReLU.", python);

        var assembly = ReliabilityHarness.Load(run);
        nn.Module<Tensor, Tensor> New(string type) => (nn.Module<Tensor, Tensor>)Activator.CreateInstance(assembly.GetType("Demo." + type, throwOnError: true)!)!;
        using var own = New("Own");
        using var use = New("AtUse");
        using var body = New("Body");
        using var scope = NewDisposeScope();
        manual_seed(5);
        var state = body.state_dict();
        foreach (var (name, tensor) in state.Where(p => p.Value.is_floating_point()))
        {
            using var noGrad = no_grad();
            tensor.copy_(name.EndsWith("running_var", StringComparison.Ordinal) ? rand_like(tensor) + 0.5 : randn_like(tensor) * 0.2);
        }

        own.load_state_dict(state);
        use.load_state_dict(state);
        own.eval();
        use.eval();
        body.eval();
        var input = randn(2, 16, 8, 8);
        var expected = (input + (0.25 * body.forward(input))).relu();
        Assert.True(expected.allclose(own.forward(input), rtol: 1e-5, atol: 1e-6), "the block's own scale is not applied");
        Assert.True(expected.allclose(use.forward(input), rtol: 1e-5, atol: 1e-6), "the use's scale is not applied");
    }

    // ----- diagnostics -----

    [Theory]
    [InlineData("double.NaN")]
    [InlineData("double.PositiveInfinity")]
    [InlineData("-1.0 / 0.0")]
    public void A_residual_scale_that_is_not_finite_at_a_use_is_SEDSL102_on_the_argument(string value) =>
        AssertReports(Code(Res, Net($"[Stage(typeof(Res), 2, 16, ResidualScale = {value})]")), DiagnosticIds.InvalidArgument, "ResidualScale = " + value);

    [Fact]
    public void A_residual_scale_that_changes_nothing_is_the_warning_SEDSL121_on_the_option()
    {
        string plain = "[Block] public partial class Plain\n" + Layers;
        AssertReports(Code(plain, Net("[Stage(typeof(Plain), 2, 16, ResidualScale = 0.5)]")), DiagnosticIds.UseSiteOptionHasNoEffect, "ResidualScale = 0.5", warning: true);
        AssertReports(Code(Res, Net("[Stage(typeof(Res), 2, 16, Residual = false, ResidualScale = 0.5)]")), DiagnosticIds.UseSiteOptionHasNoEffect, "ResidualScale = 0.5", warning: true);
        AssertReports(Code(Res, Net("[Stage(typeof(Res), 2, 16, ResidualScale = 1.0)]")), DiagnosticIds.UseSiteOptionHasNoEffect, "ResidualScale = 1.0", warning: true);
    }

    [Fact]
    public void A_block_parameter_named_residualScale_is_SEDSL037_on_the_option()
    {
        string block = """
            [Block(Residual = true)]
            public partial class Clash
            {
                [Param] private readonly int residualScale;
                [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv;
                [BatchNorm2d] private readonly BatchNorm2d bn;
            }

            """;
        AssertReports(Code(block, Net("[Stage(typeof(Clash), 2, 1, ResidualScale = 0.5)]")), DiagnosticIds.UseSiteOptionNameTaken, "ResidualScale = 0.5");
    }

    // ----- caching -----

    [Fact]
    public void Editing_a_residual_scale_reruns_only_that_network()
    {
        string first = Code("[Network(8, 8, 8)] public partial class First { [Stage(typeof(Res), 2, 16, Stride = 2, ResidualScale = 0.17)] private readonly Sequential layer1; }");
        string second = Code("[Network(8, 8, 8)] public partial class Second { [Stage(typeof(Res), 2, 16, Stride = 2, ResidualScale = 0.17)] private readonly Sequential layer1; }");
        var compilation = GeneratorHarness.Compile(Code(Res), first, second);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = Generated(driver);

        var old = compilation.SyntaxTrees.ElementAt(1);
        var edited = CSharpSyntaxTree.ParseText(old.GetText().ToString().Replace("ResidualScale = 0.17", "ResidualScale = 0.2", StringComparison.Ordinal), GeneratorHarness.ParseOptions, old.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));

        var after = Generated(driver);
        var changed = before.Keys.Where(k => before[k] != after[k]).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "Demo.First.SeDsl.Module.g.cs", "Demo.First.SeDsl.PyTorch.g.cs" }, changed);
        Assert.Contains("residualScale: 0.2)", after["Demo.First.SeDsl.Module.g.cs"]);

        // Which options are set did not change, so the block's check and plan are not redone.
        Assert.All(Reasons(driver, NetworkGenerator.Steps.BlockCheck), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(driver, NetworkGenerator.Steps.BlockPlan), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.Equal(1, Reasons(driver, NetworkGenerator.Steps.Check).Count(r => r == IncrementalStepRunReason.Modified));
    }
}
