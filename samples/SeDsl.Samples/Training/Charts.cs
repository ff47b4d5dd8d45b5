using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;
using SeDsl.Training;

namespace SeDsl.Samples.Training;

/// <summary>One chart of the report: a figure per epoch, for training and test, one colour per model.</summary>
internal sealed record Chart(string File, string Title, string YAxis, Func<EpochResult, double> Train, Func<EpochResult, double?> Test, Alignment Legend);

/// <summary>
/// The report's charts, drawn with ScottPlot (SkiaSharp, headless): loss and accuracy per epoch, training thin with
/// open squares and test thick with filled circles (SkiaSharp's SVG backend cannot draw dashes), axis titles, the legend inside the plot in the corner the curves leave free.
/// </summary>
internal static class Charts
{
    public const int Width = 720;
    public const int Height = 440;

    private static readonly string[] Colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"];

    public static IReadOnlyList<Chart> All { get; } =
    [
        new("loss.svg", "Fashion-MNIST: cross-entropy loss per epoch", "loss (mean cross-entropy)", e => e.TrainLoss, e => e.Validation?.Loss, Alignment.UpperRight),
        new("accuracy.svg", "Fashion-MNIST: accuracy per epoch", "accuracy (%)", e => e.TrainMetrics["accuracy"] * 100, e => e.Validation?["accuracy"] * 100, Alignment.LowerRight),
    ];

    /// <summary>The chart as a ScottPlot plot (exposed for tests, which check what it draws).</summary>
    public static Plot Build(Chart chart, IReadOnlyList<ModelRun> runs)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(chart.Title);
        plot.XLabel("epoch");
        plot.YLabel(chart.YAxis);
        for (int i = 0; i < runs.Count; i++)
        {
            Color colour = Color.FromHex(Colours[i % Colours.Length]);
            double[] epochs = runs[i].Epochs.Select(e => (double)e.Epoch).ToArray();
            var train = plot.Add.Scatter(epochs, runs[i].Epochs.Select(chart.Train).ToArray());
            train.LegendText = $"{runs[i].Name}, training";
            train.Color = colour;
            train.LineWidth = 1.5f;
            train.MarkerShape = MarkerShape.OpenSquare;
            train.MarkerSize = 8;

            var tested = runs[i].Epochs.Where(e => chart.Test(e) is not null).ToArray();
            if (tested.Length > 0)
            {
                var test = plot.Add.Scatter(tested.Select(e => (double)e.Epoch).ToArray(), tested.Select(e => chart.Test(e)!.Value).ToArray());
                test.LegendText = $"{runs[i].Name}, test";
                test.Color = colour;
                test.LineWidth = 2.5f;
                test.MarkerShape = MarkerShape.FilledCircle;
                test.MarkerSize = 8;
            }
        }

        // Whole epochs only on the horizontal axis.
        int last = runs.Max(r => r.Epochs.Count == 0 ? 1 : r.Epochs[^1].Epoch);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(1, last).Select(e => (double)e).ToArray(),
            Enumerable.Range(1, last).Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsX(0.7, last + 0.3);
        plot.ShowLegend(chart.Legend);
        return plot;
    }

    /// <summary>Writes the chart as SVG at <paramref name="path"/> and as PNG beside it.</summary>
    public static void Save(Chart chart, IReadOnlyList<ModelRun> runs, string path)
    {
        Plot plot = Build(chart, runs);
        plot.SaveSvg(path, Width, Height);
        plot.SavePng(Path.ChangeExtension(path, ".png"), Width, Height);
    }
}
