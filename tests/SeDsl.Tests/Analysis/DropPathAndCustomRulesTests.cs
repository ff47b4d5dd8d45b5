using System.Linq;
using SeDsl.Generator.Analysis;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;
using SeDsl.Generator.Parsing;
using Xunit;

namespace SeDsl.Tests.Analysis;

/// <summary>Shape and count tables for <c>[DropPath]</c> and <c>[Custom]</c>, against hand-computed figures.</summary>
public class DropPathAndCustomRulesTests
{
    private static readonly BlockTable NoBlocks = new(EquatableArray<BlockEntry>.Empty);

    private static AnalysisResult<NetworkPlan> Analyze(int c, int h, int w, params LayerSpec[] layers) =>
        NetworkAnalyzer.Analyze(new NetworkSpec(new TypeName("Demo", "Net"), new[] { c, h, w }.ToEquatableArray(), layers.ToEquatableArray()), NoBlocks, System.Threading.CancellationToken.None);

    private static NetworkPlan Plan(int c, int h, int w, params LayerSpec[] layers)
    {
        var result = Analyze(c, h, w, layers);
        Assert.True(result.Plan is not null, string.Join(", ", result.Findings.Select(f => f.Id)));
        return result.Plan!;
    }

    private static Expr E(string text) => ExpressionParser.Parse(text, out _)!;

    private static CustomSpec Custom(string outChannels = "inChannels", int stride = 1, string parameters = "0", string multiplyAdds = "0", params string[] arguments) =>
        new("custom", "Demo.Module", arguments.Select(E).ToEquatableArray(), E(outChannels), new Stride.Fixed(stride), E(parameters), E(multiplyAdds));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.999)]
    public void Drop_path_keeps_the_shape_and_counts_nothing(double p)
    {
        var plan = Plan(32, 7, 5, new DropPathSpec("drop", new Expr.Real(p)));
        var layer = plan.Layers.Single();

        Assert.Equal(Shape.Spatial(32, 7, 5), layer.Output);
        Assert.Equal(0, layer.Parameters);
        Assert.Equal(0, layer.MultiplyAdds);
        Assert.Equal(p, Assert.IsType<ArgumentValue.Real>(layer.Result.Create!.Arguments.Single(a => a.Name == "p").Value).Value);
    }

    [Fact]
    public void Drop_path_takes_flat_features_too()
    {
        var plan = Plan(8, 4, 4, new FlattenSpec("flat"), new DropPathSpec("drop", new Expr.Real(0.1)));

        Assert.Equal(Shape.Features(128), plan.Layers[1].Output);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Drop_path_probability_outside_zero_to_one_is_reported_on_P(double p)
    {
        var finding = Analyze(8, 4, 4, new DropPathSpec("drop", new Expr.Real(p))).Findings.Single();

        Assert.Equal(DiagnosticIds.InvalidArgument, finding.Id);
        Assert.Equal("P", finding.Argument);
    }

    [Theory]
    // input C x H x W, out channels, stride, parameters, multiply-adds -> output C x H x W, parameters, multiply-adds
    [InlineData(16, 15, 15, "inChannels", 1, "2 * inChannels * (inChannels / 4) + inChannels + inChannels / 4", "2 * inChannels * (inChannels / 4)", 16, 15, 15, 148, 128)]
    [InlineData(16, 15, 15, "inChannels * 2", 2, "inChannels * 2 * inChannels * 9", "inChannels * 2 * inChannels * 9 * ((height + 1) / 2) * ((width + 1) / 2)", 32, 8, 8, 4608, 294912)]
    [InlineData(3, 224, 224, "64", 4, "3 * 64 * 16 + 64", "64 * 3 * 16 * 56 * 56", 64, 56, 56, 3136, 9633792)]   // a ViT-style 4x4 patch stem
    [InlineData(8, 7, 9, "8", 3, "0", "height * width", 8, 3, 3, 0, 63)]                                         // 7 / 3 and 9 / 3 rounded up
    [InlineData(2048, 64, 64, "inChannels", 1, "0", "inChannels * inChannels * height * width", 2048, 64, 64, 0, 17179869184)]   // counts beyond an int
    public void Custom_layer_follows_its_declared_rule(int c, int h, int w, string outChannels, int stride, string parameters, string multiplyAdds,
        long outC, long outH, long outW, long expectedParameters, long expectedMultiplyAdds)
    {
        var layer = Plan(c, h, w, Custom(outChannels, stride, parameters, multiplyAdds)).Layers.Single();

        Assert.Equal(Shape.Spatial(outC, outH, outW), layer.Output);
        Assert.Equal(expectedParameters, layer.Parameters);
        Assert.Equal(expectedMultiplyAdds, layer.MultiplyAdds);
    }

    [Fact]
    public void Custom_layer_is_created_with_the_input_channels_and_its_arguments_then_checked_against_the_declared_count()
    {
        var layer = Plan(16, 8, 8, Custom(parameters: "inChannels * 3", arguments: ["4", "inChannels / 2"])).Layers.Single();
        var create = layer.Result.Create!;

        Assert.Equal("SeDsl.Layers.CustomLayer.Created", create.Factory);
        Assert.IsType<ArgumentValue.Owner>(create.Arguments[0].Value);
        var created = Assert.IsType<ArgumentValue.Created>(create.Arguments[1].Value).Value;
        Assert.Equal("Demo.Module", created.Factory);
        Assert.True(created.IsType);
        Assert.Equal(new long[] { 16, 4, 8 }, created.Arguments.Select(a => Assert.IsType<ArgumentValue.Size>(a.Value).Value.Constant!.Value));
        Assert.Equal("custom", Assert.IsType<ArgumentValue.Text>(create.Arguments[2].Value).Value);
        Assert.Equal(48, Assert.IsType<ArgumentValue.Size>(create.Arguments[3].Value).Value.Constant);
    }

    [Theory]
    [InlineData("height", "0", "OutChannels")]
    [InlineData("inChannels", "width * 2", "Parameters")]
    public void Custom_layer_rules_other_than_multiply_adds_must_not_use_height_or_width(string outChannels, string parameters, string argument)
    {
        var finding = Analyze(8, 4, 4, Custom(outChannels, parameters: parameters)).Findings.Single();

        Assert.Equal(DiagnosticIds.CustomRuleUsesSpatialSize, finding.Id);
        Assert.Equal(argument, finding.Argument);
    }

    [Theory]
    [InlineData("0", 1, "0", "0", "OutChannels")]
    [InlineData("inChannels", 0, "0", "0", "Stride")]
    [InlineData("inChannels", 1, "0 - 1", "0", "Parameters")]
    [InlineData("inChannels", 1, "0", "inChannels - 100", "MultiplyAdds")]
    [InlineData("inChannels / 0", 1, "0", "0", "OutChannels")]
    public void Custom_layer_rule_values_are_checked_where_written(string outChannels, int stride, string parameters, string multiplyAdds, string argument)
    {
        var finding = Analyze(8, 4, 4, Custom(outChannels, stride, parameters, multiplyAdds)).Findings.First();

        Assert.Equal(argument, finding.Argument);
    }
}
