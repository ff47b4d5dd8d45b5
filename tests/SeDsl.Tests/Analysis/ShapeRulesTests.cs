using System;
using System.Linq;
using SeDsl.Generator.Analysis;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;
using Xunit;

namespace SeDsl.Tests.Analysis;

/// <summary>Table-driven checks of the pure analysis against hand-computed PyTorch figures.</summary>
public class ShapeRulesTests
{
    private static NetworkPlan Plan(int c, int h, int w, params LayerSpec[] layers)
    {
        var result = NetworkAnalyzer.Analyze(new NetworkSpec(new TypeName("Demo", "Net"), new[] { c, h, w }.ToEquatableArray(), layers.ToEquatableArray()), NoBlocks, System.Threading.CancellationToken.None);
        Assert.True(result.Plan is not null, string.Join(", ", result.Findings.Select(f => f.Id)));
        return result.Plan!;
    }

    private static readonly BlockTable NoBlocks = new(EquatableArray<BlockEntry>.Empty);

    /// <summary>A convolution; padding -1 is "same".</summary>
    private static ConvSpec Conv(int outChannels, int kernel, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true) =>
        new("conv", false, outChannels, 1, kernel, kernel, new Stride.Fixed(stride), padding == -1 ? Padding.Same.Instance : new Padding.Explicit(padding), dilation, groups, bias);

    private static long Argument(LayerPlan layer, string name) =>
        Assert.IsType<ArgumentValue.Size>(layer.Result.Create!.Arguments.Single(a => a.Name == name).Value).Value.Constant!.Value;

    [Theory]
    // size, kernel, stride, padding, dilation, ceil, PyTorch's output
    [InlineData(224, 7, 2, 3, 1, false, 112)]   // ResNet stem
    [InlineData(112, 3, 2, 1, 1, false, 56)]    // ResNet max pool
    [InlineData(56, 3, 2, 1, 1, false, 28)]
    [InlineData(7, 3, 1, 2, 2, false, 7)]       // dilated "same"
    [InlineData(9, 2, 2, 0, 1, true, 5)]        // ceil mode keeps the partial window
    [InlineData(5, 2, 2, 1, 1, true, 3)]        // ceil mode drops a window starting in the right padding
    [InlineData(147, 3, 2, 0, 1, true, 73)]     // Inception's ceil-mode pools
    [InlineData(4, 7, 1, 0, 1, false, 0)]       // no window fits
    public void Window_output_follows_pytorch(long size, long kernel, long stride, long padding, long dilation, bool ceil, long expected)
    {
        Assert.Equal(Math.Max(expected, 0), Math.Max(Window.Output(size, kernel, stride, padding, dilation, ceil).Constant!.Value, 0));
    }

    [Theory]
    // channels, r, divisor, width
    [InlineData(256, 16, 1, 16)]
    [InlineData(64, 16, 1, 4)]
    [InlineData(100, 16, 1, 6)]     // the paper's C / r, rounded down
    [InlineData(64, 16, 8, 8)]      // timm: at least the divisor
    [InlineData(96, 16, 8, 8)]      // 6 -> int(6 + 4) // 8 * 8 = 8
    [InlineData(200, 16, 8, 16)]    // 12.5 -> int(16.5) // 8 * 8 = 16
    [InlineData(48, 4, 8, 16)]      // 12 -> 16
    [InlineData(2048, 16, 8, 128)]
    public void Squeeze_excite_width_follows_the_named_rule(long channels, long r, long divisor, long expected)
    {
        Assert.Equal(expected, Expr.Apply(SizeFunction.ReducedWidth, EquatableArray.Of<Expr>(channels, r, divisor)).Constant);
        Assert.Equal(expected, SeDsl.Layers.SqueezeExcitation.ReducedWidth(channels, r, divisor));   // the runtime's copy is the same file
    }

    [Fact]
    public void Convolution_counts_weights_bias_and_multiply_adds()
    {
        var layer = Plan(3, 224, 224, Conv(64, 7, stride: 2, padding: 3, bias: false)).Layers.Single();

        Assert.Equal(Shape.Spatial(64, 112, 112), layer.Output);
        Assert.Equal(64 * 3 * 7 * 7, layer.Parameters);
        Assert.Equal(64L * 112 * 112 * 3 * 7 * 7, layer.MultiplyAdds);   // 118,013,952: ResNet-50's stem
    }

    [Fact]
    public void Grouped_convolution_divides_input_channels_per_filter()
    {
        var layer = Plan(128, 56, 56, Conv(128, 3, padding: 1, groups: 32)).Layers.Single();

        Assert.Equal(128 * 4 * 9 + 128, layer.Parameters);
        Assert.Equal(128L * 56 * 56 * 4 * 9, layer.MultiplyAdds);
    }

