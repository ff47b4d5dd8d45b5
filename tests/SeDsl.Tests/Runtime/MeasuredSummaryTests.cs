using System.Linq;
using SeDsl.Tests.Networks;
using SeDsl.Zoo;
using Xunit;

namespace SeDsl.Tests.Runtime;

/// <summary>The runtime summary: a real forward pass set beside the compile-time figures.</summary>
public class MeasuredSummaryTests
{
    [Fact]
    public void Generated_networks_measure_as_their_compile_time_summary()
    {
        using var tiny = new TinySeNet();
        using var every = new EveryLayer();
        using var shuffle = new SeShuffleNet();
        using var inception = new SmallInception();

        foreach (var measured in new[] { tiny.MeasureSummary(), every.MeasureSummary(), shuffle.MeasureSummary(), inception.MeasureSummary() })
        {
            Assert.True(measured.Matches, measured.ToString());
            Assert.Empty(measured.Differences);
            Assert.Equal(measured.Expected.Layers.Count, measured.Layers.Count);
        }
    }

    [Fact]
    public void A_difference_is_flagged_with_the_layer_and_both_values()
    {
        // The same layers with one wrong row, as a stale or hand-edited summary would have.
        var rows = TinySeNet.Summary.Layers.ToArray();
        rows[4] = rows[4] with { Parameters = rows[4].Parameters + 1, OutputShape = new long[] { 65, 16, 16 } };
        var wrong = new NetworkSummary(nameof(TinySeNet), TinySeNet.Summary.Input, rows);
        using var model = new TinySeNet();

        var measured = MeasuredSummary.Measure(model, wrong);

        Assert.False(measured.Matches);
        Assert.Equal(2, measured.Differences.Count);
        Assert.Equal("conv2: compile time 65x16x16 with 18,433 parameters, TorchSharp 64x16x16 with 18,432", measured.Differences[0]);
        Assert.StartsWith("total: compile time 20,719 parameters, TorchSharp 20,718", measured.Differences[1], System.StringComparison.Ordinal);
        Assert.Contains("<- differs", measured.ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Measuring_keeps_the_training_mode()
    {
        using var model = new TinySeNet();
        model.train();

        model.MeasureSummary();

        Assert.True(model.training);
    }
}
