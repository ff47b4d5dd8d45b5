using System.Globalization;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using SeDsl.Zoo;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Families of a family (docs/dsl.md, "Families of a family"): a network of a family with <c>[Param]</c> fields of its own
/// binds some of the family's arguments and passes the others on; its networks are the first family's networks for
/// the values the chain computes.
/// </summary>
public class FamilyOfFamilyTests
{
    private static string Code(string declarations) => Sources.Usings + "namespace Demo;\n\n" + declarations;

    private const string Base = """
        [Network(3, 8, 8)]
        public partial class F
        {
            [Param] private readonly int width;
            [Param(Default = 4)] private readonly int r;
            [Conv2d(nameof(width), 3, Padding = 1)] private readonly Conv2d conv;
            [SqueezeExcite(nameof(r))] private readonly SqueezeExcitation excite;
        }

        """;

    [Fact]
    public void A_network_of_a_family_of_a_family_is_generated_as_the_same_network_declared_on_the_first_family()
    {
        // SeResNet50R2 comes through the ablations' family; Direct writes ResNet's arguments out. Their generated parts
        // must be the same text but for the class name.
        var run = GeneratorHarness.Run(Sources.ResNet, Sources.Usings + """
            namespace SeDsl.Zoo;

            [Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 4, 6, 3, SePlacement.Standard, 2, 1)]
            public partial class Direct;
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        foreach (string concern in new[] { "Module", "Summary" })
        {
            string viaAblations = run.Source($".SeResNet50R2.SeDsl.{concern}.g.cs");
            string direct = run.Source($".Direct.SeDsl.{concern}.g.cs").Replace("Direct", "SeResNet50R2", System.StringComparison.Ordinal);
            Assert.Equal(direct, viaAblations);
        }

        // The middle family generates only its own part, as every family does.
        Assert.Contains(run.Sources.Keys, k => k.EndsWith(".SeResNet50Ablation.SeDsl.Family.g.cs", System.StringComparison.Ordinal));
        Assert.DoesNotContain(run.Sources.Keys, k => k.EndsWith(".SeResNet50Ablation.SeDsl.Module.g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public void The_zoo_ablations_have_the_counts_of_their_values()
    {
        // r = 2 against r = 16 on the same layout: each SE block's two 1x1 layers grow by C x (C/2 - C/16) x 2 weights and
        // C/2 - C/16 biases; the other ablations of the ratio order the same way.
        Assert.True(SeResNet50R2.ParameterCount > SeResNet50R4.ParameterCount);
        Assert.True(SeResNet50R4.ParameterCount > SeResNet50R8.ParameterCount);
        Assert.True(SeResNet50R16.ParameterCount > SeResNet50R32.ParameterCount);
        Assert.True(SeResNet50R32.ParameterCount > ResNet50.ParameterCount);

        // The squeeze and gate have no parameters; the placement ablations keep the SE widths of the stage they sit in.
        Assert.Equal(SeResNet50R16.ParameterCount, SeResNet50MaxSqueeze.ParameterCount);
        Assert.Equal(SeResNet50R16.ParameterCount, SeResNet50TanhGate.ParameterCount);
        Assert.Equal(SeResNet50R16.ParameterCount, SeResNet50Post.ParameterCount);

        // SE in one stage only: the four partial networks add up to the full one (each SE block lives in one stage).
        long full = SeResNet50R16.ParameterCount - ResNet50.ParameterCount;
        long stage5 = full - (SeResNet50Stage2.ParameterCount - ResNet50.ParameterCount) - (SeResNet50Stage3.ParameterCount - ResNet50.ParameterCount)
            - (SeResNet50Stage4.ParameterCount - ResNet50.ParameterCount);
        // layer4: 3 SE blocks on 2,048 channels with width 128: 2 x 2,048 x 128 weights + 128 + 2,048 biases each.
        Assert.Equal(3 * ((2 * 2048 * 128) + 128 + 2048), stage5);
    }

    [Fact]
    public void A_family_of_a_family_passes_its_parameters_on_by_name_and_in_expressions()
    {
        var run = GeneratorHarness.Run(Code(Base + """
            [Network(typeof(F), "2 * half")]
            public partial class Doubled
            {
                [Param] private readonly int half;
            }

            [Network(typeof(Doubled), 8)]
            public partial class Net;

            [Network(typeof(F), 16)]
            public partial class Same;
            """));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(
            run.Source(".Same.SeDsl.Module.g.cs").Replace("Same", "Net", System.StringComparison.Ordinal),
            run.Source(".Net.SeDsl.Module.g.cs"));
    }

    [Fact]
    public void A_chain_that_comes_back_is_SEDSL043_on_the_network()
    {
        var run = GeneratorHarness.Run(Code("""
            [Network(typeof(Wide), nameof(depth))]
            public partial class Deep { [Param] private readonly int depth; }

            [Network(typeof(Deep), nameof(width))]
            public partial class Wide { [Param] private readonly int width; }

            [Network(typeof(Deep), 4)]
            public partial class Deep4;
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.FamilyCycle, error.Id);
        Assert.Equal("typeof(Deep)", run.Underlined(error));
        Assert.Contains("Deep -> Wide -> Deep", error.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Contains(run.Sources.Keys, k => k.EndsWith("Demo.Deep4.SeDsl.Module.g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public void An_argument_of_the_middle_family_of_the_wrong_type_names_that_family()
    {
        var run = GeneratorHarness.Run(Code(Base + """
            [Network(typeof(F), nameof(wide))]
            public partial class Middle { [Param] private readonly bool wide; }

            [Network(typeof(Middle), true)]
            public partial class Net;
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidArgument, error.Id);
        Assert.Equal("typeof(Middle)", run.Underlined(error));
        string message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("Middle", message, System.StringComparison.Ordinal);
        Assert.Contains("(width)", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_field_in_a_family_of_a_family_is_still_SEDSL023()
    {
        var run = GeneratorHarness.Run(Code(Base + """
            [Network(typeof(F), nameof(width))]
            public partial class Middle
            {
                [Param] private readonly int width;
                [ReLU] private readonly ReLU relu;
            }
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.FieldInFamilyNetwork, error.Id);
        Assert.Equal("ReLU", run.Underlined(error));
        Assert.Empty(run.CompileDiagnostics);
    }
}