    [Fact]
    public void Depthwise_convolution_uses_one_group_per_input_channel()
    {
        var layer = Plan(32, 112, 112, new ConvSpec("dw", true, 0, 2, 3, 3, new Stride.Fixed(2), new Padding.Explicit(1), 1, 0, false)).Layers.Single();

        Assert.Equal(32, Argument(layer, "groups"));
        Assert.Equal(Shape.Spatial(64, 56, 56), layer.Output);
        Assert.Equal(64 * 9, layer.Parameters);
        Assert.Equal(64L * 56 * 56 * 9, layer.MultiplyAdds);
    }

    [Fact]
    public void Same_padding_keeps_the_size_for_odd_effective_kernels()
    {
        var layer = Plan(8, 15, 15, Conv(8, 3, padding: -1, dilation: 2)).Layers.Single();

        Assert.Equal(2, Argument(layer, "padding"));
        Assert.Equal(Shape.Spatial(8, 15, 15), layer.Output);
    }

    [Theory]
    // channels, r, bias, parameters
    [InlineData(256, 16, true, 2 * 256 * 16 + 16 + 256)]
    [InlineData(256, 16, false, 2 * 256 * 16)]
    [InlineData(2048, 16, true, 2 * 2048 * 128 + 128 + 2048)]
    public void Squeeze_excite_counts_its_two_fully_connected_layers(int channels, int r, bool bias, long parameters)
    {
        var layer = Plan(channels, 7, 7, Se(r, 1, bias)).Layers.Single();

        Assert.Equal(parameters, layer.Parameters);
        Assert.Equal(2L * channels * (channels / r), layer.MultiplyAdds);
        Assert.Equal(Shape.Spatial(channels, 7, 7), layer.Output);
    }

    private static SqueezeExciteSpec Se(int r, int divisor, bool bias) =>
        new("se", r, null, new Expr.Member("SeDsl.SqueezeOperator", "Average", 0), new Expr.Member("SeDsl.ExcitationGate", "Sigmoid", 0),
            new Expr.Member("SeDsl.Activation", "ReLU", 0), divisor, bias);

    [Fact]
    public void Se_blocks_of_se_resnet_50_add_the_published_2_530_992_parameters()
    {
        // SE-ResNet-50 (r = 16, biased excitation): SE on the 256/512/1024/2048-channel outputs of 3/4/6/3 blocks.
        (int channels, int blocks)[] stages = { (256, 3), (512, 4), (1024, 6), (2048, 3) };
        long total = stages.Sum(s => s.blocks * Plan(s.channels, 7, 7, Se(16, 8, true)).Parameters);

        Assert.Equal(2_530_992, total);   // timm seresnet50 (28,088,024) minus torchvision resnet50 (25,557,032)
    }

    [Fact]
    public void Batch_norm_has_two_parameters_per_channel_and_no_multiply_adds()
    {
        var layer = Plan(64, 8, 8, new BatchNormSpec("bn", new Expr.Real(1e-5), new Expr.Real(0.1))).Layers.Single();

        Assert.Equal(128, layer.Parameters);
        Assert.Equal(0, layer.MultiplyAdds);
    }

    [Fact]
    public void Classifier_head_flattens_then_counts_in_times_out()
    {
        var plan = Plan(2048, 7, 7, new GlobalPoolSpec("pool", false), new FlattenSpec("flatten"), new LinearSpec("fc", 1000, true));

        Assert.Equal(Shape.Features(1000), plan.Output);
        Assert.Equal(2048 * 1000 + 1000, plan.Parameters);
        Assert.Equal(2048 * 1000, plan.MultiplyAdds);
        Assert.False(plan.RequiresInputSize);
    }

    [Fact]
    public void Flattening_spatial_positions_pins_the_input_size()
    {
        var plan = Plan(512, 7, 7, new FlattenSpec("flatten"), new LinearSpec("fc", 4096, true));

        Assert.True(plan.RequiresInputSize);
        Assert.Equal(25088L * 4096 + 4096, plan.Parameters);   // VGG-16's first classifier layer
    }

    [Fact]
    public void Shape_inference_stops_at_the_first_impossible_layer()
    {
        var spec = new NetworkSpec(new TypeName("Demo", "Net"), new[] { 3, 4, 4 }.ToEquatableArray(),
            new LayerSpec[] { Conv(8, 5), Conv(8, 9), new LinearSpec("fc", 10, true) }.ToEquatableArray());

        var result = NetworkAnalyzer.Analyze(spec, NoBlocks, System.Threading.CancellationToken.None);

        Assert.Null(result.Plan);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(DiagnosticIds.SpatialSizeVanishes, finding.Id);
        Assert.Equal(0, finding.Layer);
    }
}
