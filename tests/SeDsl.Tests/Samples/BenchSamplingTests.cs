using System;
using System.Linq;
using System.Threading;
using SeDsl.Samples.Commands;
using Xunit;

namespace SeDsl.Tests.Samples;

/// <summary>The bench's sampling rule (rounds until a time budget per variant) and its statistics (quartiles, paired ratios).</summary>
public sealed class BenchSamplingTests
{
    [Fact]
    public void Quartiles_interpolate_between_order_statistics()
    {
        var odd = Spread.Of([9, 1, 8, 2, 7, 3, 6, 4, 5]);
        Assert.Equal((9, 3.0, 5.0, 7.0), (odd.Count, odd.Q1, odd.Median, odd.Q3));
        var even = Spread.Of([4, 1, 3, 2]);
        Assert.Equal((4, 1.75, 2.5, 3.25), (even.Count, even.Q1, even.Median, even.Q3));
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }

    [Fact]
    public void Rounds_continue_until_the_minimum_count_and_every_variants_budget_are_reached()
    {
        var sampling = new Sampling(MinRounds: 3, Warmup: 1, MinMilliseconds: 100, MaxRounds: 50);
        Assert.True(sampling.NeedsAnotherRound(2, [500, 500]));
        Assert.True(sampling.NeedsAnotherRound(3, [500, 99]));
        Assert.False(sampling.NeedsAnotherRound(3, [100, 500]));
        Assert.False(sampling.NeedsAnotherRound(50, [1, 1]));
        Assert.True((sampling with { MinRounds = 60 }).NeedsAnotherRound(55, [500, 500]));
        Assert.False((sampling with { MinMilliseconds = 0 }).NeedsAnotherRound(3, [0, 0]));
    }

    [Fact]
    public void A_cheap_variant_gets_as_many_rounds_as_fill_its_budget_and_every_variant_the_same_count()
    {
        var sampling = new Sampling(MinRounds: 2, Warmup: 1, MinMilliseconds: 60, MaxRounds: 1000);
        int calls = 0;
        var samples = sampling.Run([() => { calls++; Thread.Sleep(1); }, () => Thread.Sleep(20)]);

        int rounds = samples[0].Count;
        Assert.Equal(rounds, samples[1].Count);
        Assert.Equal(rounds + 1, calls);
        Assert.True(rounds > 3, $"{rounds} rounds: the cheap variant should have needed more than the expensive one's 3.");
        Assert.All(samples, s => Assert.True(s.Sum() >= 60));
        // The last round was needed: before it, the cheap variant's samples had not filled the budget.
        Assert.True(samples[0].Take(rounds - 1).Sum() < 60);
    }

    [Fact]
    public void A_paired_ratio_is_the_median_of_the_ratios_of_the_same_rounds()
    {
        var steady = RatioEstimate.Paired([2, 4, 6, 8], [1, 2, 3, 4]);
        Assert.Equal((2.0, 2.0, 2.0, 2.0, 4), (steady.Value, steady.RoundRatios.Q1, steady.RoundRatios.Q3, steady.RatioOfMedians, steady.RoundRatios.Count));
        Assert.Equal(0.0, steady.SplitHalfOfRoundRatios);

        // Rounds 1 and 3 favour the numerator, round 2 the denominator: the per-round ratios are 0.5, 3 and 0.5.
        var paired = RatioEstimate.Paired([1, 3, 2], [2, 1, 4]);
        Assert.Equal(0.5, paired.Value);
        Assert.Equal(1.0, paired.RatioOfMedians);
        Assert.True(double.IsNaN(paired.SplitHalfOfRoundRatios));
        Assert.Throws<ArgumentException>(() => RatioEstimate.Paired([1, 2], [1]));
    }

    [Fact]
    public void The_split_half_figures_compare_the_even_rounds_with_the_odd_ones()
    {
        // Even rounds: ratios 1, 1 (medians 10 / 10); odd rounds: ratios 2, 2 (medians 40 / 20).
        var estimate = RatioEstimate.Paired([10, 20, 10, 60], [10, 10, 10, 30]);
        Assert.Equal(1.5, estimate.Value);
        Assert.Equal(1.0 / 1.5, estimate.SplitHalfOfRoundRatios, 12);
        Assert.Equal(15.0 / 10.0, estimate.RatioOfMedians);
        Assert.Equal(1.0 / 1.5, estimate.SplitHalfOfMedians, 12);
    }
}
