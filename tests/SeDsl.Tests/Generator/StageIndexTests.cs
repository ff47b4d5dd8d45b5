using System;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;
using SeDsl.Generator.Parsing;
using SeDsl.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Values that depend on a block's place in its stage: the stage's <c>index</c> in its arguments, double literals and
/// arithmetic in expressions, and a drop-path rate from a <c>double</c> block parameter (EfficientNet's rates grow over
/// the blocks). Expected values are computed here by hand.
/// </summary>
public class StageIndexTests
{
    private static string Code(params string[] declarations) => Sources.Usings + "namespace Demo;\n\n" + string.Join("\n", declarations);

    /// <summary>A residual unit whose body is dropped with the rate it is given.</summary>
    private const string Unit = """
        [Block(Residual = true)]
        public partial class Unit
        {
            [Param] private readonly int width;
            [Param] private readonly double rate;

            [Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv;
            [BatchNorm2d] private readonly BatchNorm2d bn;
            [DropPath(nameof(rate))] private readonly DropPath drop;
        }

        """;

    private static string Net(string stages) => $$"""
        [Network(8, 8, 8)]
        public partial class Net
        {
        {{stages}}
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(4)] private readonly Linear fc;
        }

        """;

    private static double[] Rates(GeneratorRun run)
    {
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var type = ReliabilityHarness.Load(run).GetType("Demo.Net", throwOnError: true)!;
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        return module.modules().OfType<SeDsl.Layers.DropPath>().Select(d => d.P).ToArray();
    }

    [Theory]
    [InlineData("0.2", 0.2, "0.2")]
    [InlineData("1.5e-3", 1.5e-3, "0.0015")]
    [InlineData("0.2 * (3 + 1) / 16", 0.05, "0.2 * (3 + 1) / 16")]
    [InlineData("(3 + 1) / 16 * 0.2", 0.0, "(3 + 1) / 16 * 0.2")]
    [InlineData("1 - 0.25", 0.75, "1 - 0.25")]
    [InlineData(".5", 0.5, "0.5")]
    [InlineData("1 - .25e-1", 0.975, "1 - 0.025")]
    public void A_double_literal_folds_in_doubles_and_ints_divide_as_in_csharp(string text, double value, string printed)
    {
        var expr = ExpressionParser.Parse(text, out string error);

        Assert.True(expr is not null, error);
        Assert.Equal(printed, expr!.ToString());
        Assert.Equal(value, Assert.IsType<Expr.Real>(expr.Substitute(_ => null)).Value);
    }

    [Fact]
    public void A_double_that_cannot_be_computed_is_reported_with_the_reason()
    {
        var zero = Assert.Throws<SizeException>(() => ExpressionParser.Parse("0.5 / (index - 2)", out _)!.Substitute(_ => new Expr.Number(2)));
        Assert.Equal("divides by zero", zero.Reason);
        Assert.Null(ExpressionParser.Parse("1.5e", out string error));
        Assert.Equal("the exponent of the number at position 1 has no digits", error);
    }

