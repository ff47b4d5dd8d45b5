using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SeDsl.CodeFixes;
using SeDsl.Generator.Diagnostics;
using Xunit;

namespace SeDsl.Tests.CodeFixes;

/// <summary>Each code fix applied to a declaration: the exact text it produces, and the diagnostic gone afterwards.</summary>
public class CodeFixTests
{
    private const string Usings = """
        using SeDsl;
        using SeDsl.Layers;
        using TorchSharp.Modules;

        """;

    [Fact]
    public async Task Class_not_partial_gets_partial_after_its_other_modifiers()
    {
        var outcome = await CodeFixHarness.FixAsync(new MakePartialCodeFix(), Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public sealed class Net
            {
                [ReLU] private readonly ReLU relu;
            }
            """, DiagnosticIds.ClassNotPartial, MakePartialCodeFix.Title);

        Assert.Equal(Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public sealed partial class Net
            {
                [ReLU] private readonly ReLU relu;
            }
            """, outcome.FixedSource);
        AssertClean(outcome);
    }

    [Fact]
    public async Task Class_without_modifiers_gets_partial_in_the_keywords_place()
    {
        var outcome = await CodeFixHarness.FixAsync(new MakePartialCodeFix(), Usings + """
            namespace Demo
            {
                [Block(Residual = true)]
                class Unit
                {
                    [Param] private readonly int planes;
                    [Conv2d(nameof(planes), 3, Padding = 1)] private readonly Conv2d conv;
                }
            }
            """, DiagnosticIds.ClassNotPartial, MakePartialCodeFix.Title);

        Assert.Equal(Usings + """
            namespace Demo
            {
                [Block(Residual = true)]
                partial class Unit
                {
                    [Param] private readonly int planes;
                    [Conv2d(nameof(planes), 3, Padding = 1)] private readonly Conv2d conv;
                }
            }
            """, outcome.FixedSource);
        AssertClean(outcome);
    }

    [Theory]
    [InlineData(3, 16, new long[] { 2, 4 })]
    [InlineData(5, 16, new long[] { 4, 8 })]
    [InlineData(7, 48, new long[] { 6, 8 })]
    [InlineData(16, 24, new long[] { 12, 24 })]
    [InlineData(5, 7, new long[] { 7, 1 })]
    [InlineData(3, 10, new long[] { 2, 5 })]
    public void Nearest_divisors_come_nearer_first_and_smaller_on_a_tie(long ratio, long channels, long[] expected) =>
        Assert.Equal(expected, ReductionRatioCodeFix.NearestDivisors(ratio, channels));

