using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Fidelity;
using SeDsl.Tests.Infrastructure;
using SeDsl.Tests.Networks;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Network families (docs/dsl.md, "Network families"): a network with parameters generates no module; each
/// <c>[Network(typeof(F), arguments...)]</c> class is the family's layers with those values, under the family's
/// submodule names. Parameter defaults and the block's <c>stride</c> in expressions come with them. Counts are by hand.
/// </summary>
public partial class NetworkFamilyTests
{
    private static string Code(string declarations) => Sources.Usings + "namespace Demo;\n\n" + declarations;

    private static string Text(GeneratorRun run, Microsoft.CodeAnalysis.Location location) =>
        location.SourceTree!.GetText().ToString(location.SourceSpan);

    [GeneratedRegex(@"public const long (ParameterCount|MultiplyAdds) = (\d+);")]
    private static partial Regex Constant();

    private static long Count(GeneratorRun run, string network, string name) => long.Parse(
        Constant().Matches(run.Source($".{network}.SeDsl.Module.g.cs")).Single(m => m.Groups[1].Value == name).Groups[2].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void Networks_of_a_family_have_the_counts_of_their_values()
    {
        // SmallFamilySe: stem 216 + bn 16; layer1 2 x (576 + 16 + 576 + 16 + SE 8->2->8: 18 + 24); layer2 one unit 8 -> 16 with
        // stride 2: 1,152 + 32 + 2,304 + 32 + SE 16->4->16: 68 + 80, projection 128 + 32; fc 16 x 10 + 10.
        Assert.Equal(216 + 16 + 2 * (576 + 16 + 576 + 16 + 42) + (1152 + 32 + 2304 + 32 + 148 + 160) + 170, SmallFamilySe.ParameterCount);

        // SmallFamilyPlain, the defaults (no SE, no dropout): layer1 one unit, layer2 two (the second 16 -> 16, identity).
        Assert.Equal(216 + 16 + (576 + 16 + 576 + 16) + (1152 + 32 + 2304 + 32 + 160) + (2304 + 32 + 2304 + 32) + 170, SmallFamilyPlain.ParameterCount);

        using var plain = new SmallFamilyPlain();
        using var se = new SmallFamilySe();
        Assert.Equal(SmallFamilyPlain.ParameterCount, plain.parameters().Sum(p => p.numel()));
        Assert.Equal(SmallFamilySe.ParameterCount, se.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void A_network_of_a_family_equals_the_same_network_written_out()
    {
        using var member = new SmallFamilySe();
        using var byHand = new SmallFamilySeByHand();

        // The family's names, no prefix: the same keys, shapes and order, so one's weights load into the other.
        var keys = FidelityTests.PyTorchOrder(member).Select(e => (e.Key, string.Join("x", e.Tensor.shape))).ToList();
        Assert.Equal(FidelityTests.PyTorchOrder(byHand).Select(e => (e.Key, string.Join("x", e.Tensor.shape))), keys);
        Assert.Contains(keys, k => k.Key == "layer1.1.excite.fc1.weight");
        Assert.Equal(SmallFamilySeByHand.MultiplyAdds, SmallFamilySe.MultiplyAdds);

        member.load_state_dict(byHand.state_dict());
        member.eval();
        byHand.eval();
        using var input = randn(2, 3, 16, 16, generator: new TorchSharp.torch.Generator(7));
        using var expected = byHand.forward(input);
        using var actual = member.forward(input);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 0), "the outputs differ");
        member.Fuse();
        using var fused = member.forward(input);
        Assert.True(fused.allclose(expected, rtol: 1e-4, atol: 1e-5), "the fused outputs differ");
    }

    [Fact]
    public void A_layer_whose_condition_fails_for_a_network_has_no_field_module_or_keys_there()
    {
        using var plain = new SmallFamilyPlain();
        using var se = new SmallFamilySe();

        Assert.DoesNotContain(plain.named_modules(), m => m.name == "drop" || m.name.EndsWith("excite", System.StringComparison.Ordinal));
        Assert.Contains(se.named_modules(), m => m.name == "drop");
        Assert.Equal(2, plain.named_modules().Single(m => m.name == "layer2").module.children().Count());

        var run = GeneratorHarness.Run(System.IO.File.ReadAllText(System.IO.Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Families.cs")));
        Assert.DoesNotContain(" drop;", run.Source(".SmallFamilyPlain.SeDsl.Module.g.cs"), System.StringComparison.Ordinal);
        Assert.Contains("private readonly global::TorchSharp.Modules.Dropout drop;", run.Source(".SmallFamilySe.SeDsl.Module.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_generates_no_module_and_compiles_without_networks()
    {
        var run = GeneratorHarness.Run(Code("""
            [Network(3, 8, 8)]
            public partial class F
            {
                [Param] private readonly int width;
                [Conv2d(nameof(width), 3, Padding = 1)] private readonly Conv2d conv;
            }
            """));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Equal(["Demo.F.SeDsl.Family.g.cs"], run.Sources.Keys.Select(k => k.Split('/').Last()));
    }

    [Fact]
    public void The_stride_in_an_expression_places_the_blocks_stride()
    {
        // FamilyUnit on 8 x 16 x 16 with stride 2 and width 8 (projection 8 x 8 x 8 x 8 = 4,096 MACs):
        // strideFirst: conv1 and conv2 at 8 x 8, 8 x 64 x 72 each; else conv1 at 16 x 16 (8 x 256 x 72).
        var run = GeneratorHarness.Run(System.IO.File.ReadAllText(System.IO.Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Families.cs")), Code("""
            [Network(8, 16, 16)] public partial class First { [Use(typeof(SeDsl.Tests.Networks.FamilyUnit), 8, false, true, Stride = 2)] private readonly SeDsl.Tests.Networks.FamilyUnit unit; }
            [Network(8, 16, 16)] public partial class Second { [Use(typeof(SeDsl.Tests.Networks.FamilyUnit), 8, false, false, Stride = 2)] private readonly SeDsl.Tests.Networks.FamilyUnit unit; }
            """));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal((8 * 64 * 72) + (8 * 64 * 72) + 4096, Count(run, "First", "MultiplyAdds"));
        Assert.Equal((8 * 256 * 72) + (8 * 64 * 72) + 4096, Count(run, "Second", "MultiplyAdds"));
    }

    [Fact]
    public void An_error_inside_the_family_is_located_in_the_family_with_the_network_beside_it()
    {
        var run = GeneratorHarness.Run(Code("""
            [Network(3, 8, 8)]
            public partial class F
            {
                [Param] private readonly int width;
                [Conv2d(nameof(width), 3, Groups = 3)] private readonly Conv2d conv;
            }

            [Network(typeof(F), 8)]
            public partial class Net;
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.GroupsDoNotDivide, error.Id);
        Assert.Equal("Groups = 3", run.Underlined(error));
        Assert.Equal("Network(typeof(F), 8)", Text(run, Assert.Single(error.AdditionalLocations)));

        // The network is completed, so the compiler adds nothing of its own.
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void A_member_named_like_a_layer_of_the_family_is_SEDSL021_not_a_compiler_error()
    {
        var run = GeneratorHarness.Run(Code("""
            [Network(3, 8, 8)]
            public partial class F
            {
                [Param] private readonly int width;
                [Conv2d(nameof(width), 3, Padding = 1)] private readonly Conv2d conv;
            }

            [Network(typeof(F), 8)]
            public partial class Net
            {
                public int conv => 1;
            }
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.MemberNamedLikeGenerated, error.Id);
        Assert.Contains("'conv'", error.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void A_family_argument_of_the_wrong_type_is_reported_on_that_argument()
    {
        var run = GeneratorHarness.Run(Code("""
            [Network(3, 8, 8)]
            public partial class F
            {
                [Param] private readonly int width;
                [Param] private readonly bool se;
                [Conv2d(nameof(width), 3, Padding = 1)] private readonly Conv2d conv;
                [SqueezeExcite(r: 4, When = nameof(se))] private readonly SqueezeExcitation? excite;
            }

            [Network(typeof(F), 8, 4)]
            public partial class Net;
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidArgument, error.Id);
        Assert.Equal("4", run.Underlined(error));
        Assert.Contains("(se)", error.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_parameters_with_defaults_may_be_left_out_and_only_they()
    {
        const string Unit = """
            [Block] public partial class U
            {
                [Param] private readonly int width;
                [Param(Default = 4)] private readonly int r;
                [Conv2d(nameof(width), 1)] private readonly Conv2d conv;
                [SqueezeExcite(nameof(r))] private readonly SqueezeExcitation se;
            }

            """;

        // 16 -> 16 1x1 with bias: 272; SE with r = 4 (the default) 16 -> 4 -> 16: 68 + 80; with r = 8: 34 + 48.
        var run = GeneratorHarness.Run(Code(Unit + """
            [Network(16, 4, 4)] public partial class Default { [Use(typeof(U), 16)] private readonly U u; }
            [Network(16, 4, 4)] public partial class Given { [Use(typeof(U), 16, 8)] private readonly U u; }
            """));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(272 + 148, Count(run, "Default", "ParameterCount"));
        Assert.Equal(272 + 82, Count(run, "Given", "ParameterCount"));

        var none = GeneratorHarness.Run(Code(Unit + "[Network(16, 4, 4)] public partial class N { [Use(typeof(U))] private readonly U u; }"));
        var count = Assert.Single(none.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.StageArgumentCount, count.Id);
        Assert.Contains("takes 1 to 2 argument(s) (width, r), but 0 are given", count.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_without_a_default_after_one_with_a_default_is_SEDSL015()
    {
        var run = GeneratorHarness.Run(Code("""
            [Block] public partial class U
            {
                [Param(Default = 4)] private readonly int r;
                [Param] private readonly int width;
                [Conv2d(nameof(width), 1)] private readonly Conv2d conv;
            }
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidBlockParameter, error.Id);
        Assert.Equal("width", run.Underlined(error));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1 > 2")]
    public void A_constant_condition_is_SEDSL102_on_the_When(string condition)
    {
        var run = GeneratorHarness.Run(Code($$"""
            [Block] public partial class U
            {
                [Param] private readonly int width;
                [Conv2d(nameof(width), 1)] private readonly Conv2d conv;
                [ReLU(When = "{{condition}}")] private readonly ReLU? relu;
            }
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidArgument, error.Id);
        Assert.Equal($"When = \"{condition}\"", run.Underlined(error));
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void A_default_of_another_type_is_reported_on_the_default()
    {
        var run = GeneratorHarness.Run(Code("""
            [Block] public partial class U
            {
                [Param(Default = true)] private readonly int width;
                [Conv2d(nameof(width), 1)] private readonly Conv2d conv;
            }
            """));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidExpression, error.Id);
        Assert.Equal("Default = true", run.Underlined(error));
    }
}