    [Fact]
    public void Each_block_of_a_stage_gets_its_arguments_computed_with_its_index()
    {
        var run = GeneratorHarness.Run(Code(Unit, Net("""    [Stage(typeof(Unit), 4, 8, "0.2 * (2 + index) / 8")] private readonly Sequential layer1;""")));

        // 0.2 x 2 / 8, 0.2 x 3 / 8, ...: computed left to right in doubles, as C# computes the same text.
        Assert.Equal(new[] { 0.2 * 2 / 8, 0.2 * 3 / 8, 0.2 * 4 / 8, 0.2 * 5 / 8 }, Rates(run));
        Assert.Contains("(\"3\", new global::Demo.Unit(inChannels: 8, stride: 1, width: 8, rate: 0.125))", run.Source("Demo.Net.SeDsl.Module.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void First_sees_index_zero_and_int_arguments_may_use_index_too()
    {
        var run = GeneratorHarness.Run(Code(Unit, Net("""
                [Stage(typeof(Unit), 3, 8, "0.1 * index", First = new object[] { 8, "0.05 + index" })] private readonly Sequential layer1;
                [Stage(typeof(Unit), 2, "16 + 8 * index", 0.0)] private readonly Sequential layer2;
            """)));

        Assert.Equal(new[] { 0.05, 0.1, 0.2, 0.0, 0.0 }, Rates(run));
        string module = run.Source("Demo.Net.SeDsl.Module.g.cs");
        Assert.Contains("new global::Demo.Unit(inChannels: 16, stride: 1, width: 24, rate: 0.0)", module, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stage_of_one_block_computes_its_arguments_at_index_zero_only()
    {
        // Found by the stage-index fuzzer: the arguments were also computed for a block 1 that a stage of one block lacks.
        var one = GeneratorHarness.Run(Code(Unit, Net("""    [Stage(typeof(Unit), 1, 8, "0.1 / (1 - index)")] private readonly Sequential layer1;""")));
        Assert.Equal(new[] { 0.1 }, Rates(one));

        var two = GeneratorHarness.Run(Code(Unit, Net("""    [Stage(typeof(Unit), 2, 8, "0.1 / (1 - index)")] private readonly Sequential layer1;""")));
        var error = Assert.Single(two.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidExpression, error.Id);
        Assert.Contains("divides by zero", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e-2 * index", new[] { 0.0, 0.01, 0.02 })]
    [InlineData("index == 0 ? 0 : 0.1", new[] { 0.0, 0.1, 0.1 })]
    [InlineData("index < 0.5 ? 0.0 : 0.05 * index", new[] { 0.0, 0.05, 0.1 })]
    public void Ints_and_doubles_mix_in_choices_comparisons_and_exponents_as_in_csharp(string rate, double[] rates)
    {
        var run = GeneratorHarness.Run(Code(Unit, Net($$"""    [Stage(typeof(Unit), 3, 8, "{{rate}}")] private readonly Sequential layer1;""")));

        Assert.Equal(rates, Rates(run));
    }

    [Fact]
    public void A_rate_that_reaches_one_for_a_later_block_is_reported_on_the_stage()
    {
        var run = GeneratorHarness.Run(Code(Unit, Net("""    [Stage(typeof(Unit), 3, 8, "0.5 * index")] private readonly Sequential layer1;""")));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidArgument, error.Id);
        Assert.Contains("layer1.2.drop", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("in [0, 1)", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Index_outside_a_stages_arguments_is_an_unknown_name_at_the_argument()
    {
        var run = GeneratorHarness.Run(Code(Unit, Net("""    [Use(typeof(Unit), 8, "0.1 * index")] private readonly Unit unit;""")));

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidExpression, error.Id);
        Assert.Equal("\"0.1 * index\"", run.Underlined(error));
        Assert.Contains("'index' is not known here", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Arithmetic_on_a_double_parameter_is_refused_at_its_argument()
    {
        const string scaled = """
            [Block]
            public partial class Scaled
            {
                [Param] private readonly double rate;

                [Dropout("rate / 2")] private readonly Dropout drop;
            }

            """;
        var run = GeneratorHarness.Run(Code(scaled, Net("""    [Use(typeof(Scaled), 0.5)] private readonly Scaled scaled;""")));

        // Reported in the block; the network that uses it says only that it is not generated (SEDSL018).
        var error = Assert.Single(run.GeneratorDiagnostics, d => d.Id != DiagnosticIds.BlockHasErrors);
        Assert.Equal(DiagnosticIds.InvalidExpression, error.Id);
        Assert.Equal("\"rate / 2\"", run.Underlined(error));
        Assert.Contains("'/' on the double parameter 'rate'", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Conv2d(nameof(width), 1, When = \"width >= inChannels\")] private readonly Conv2d? conv;")]
    [InlineData("[DropPath(nameof(rate))] private readonly DropPath drop;")]
    public void A_block_that_hands_back_its_input_survives_the_stage_that_disposes_between_blocks(string layer)
    {
        // TorchSharp's Sequential disposes what one block passes to the next: a block whose layers are all absent here
        // (width 8 below 16 input channels), or the identity at inference, must not return the tensor it was given.
        string block = $$"""
            [Block]
            public partial class Maybe
            {
                [Param] private readonly int width;
                [Param] private readonly double rate;

                {{layer}}
            }

            """;
        var run = GeneratorHarness.Run(Code(block, """
            [Network(16, 4, 4)]
            public partial class Net
            {
                [Stage(typeof(Maybe), 3, 8, 0.1)] private readonly Sequential layer1;
                [ReLU] private readonly ReLU relu;
            }

            """));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var type = ReliabilityHarness.Load(run).GetType("Demo.Net", throwOnError: true)!;
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        module.eval();

        using var input = randn(2, 16, 4, 4);
        using var output = module.forward(input);
        Assert.Equal(new long[] { 2, 16, 4, 4 }, output.shape);
        Assert.Equal(input.relu().sum().item<float>(), output.sum().item<float>(), 3);
    }

    [Fact]
    public void A_double_division_in_a_block_is_true_division_in_csharp_and_in_the_pytorch_export()
    {
        const string widthRate = """
            [Block]
            public partial class WidthRate
            {
                [Param] private readonly int width;

                [Conv2d(nameof(width), 1)] private readonly Conv2d conv;
                [Dropout("0.1 * width / 64")] private readonly Dropout drop;
                [Dropout("width / 64 * 0.1")] private readonly Dropout drop2;
            }

            """;
        var run = GeneratorHarness.Run(Code(widthRate, Net("""    [Use(typeof(WidthRate), 32)] private readonly WidthRate unit;""")));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        string python = run.Source("Demo.Net.SeDsl.PyTorch.g.cs");
        Assert.Contains("nn.Dropout(p=0.1 * width / 64)", python, StringComparison.Ordinal);
        Assert.Contains("nn.Dropout(p=width // 64 * 0.1)", python, StringComparison.Ordinal);
    }
}