    [Fact]
    public async Task Reduction_ratio_is_replaced_by_the_chosen_divisor()
    {
        var outcome = await CodeFixHarness.FixAsync(new ReductionRatioCodeFix(), Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(48, 3, Padding = 1)] private readonly Conv2d conv;
                [SqueezeExcite(r: 7, Gate = ExcitationGate.HardSigmoid)] private readonly SqueezeExcitation se;
            }
            """, DiagnosticIds.ReductionNotExact, "Use r = 8, which divides 48 channels");

        Assert.Equal(new[] { "Use r = 6, which divides 48 channels", "Use r = 8, which divides 48 channels" }, outcome.Titles);
        Assert.Equal(Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(48, 3, Padding = 1)] private readonly Conv2d conv;
                [SqueezeExcite(r: 8, Gate = ExcitationGate.HardSigmoid)] private readonly SqueezeExcitation se;
            }
            """, outcome.FixedSource);
        AssertClean(outcome);
    }

    [Fact]
    public async Task Positional_reduction_ratio_is_replaced_too()
    {
        var outcome = await CodeFixHarness.FixAsync(new ReductionRatioCodeFix(), Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(16, 3, Padding = 1)] private readonly Conv2d conv;
                [SqueezeExcite(3)] private readonly SqueezeExcitation se;
            }
            """, DiagnosticIds.ReductionNotExact, "Use r = 2, which divides 16 channels");

        Assert.Equal(Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(16, 3, Padding = 1)] private readonly Conv2d conv;
                [SqueezeExcite(2)] private readonly SqueezeExcitation se;
            }
            """, outcome.FixedSource);
        AssertClean(outcome);
    }

    [Fact]
    public async Task Reduction_ratio_inside_a_stage_is_left_alone_because_the_block_serves_other_widths_too()
    {
        string source = Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Stage(typeof(Unit), 1, 16)] private readonly TorchSharp.Modules.Sequential layer1;
            }

            [Block]
            public partial class Unit
            {
                [Param] private readonly int planes;
                [Conv2d(nameof(planes), 3, Padding = 1)] private readonly Conv2d conv;
                [SqueezeExcite(r: 3)] private readonly SqueezeExcitation se;
            }
            """;

        var titles = await CodeFixHarness.TitlesAsync(new ReductionRatioCodeFix(), source, DiagnosticIds.ReductionNotExact);

        Assert.Empty(titles);
    }

    [Fact]
    public async Task Flatten_is_inserted_before_the_linear_layer()
    {
        var outcome = await CodeFixHarness.FixAsync(new AddFlattenCodeFix(), Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(8, 3)] private readonly Conv2d conv;
                [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;

                // the classifier
                [Linear(10)] private readonly Linear fc;
            }
            """, DiagnosticIds.NeedsFlatInput, AddFlattenCodeFix.Title("fc"));

        Assert.Equal(Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(8, 3)] private readonly Conv2d conv;
                [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;

                [Flatten] private readonly Flatten flatten;
                // the classifier
                [Linear(10)] private readonly Linear fc;
            }
            """, outcome.FixedSource);
        AssertClean(outcome);
    }

    [Fact]
    public async Task Flatten_follows_the_qualification_of_the_linear_field_and_gets_a_free_name()
    {
        var outcome = await CodeFixHarness.FixAsync(new AddFlattenCodeFix(), """
            namespace Demo;

            [SeDsl.Network(3, 4, 4)]
            internal partial class Net
            {
                [SeDsl.Conv2d(8, 3, Padding = 1)] internal readonly TorchSharp.Modules.Conv2d flatten;
                [SeDsl.LinearAttribute(10)] internal readonly TorchSharp.Modules.Linear fc;
            }
            """, DiagnosticIds.NeedsFlatInput, AddFlattenCodeFix.Title("fc"));

        Assert.Equal("""
            namespace Demo;

            [SeDsl.Network(3, 4, 4)]
            internal partial class Net
            {
                [SeDsl.Conv2d(8, 3, Padding = 1)] internal readonly TorchSharp.Modules.Conv2d flatten;
                [SeDsl.FlattenAttribute] internal readonly TorchSharp.Modules.Flatten flatten2;
                [SeDsl.LinearAttribute(10)] internal readonly TorchSharp.Modules.Linear fc;
            }
            """, outcome.FixedSource);
        AssertClean(outcome);
    }

    [Theory]
    [InlineData("Declare the input shape 3 x 224 x 224 (ImageNet)", "[Network]", "[Network(3, 224, 224)]")]
    [InlineData("Declare the input shape 3 x 32 x 32 (CIFAR)", "[Network()]", "[Network(3, 32, 32)]")]
    public async Task Missing_input_shape_gets_one_of_the_papers_shapes(string title, string before, string after)
    {
        const string Body = """

            public partial class Net
            {
                [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv;
            }
            """;

        var outcome = await CodeFixHarness.FixAsync(new AddInputShapeCodeFix(), Usings + before + Body, DiagnosticIds.MissingInputShape, title);

        Assert.Equal(2, outcome.Titles.Length);
        Assert.Equal(Usings + after + Body, outcome.FixedSource);
        AssertClean(outcome);
    }

    [Fact]
    public void Every_fix_is_exported_for_the_IDE_its_ids_are_catalogued_and_the_generator_does_not_reference_workspaces()
    {
        var providers = typeof(MakePartialCodeFix).Assembly.GetTypes().Where(t => typeof(CodeFixProvider).IsAssignableFrom(t)).ToList();
        var ids = providers.SelectMany(t => ((CodeFixProvider)System.Activator.CreateInstance(t)!).FixableDiagnosticIds).ToList();

        // The IDE finds providers through MEF: without the export (C#) and [Shared], a fix is never offered.
        Assert.All(providers, t =>
        {
            var export = Assert.Single(t.GetCustomAttributes(typeof(ExportCodeFixProviderAttribute), inherit: false).Cast<ExportCodeFixProviderAttribute>());
            Assert.Equal(new[] { LanguageNames.CSharp }, export.Languages);
            Assert.Single(t.GetCustomAttributes(typeof(System.Composition.SharedAttribute), inherit: false));
        });
        Assert.Equal(4, ids.Count);
        Assert.All(ids, id => Assert.Contains(DiagnosticCatalogue.All, d => d.Id == id));
        Assert.DoesNotContain(typeof(SeDsl.Generator.NetworkGenerator).Assembly.GetReferencedAssemblies(),
            a => a.Name!.StartsWith("Microsoft.CodeAnalysis.Workspaces", System.StringComparison.Ordinal)
              || a.Name!.StartsWith("Microsoft.CodeAnalysis.CSharp.Workspaces", System.StringComparison.Ordinal));
    }

    private static void AssertClean(FixOutcome outcome)
    {
        Assert.Empty(outcome.After.GeneratorDiagnostics);
        Assert.NotEmpty(outcome.After.Sources);
        Assert.Empty(outcome.After.CompileDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
