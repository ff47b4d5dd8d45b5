using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;
using SeDsl.Generator.Parsing;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Variants as data: typed block parameters, expressions in every argument, optional layers, the SE's stated width and
/// inner activation, the inverted-residual shortcut. Counts are computed by hand here, independently of the generator.
/// </summary>
public partial class LanguageV2Tests
{
    private static string Code(string declarations) => Sources.Usings + "namespace Demo;\n\n" + declarations;

    /// <summary>A conv block with an optional SE (a bool parameter) and a chosen activation (an enum parameter).</summary>
    private const string Unit = """
        [Block]
        public partial class Unit
        {
            [Param] private readonly int width;
            [Param] private readonly bool se;
            [Param] private readonly Activation activation;
            [Param] private readonly double eps;

            [Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv;
            [BatchNorm2d(Eps = nameof(eps))] private readonly BatchNorm2d bn;
            [Activation(nameof(activation))] private readonly ActivationLayer act;
            [SqueezeExcite(Width = "width / 4", When = nameof(se))] private readonly SqueezeExcitation? squeeze;
        }

        """;

    private static void AssertReports(string source, string id, string underlined)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == id && run.Underlined(d) == underlined);
        Assert.Single(run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
    }

    private static long Parameters(string source, string network)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var match = ParameterCount().Match(run.Source($".{network}.SeDsl.Module.g.cs"));
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"public const long ParameterCount = (\d+);")]
    private static partial Regex ParameterCount();

    [Fact]
    public void A_bool_parameter_decides_whether_an_optional_layer_exists()
    {
        string network = """
            [Network(16, 8, 8)]
            public partial class N
            {
                [Stage(typeof(Unit), 1, 32, true, Activation.Hardswish, 0.001)] private readonly Sequential with;
                [Stage(typeof(Unit), 1, 32, false, Activation.ReLU, 1e-5)] private readonly Sequential without;
            }
            """;

        // conv 16->32 3x3 (no bias) + bn 2x32; then 32->32; SE of width 8 with biases: 2 x 32 x 8 + 8 + 32.
        long first = (32 * 16 * 9) + 64 + (2 * 32 * 8) + 8 + 32;
        long second = (32 * 32 * 9) + 64;
        Assert.Equal(first + second, Parameters(Code(Unit + network), "N"));
    }

    [Fact]
    public void The_optional_layers_module_is_created_only_under_its_condition()
    {
        var run = GeneratorHarness.Run(Code(Unit + "[Network(16, 8, 8)] public partial class N { [Stage(typeof(Unit), 2, 16, true, Activation.SiLU, 1e-5)] private readonly Sequential s; }"));
        string block = run.Source(".Unit.SeDsl.Block.g.cs");

        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains("public Unit(long inChannels, long stride, int width, bool se, global::SeDsl.Activation activation, double eps)", block, System.StringComparison.Ordinal);
        Assert.Contains("if (this.se)", block, System.StringComparison.Ordinal);
        Assert.Contains("if (squeeze is not null) register_module(nameof(squeeze), squeeze);", block, System.StringComparison.Ordinal);
        Assert.Contains("if (this.squeeze is not null)", block, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_stage_argument_of_another_type_than_its_parameter_is_one_error_on_the_arguments()
    {
        AssertReports(Code(Unit + "[Network(16, 8, 8)] public partial class N { [Stage(typeof(Unit), 1, 32, 1, Activation.ReLU, 1e-5)] private readonly Sequential s; }"),
            DiagnosticIds.InvalidArgument, "1");
    }

    [Fact]
    public void An_expression_adding_a_bool_is_a_type_error_at_its_argument()
    {
        AssertReports(Code("[Block] public partial class B { [Param] private readonly int w; [Param] private readonly bool se; [Conv2d(\"w + se\", 1)] private readonly Conv2d c; }"),
            DiagnosticIds.InvalidExpression, "\"w + se\"");
    }

    [Fact]
    public void A_function_of_a_bool_is_a_type_error_at_its_argument()
    {
        AssertReports(Code("[Block] public partial class B { [Param] private readonly int w; [Param] private readonly bool se; [Conv2d(\"max(w, se)\", 1)] private readonly Conv2d c; }"),
            DiagnosticIds.InvalidExpression, "\"max(w, se)\"");
    }

    [Theory]
    [InlineData("Activation.ReLU == 1 ? w : 8", "'==' compares Activation with int")]
    [InlineData("w / (4 - 4)", null)]
    [InlineData("8 / 0", "it divides by zero")]
    public void A_constant_part_of_an_expression_is_checked_before_it_is_folded(string expression, string? reason)
    {
        // Once folded, "Activation.ReLU == 1" would read as false and "8 / 0" would throw; both are one located error.
        string source = Code($"[Block] public partial class B {{ [Param] private readonly int w; [Conv2d(\"{expression}\", 1)] private readonly Conv2d c; }}");
        var run = GeneratorHarness.Run(source);
        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidExpression, error.Id);
        Assert.Equal($"\"{expression}\"", run.Underlined(error));
        Assert.Contains(reason ?? "divides by zero", error.GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_enum_member_in_a_condition_is_reported()
    {
        AssertReports(Code("[Block] public partial class B { [Param] private readonly Activation a; [ReLU(When = \"a == Activation.Nope\")] private readonly ReLU? r; }"),
            DiagnosticIds.InvalidExpression, "When = \"a == Activation.Nope\"");
    }

    [Fact]
    public void A_condition_that_is_not_a_truth_value_is_reported()
    {
        AssertReports(Code("[Block] public partial class B { [Param] private readonly int w; [ReLU(When = nameof(w))] private readonly ReLU? r; }"),
            DiagnosticIds.InvalidExpression, "When = nameof(w)");
    }

    [Fact]
    public void An_optional_layer_on_a_non_nullable_field_is_reported_on_the_field()
    {
        AssertReports(Code("[Block] public partial class B { [Param] private readonly bool enabled; [ReLU(When = nameof(enabled))] private readonly ReLU r; }"),
            DiagnosticIds.InvalidLayerField, "r");
    }

    [Fact]
    public void An_se_width_with_a_ratio_in_a_block_used_three_times_is_reported_once()
    {
        var run = GeneratorHarness.Run(Code("""
            [Block] public partial class B { [Param] private readonly int w; [SqueezeExcite(4, Width = "w / 2")] private readonly SqueezeExcitation se; }
            [Network(16, 4, 4)] public partial class N { [Stage(typeof(B), 3, 8)] private readonly Sequential s; }
            """));

        // One error at the block's Width, and the network's one line saying it is not generated.
        var error = Assert.Single(run.GeneratorDiagnostics, d => d.Id == DiagnosticIds.InvalidArgument);
        Assert.Equal("Width = \"w / 2\"", run.Underlined(error));
        Assert.Single(run.GeneratorDiagnostics, d => d.Id == DiagnosticIds.BlockHasErrors);
        Assert.Equal(2, run.GeneratorDiagnostics.Length);
    }

    [Fact]
    public void An_se_width_with_a_ratio_is_reported_on_the_width()
    {
        AssertReports(Code("[Network(16, 4, 4)] public partial class N { [SqueezeExcite(4, Width = 8)] private readonly SqueezeExcitation se; }"),
            DiagnosticIds.InvalidArgument, "Width = 8");
    }

    [Fact]
    public void A_condition_in_a_network_is_reported_since_a_network_has_no_parameters()
    {
        AssertReports(Code("[Network(16, 4, 4)] public partial class N { [Conv2d(8, 1)] private readonly Conv2d a; [Conv2d(8, 1, When = \"false\")] private readonly Conv2d? b; }"),
            DiagnosticIds.InvalidArgument, "When = \"false\"");
    }

    [Fact]
    public void A_bool_parameter_deciding_a_parallel_branch_is_a_test_in_the_generated_channel_sum()
    {
        var run = GeneratorHarness.Run(Code("""
            [Block(Parallel = true)] public partial class P { [Param] private readonly bool wide; [Conv2d(16, 1)] private readonly Conv2d a; [Conv2d(8, 1, When = nameof(wide))] private readonly Conv2d? b; }
            [Block] public partial class S { [Param] private readonly bool wide; [Use(typeof(P), nameof(wide))] private readonly P p; [Conv2d("inChannels * 2", 1)] private readonly Conv2d c; }
            """));

        // The concatenation is 16 + 8 channels with the branch and 16 without; the bool stays a bool beside the longs.
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains("in_channels: checked(16 + (this.wide ? 8 : 0))", run.Source(".S.SeDsl.Block.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_condition_false_for_one_use_leaves_the_layer_out_of_that_instance_only()
    {
        string source = Code("""
            [Block] public partial class B { [Param] private readonly int n; [Conv2d(8, 1)] private readonly Conv2d a; [Conv2d(8, 1, When = "n > 1")] private readonly Conv2d? b; }
            [Network(16, 4, 4)] public partial class N { [Use(typeof(B), 1)] private readonly B one; [Use(typeof(B), 2)] private readonly B two; }
            """);

        // one: 16->8 (+8 bias); two: 8->8 twice.
        Assert.Equal((8 * 16) + 8 + (2 * ((8 * 8) + 8)), Parameters(source, "N"));
    }

    [Fact]
    public void Sizes_of_every_argument_come_from_expressions()
    {
        string source = Code("""
            [Block]
            public partial class G
            {
                [Param] private readonly int width;
                [Param] private readonly int groupWidth;
                [Param] private readonly int kernel;
                [Conv2d(nameof(width), nameof(kernel), Padding = "(kernel - 1) / 2", Groups = "width / groupWidth", Dilation = "kernel > 3 ? 2 : 1", Bias = false)] private readonly Conv2d conv;
                [MaxPool2d(nameof(kernel), Stride = 1, Padding = "kernel / 2")] private readonly MaxPool2d pool;
            }

            [Network(16, 9, 9)] public partial class N { [Use(typeof(G), 32, 8, 3)] private readonly G g; }
            """);

        // groups 4: 32 x (16 / 4) x 3 x 3.
        Assert.Equal(32 * 4 * 9, Parameters(source, "N"));
    }

    [Fact]
    public void Bool_and_enum_parameters_inside_arithmetic_keep_their_types_in_the_generated_code()
    {
        // Found by the fuzzer: every parameter of an arithmetic size was cast to long, so "(long)this.se ? ..." and
        // "(long)this.act == Activation.None" did not compile, nor did an enum ?: passed to a block inside a block.
        string source = Code("""
            [Block]
            public partial class Inner { [Param] private readonly int width; [Param] private readonly ExcitationGate gate; [SqueezeExcite(Width = nameof(width), Gate = nameof(gate))] private readonly SqueezeExcitation se; }

            [Block]
            public partial class B
            {
                [Param] private readonly int width;
                [Param] private readonly bool se;
                [Param] private readonly Activation act;
                [Conv2d("se ? width * 2 : width", 1, Bias = false)] private readonly Conv2d a;
                [Conv2d("act == Activation.None ? width : width + 8", 1, Bias = false)] private readonly Conv2d b;
                [DepthwiseConv2d(1, Multiplier = "se ? 2 : 1", Bias = false)] private readonly Conv2d c;
                [Use(typeof(Inner), "min(width, 16) + 1", "se ? ExcitationGate.Sigmoid : ExcitationGate.Tanh")] private readonly Inner inner;
            }

            [Network(4, 3, 3)] public partial class N { [Use(typeof(B), 8, true, Activation.None)] private readonly B b; }
            """);

        // a: 4 -> 16; b: 16 -> 8; c: 8 -> 16 (depthwise, x2); inner SE on 16 channels, width 9: 2 x 16 x 9 + 9 + 16.
        Assert.Equal((16 * 4) + (8 * 16) + 16 + (2 * 16 * 9) + 9 + 16, Parameters(source, "N"));
    }

    [Theory]
    [InlineData("w > 100")]
    [InlineData("w < 0 || w > 99")]
    public void A_block_layer_whose_condition_is_false_for_every_use_is_left_out_of_the_pytorch_export_too(string condition)
    {
        // Found by the fuzzer with "false" (now SEDSL102 where it is read): the export looked the left-out layer up in the
        // network's plan and failed (SEDSL901). A condition over a parameter that no use meets leaves it out the same way.
        string source = Code("[Block] public partial class B { [Param] private readonly int w; [Conv2d(8, 1)] private readonly Conv2d a; [ReLU(When = \"" + condition
            + "\")] private readonly ReLU? r; }\n[Network(3, 8, 8)] public partial class N { [Use(typeof(B), 4)] private readonly B b; }");
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("self.a", run.Source(".N.SeDsl.PyTorch.g.cs"), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(18, 8, 24)]   // MobileNetV3: 72 expanded channels / 4; timm's SE rule gives 16
    [InlineData(16, 8, 16)]
    [InlineData(3, 8, 8)]
    [InlineData(30, 8, 32)]
    [InlineData(60, 8, 64)]
    [InlineData(1152, 8, 1152)]
    public void Make_divisible_is_torchvisions_rule(long value, long divisor, long expected)
    {
        Assert.Equal(expected, SeDsl.Layers.SqueezeExcitation.MakeDivisible(value, divisor));
    }

    [Theory]
    [InlineData("a + b * 2 == c && !d", "a + b * 2 == c && !d")]
    [InlineData("(a + b) * 2", "(a + b) * 2")]
    [InlineData("x ? a : b + 1", "x ? a : b + 1")]
    [InlineData("max(a, makeDivisible(b / 4, 8))", "max(a, makeDivisible(b / 4, 8))")]
    [InlineData("a <= b || a >= c", "a <= b || a >= c")]
    public void Expressions_parse_with_csharp_precedence_and_print_as_written(string text, string printed)
    {
        var expr = ExpressionParser.Parse(text, out string error);
        Assert.True(expr is not null, error);
        Assert.Equal(printed, expr!.ToString());
    }

    [Theory]
    [InlineData("a ? 1", "'?' without ':'")]
    [InlineData("pow(a, 2)", "is not a function")]
    [InlineData("max(a)", "max takes 2 arguments, not 1")]
    public void Malformed_expressions_say_why(string text, string reason)
    {
        Assert.Null(ExpressionParser.Parse(text, out string error));
        Assert.Contains(reason, error, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_fold_when_their_parameters_are_known()
    {
        var expr = ExpressionParser.Parse("expanded != inChannels && se", out _)!;
        var folded = expr.Substitute(n => n switch
        {
            "expanded" => (Expr)72,
            "inChannels" => (Expr)24,
            "se" => Expr.Truth.True,
            _ => null,
        });

        Assert.Equal(Expr.Truth.True, folded);
        Assert.Equal(Expr.Truth.False, expr.Substitute(n => n == "se" ? Expr.Truth.False : null));
    }
}
