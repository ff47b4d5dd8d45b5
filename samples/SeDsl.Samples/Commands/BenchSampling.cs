using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace SeDsl.Samples.Commands;

/// <summary>
/// How many timed rounds a benchmark runs: at least <see cref="MinRounds"/>, and more until every variant's timed samples
/// add up to <see cref="MinMilliseconds"/> (so a cheap variant, such as a batch-1 forward, gets as many samples as fit in
/// the budget instead of the count a slow one needs), but never more than <see cref="MaxRounds"/>. Every variant runs once
/// per round, so all variants of one comparison have the same number of samples and sample <c>r</c> of each was taken in
/// the same round.
/// </summary>
internal sealed record Sampling(int MinRounds, int Warmup, double MinMilliseconds, int MaxRounds = 200)
{
    /// <summary>Whether another timed round is due after <paramref name="rounds"/> rounds with these per-variant totals.</summary>
    public bool NeedsAnotherRound(int rounds, IReadOnlyList<double> totalMilliseconds) =>
        rounds < MinRounds || (rounds < Math.Max(MinRounds, MaxRounds) && totalMilliseconds.Any(total => total < MinMilliseconds));

    /// <summary>
    /// Runs the actions in turn, <see cref="Warmup"/> rounds untimed and then timed rounds while
    /// <see cref="NeedsAnotherRound"/>; the starting action rotates each round so that no action always follows the
    /// same one. Returns each action's samples in milliseconds, in round order.
    /// </summary>
    public List<double>[] Run(Action[] actions)
    {
        var samples = actions.Select(_ => new List<double>()).ToArray();
        var totals = new double[actions.Length];
        for (int round = 0; round < Warmup || NeedsAnotherRound(round - Warmup, totals); round++)
        {
            for (int j = 0; j < actions.Length; j++)
            {
                int i = (j + round) % actions.Length;
                var watch = Stopwatch.StartNew();
                actions[i]();
                watch.Stop();
                if (round >= Warmup)
                {
                    samples[i].Add(watch.Elapsed.TotalMilliseconds);
                    totals[i] += watch.Elapsed.TotalMilliseconds;
                }
            }
        }

        return samples;
    }
}

/// <summary>The count, quartiles and median of a set of samples (quantiles interpolated linearly between order statistics).</summary>
internal sealed record Spread(int Count, double Q1, double Median, double Q3)
{
    public static Spread Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        return new Spread(sorted.Length, Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75));
    }

    /// <summary>The <paramref name="p"/> quantile of <paramref name="sorted"/>, between the order statistics at (n - 1) p.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        double position = (sorted.Count - 1) * p;
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}

/// <summary>
/// A ratio of two variants timed in the same rounds: <see cref="Value"/> is the median of the per-round ratios (sample r of
/// the numerator over sample r of the denominator), with their quartiles in <see cref="RoundRatios"/>; beside it the ratio
/// of the two medians, and how far each of the two estimates moves between the even and the odd rounds (relative), the
/// figure by which the bench's documentation chooses between them.
/// </summary>
internal sealed record RatioEstimate(double Value, Spread RoundRatios, double RatioOfMedians, double SplitHalfOfRoundRatios, double SplitHalfOfMedians)
{
    public static RatioEstimate Paired(IReadOnlyList<double> numerator, IReadOnlyList<double> denominator)
    {
        if (numerator.Count != denominator.Count || numerator.Count == 0)
        {
            throw new ArgumentException("A paired ratio needs the same number of samples (one per round) on both sides.", nameof(denominator));
        }

        var roundRatios = Spread.Of(numerator.Zip(denominator, (a, b) => a / b).ToArray());
        double ratioOfMedians = Spread.Of(numerator).Median / Spread.Of(denominator).Median;
        if (numerator.Count < 4)
        {
            return new RatioEstimate(roundRatios.Median, roundRatios, ratioOfMedians, double.NaN, double.NaN);
        }

        var (numeratorEven, numeratorOdd) = Halves(numerator);
        var (denominatorEven, denominatorOdd) = Halves(denominator);
        double MedianOfRatios(List<double> a, List<double> b) => Spread.Of(a.Zip(b, (x, y) => x / y).ToArray()).Median;
        double OfMedians(List<double> a, List<double> b) => Spread.Of(a).Median / Spread.Of(b).Median;
        double splitRatios = Math.Abs(MedianOfRatios(numeratorEven, denominatorEven) - MedianOfRatios(numeratorOdd, denominatorOdd)) / roundRatios.Median;
        double splitMedians = Math.Abs(OfMedians(numeratorEven, denominatorEven) - OfMedians(numeratorOdd, denominatorOdd)) / ratioOfMedians;
        return new RatioEstimate(roundRatios.Median, roundRatios, ratioOfMedians, splitRatios, splitMedians);
    }

    private static (List<double> Even, List<double> Odd) Halves(IReadOnlyList<double> values) =>
        (values.Where((_, i) => i % 2 == 0).ToList(), values.Where((_, i) => i % 2 == 1).ToList());
}
