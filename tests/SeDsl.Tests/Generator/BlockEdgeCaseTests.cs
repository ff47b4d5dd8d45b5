using System.Linq;
using Microsoft.CodeAnalysis;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>Block, stage and use declarations found by adversarial review: a located diagnostic or code that compiles, never a crash.</summary>
public class BlockEdgeCaseTests
{
    private static string Code(string declarations) => Sources.Usings + "namespace Demo;\n\n" + declarations;

    private static string Inner => "[Block] public partial class I { [Param] private readonly int a; [Param] private readonly int b; [Conv2d(\"a + b\", 1)] private readonly Conv2d c; }\n";

    private static GeneratorRun AssertReports(string source, string id, string underlined)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == id && run.Underlined(d) == underlined);
        return run;
    }

    /// <summary>The source text at a location of one of the run's input files.</summary>
    private static string Text(GeneratorRun run, Location location) =>
        run.Input.SyntaxTrees.Single(t => t.FilePath == location.GetLineSpan().Path).GetText().ToString(location.SourceSpan);

    private static void AssertCompiles(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void A_use_with_too_few_arguments_inside_a_block_is_reported_not_thrown()
    {
        AssertReports(Code(Inner + "[Block] public partial class O { [Use(typeof(I), 4)] private readonly I i; }"),
            DiagnosticIds.StageArgumentCount, "Use(typeof(I), 4)");
    }

    [Fact]
    public void A_use_argument_computed_from_input_channels_compiles()
    {
        AssertCompiles(Code(Inner + """
            [Block] public partial class O { [Use(typeof(I), "inChannels / 2", 3)] private readonly I i; }
            [Network(8, 4, 4)] public partial class N { [Use(typeof(O))] private readonly O o; }
            """));
    }

    [Fact]
    public void A_use_argument_beyond_int_is_an_overflow()
    {
        AssertReports(Code(Inner + "[Network(8, 4, 4)] public partial class N { [Use(typeof(I), \"3 * 1000000000\", 1)] private readonly I i; }"),
            DiagnosticIds.CountOverflow, "\"3 * 1000000000\"");
    }

    [Theory]
    [InlineData("training")]
    [InlineData("forward")]
    [InlineData("register_module")]
    [InlineData("nameof")]
    public void Parameters_named_like_module_members_or_contextual_keywords_are_rejected(string name)
    {
        AssertReports(Code($"[Block] public partial class B {{ [Param] private readonly int {name}; [ReLU] private readonly ReLU relu; }}"),
            DiagnosticIds.InvalidBlockParameter, name);
    }

    [Fact]
    public void A_use_field_must_be_the_block_class_or_a_module()
    {
        AssertReports(Code(Inner + "[Network(8, 4, 4)] public partial class N { [Use(typeof(I), 1, 2)] private readonly object i; }"),
            DiagnosticIds.FieldTypeMismatch, "object");
        AssertCompiles(Code(Inner + "[Network(8, 4, 4)] public partial class N { [Use(typeof(I), 1, 2)] private readonly TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> i; }"));
    }

    [Fact]
    public void Flat_parallel_branches_concatenate_into_features()
    {
        var run = GeneratorHarness.Run(Code("""
            [Block(Parallel = true)] public partial class P { [Flatten] private readonly Flatten a; [Flatten] private readonly Flatten b; }
            [Network(3, 8, 8)] public partial class N { [Use(typeof(P))] private readonly P p; [Linear(10)] private readonly Linear fc; }
            """));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains("inputSize: 384", run.Source(".N.SeDsl.Module.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Mutually_recursive_blocks_are_reported()
    {
        var run = GeneratorHarness.Run(Code("""
            [Block] public partial class A { [Use(typeof(B))] private readonly B b; }
            [Block] public partial class B { [Use(typeof(A))] private readonly A a; }
            """));

        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == DiagnosticIds.RecursiveBlock && run.Underlined(d) == "typeof(B)");
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == DiagnosticIds.RecursiveBlock && run.Underlined(d) == "typeof(A)");
    }

    [Theory]
    [InlineData("[Block(ResidualScale = 0.5)] public partial class B { [ReLU] private readonly ReLU relu; }", "ResidualScale = 0.5")]
    [InlineData("[Block(Residual = true, ResidualScale = double.NaN)] public partial class B { [ReLU] private readonly ReLU relu; }", "ResidualScale = double.NaN")]
    public void A_residual_scale_outside_residual_blocks_or_not_finite_is_reported(string block, string underlined)
    {
        AssertReports(Code(block), DiagnosticIds.InvalidArgument, underlined);
    }

    [Fact]
    public void An_SE_ratio_naming_an_unknown_parameter_is_reported_on_the_ratio()
    {
        AssertReports(Code("[Block] public partial class B { [Param] private readonly int r; [SqueezeExcite(\"q\")] private readonly SqueezeExcitation se; }"),
            DiagnosticIds.InvalidExpression, "\"q\"");
    }

    [Fact]
    public void An_SE_ratio_naming_a_parameter_in_a_network_is_reported_as_networks_have_none()
    {
        AssertReports(Code("[Network(16, 4, 4)] public partial class N { [SqueezeExcite(\"r\")] private readonly SqueezeExcitation se; }"),
            DiagnosticIds.InvalidExpression, "\"r\"");
    }

    [Fact]
    public void An_SE_ratio_from_a_parameter_leaving_no_channels_is_reported_on_the_block_argument_and_the_stage()
    {
        var run = AssertReports(Code("""
            [Block] public partial class B { [Param] private readonly int r; [SqueezeExcite(nameof(r))] private readonly SqueezeExcitation se; }
            [Network(16, 4, 4)] public partial class N { [Stage(typeof(B), 1, 32)] private readonly Sequential s; }
            """), DiagnosticIds.ReductionLeavesNoChannels, "nameof(r)");

        var diagnostic = run.GeneratorDiagnostics.Single(d => d.Id == DiagnosticIds.ReductionLeavesNoChannels);
        Assert.Equal("Stage(typeof(B), 1, 32)", Text(run, Assert.Single(diagnostic.AdditionalLocations)));
        Assert.Contains("'s.0.se'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_rectangular_kernel_with_an_even_side_cannot_have_same_padding()
    {
        AssertReports(Code("[Network(3, 8, 8)] public partial class N { [Conv2d(4, 1, 4, Padding = Pad.Same)] private readonly Conv2d c; }"),
            DiagnosticIds.SamePaddingImpossible, "Padding = Pad.Same");
    }

    [Fact]
    public void A_rectangular_kernel_shrinks_each_dimension_by_its_own_size()
    {
        var run = GeneratorHarness.Run(Code("[Network(3, 9, 9)] public partial class N { [Conv2d(4, 1, 7)] private readonly Conv2d c; }"));

        Assert.Empty(run.GeneratorDiagnostics);
        // 9x9 through a 1x7 kernel: 9x3; 4 x 3 x 1 x 7 weights + 4 biases; 4 x 9 x 3 outputs x 21 multiply-adds each.
        Assert.Contains("new(\"c\", \"Conv2d\", new long[] { 4, 9, 3 }, 88, 2268)", run.Source(".N.SeDsl.Summary.g.cs"), System.StringComparison.Ordinal);
        Assert.Empty(run.CompileDiagnostics);
    }
}
