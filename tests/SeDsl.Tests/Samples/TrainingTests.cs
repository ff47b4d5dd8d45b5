using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using SeDsl.Samples.Commands;
using SeDsl.Samples.Training;
using SeDsl.Tests.Runtime;
using SeDsl.Tests.Training;
using SeDsl.Training;
using SeDsl.Zoo;
using Spectre.Console;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Samples;

/// <summary>The main job on a few hundred shipped images: its files, its report, its determinism.</summary>
[Collection(TorchSeedCollection.Name)]
public sealed class TrainingTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void The_main_job_saves_weights_that_reload_to_the_reported_test_accuracy_and_writes_report_csv_and_charts()
    {
        string output = Path.Combine(directory.Path, "out");
        (int exit, string log, string table) = RunJob(output, seed: 7);

        Assert.Equal(0, exit);
        Assert.Contains("FashionSeResNet 2/2  train ", log, StringComparison.Ordinal);

        // At 80 columns the progress lines and the result table stay within the width (the summaries before them are
        // the generator's, and paths are as long as they are).
        string[] progress = log.Split(Environment.NewLine).Where(l => l.StartsWith("Fashion", StringComparison.Ordinal) && !l.Contains(": ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2 * 2 * (4 + 1), progress.Length);     // two models, two epochs, each four quarter lines and a summary
        Assert.All(progress, l => Assert.InRange(l.Length, 1, 79));
        Assert.Contains(nameof(FashionResNet), table, StringComparison.Ordinal);
        Assert.All(table.Split(Environment.NewLine), l => Assert.InRange(l.Length, 0, 80));
        string report = File.ReadAllText(Path.Combine(output, Report.MarkdownFile));
        foreach (string name in new[] { nameof(FashionSeResNet), nameof(FashionResNet) })
        {
            // The weights reload strictly into a fresh model and give the test accuracy the report states.
            using var model = name == nameof(FashionSeResNet) ? (nn.Module<Tensor, Tensor>)new FashionSeResNet() : new FashionResNet();
            Weights.Load(model, Path.Combine(output, name + ".safetensors"));
            (ImageSet _, ImageSet test) = FashionMnist.Load(FashionMnist.ShippedDirectory);
            using var testSet = FashionData.ToDataset(test.Take(TestSize));
            Evaluation again = TrainingData.OnOneThread(() => Trainer.Evaluate(model, testSet, classes: 10));
            long parameters = name == nameof(FashionSeResNet) ? FashionSeResNet.ParameterCount : FashionResNet.ParameterCount;
            string row = report.Split('\n').Single(l => l.StartsWith(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| {name} | {parameters:N0} | "), StringComparison.Ordinal));
            Assert.EndsWith($"| {Report.Percent(again["accuracy"])} | 2 |", row.TrimEnd(), StringComparison.Ordinal);

            // Its confusion matrix counts every test image once.
            string[] matrix = report[report.IndexOf($"## Confusion matrix: {name}", StringComparison.Ordinal)..].Split('\n')
                .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2])).Take(10).ToArray();
            Assert.Equal(10, matrix.Length);
            long counted = matrix.Sum(l => l.Split('|', StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(c => long.Parse(c.Trim().Trim('*'), System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(TestSize, counted);
            Assert.Equal(again.Confusion!.Total, counted);

            Assert.Equal(3, File.ReadAllLines(Path.Combine(output, name + ".csv")).Length);
        }

        foreach (Chart chart in Charts.All)
        {
            XDocument svg = XDocument.Load(Path.Combine(output, chart.File));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            byte[] png = File.ReadAllBytes(Path.ChangeExtension(Path.Combine(output, chart.File), ".png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Contains($"({chart.File})", report, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Two_runs_with_the_same_seed_write_the_same_figures_and_another_seed_other_figures()
    {
        string[] first = Figures(Path.Combine(directory.Path, "a"), seed: 11);
        string[] second = Figures(Path.Combine(directory.Path, "b"), seed: 11);
        string[] other = Figures(Path.Combine(directory.Path, "c"), seed: 12);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Each_chart_has_axis_titles_a_legend_inside_and_training_and_test_lines_per_model()
    {
        var runs = new[] { Run("A", [(0.9, 0.70, 0.8, 0.72), (0.5, 0.85, 0.6, 0.80)]), Run("B", [(1.0, 0.60, 0.9, 0.65), (0.7, 0.75, 0.7, 0.74)]) };

        foreach (Chart chart in Charts.All)
        {
            ScottPlot.Plot plot = Charts.Build(chart, runs);

            Assert.Equal("epoch", plot.Axes.Bottom.Label.Text);
            Assert.Equal(chart.YAxis, plot.Axes.Left.Label.Text);
            Assert.True(plot.Legend.IsVisible);
            Assert.Equal(chart.Legend, plot.Legend.Alignment);
            var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
            Assert.Equal(new[] { "A, training", "A, test", "B, training", "B, test" }, lines.Select(l => l.LegendText));
            for (int r = 0; r < runs.Length; r++)
            {
                var train = lines[2 * r].Data.GetScatterPoints().ToList();
                var test = lines[(2 * r) + 1].Data.GetScatterPoints().ToList();
                Assert.Equal(new[] { 1.0, 2.0 }, train.Select(p => p.X));
                Assert.Equal(runs[r].Epochs.Select(chart.Train), train.Select(p => p.Y));
                Assert.Equal(runs[r].Epochs.Select(e => chart.Test(e)!.Value), test.Select(p => p.Y));
            }
        }
    }

    [Fact]
    public void The_report_has_a_row_per_model_per_class_accuracy_and_a_confusion_matrix_each()
    {
        var runs = new[] { Run("A", [(0.9, 0.5, 0.8, 0.5)]), Run("B", [(0.9, 0.25, 0.8, 0.25)]) };
        var settings = new RunSettings("data", 100, 4, 1, 64, 0.003, 0.0001, 1, 1, 5, 10, "test machine");

        string[] lines = Report.Markdown(settings, runs, FashionMnist.Classes).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("| A | 1,234 | 5,678 | 2.0 s | 100 |", StringComparison.Ordinal));
        // Confusion of A: class 0 right twice, class 1 once right and once taken for class 0.
        Assert.Contains(lines, l => l.TrimEnd() == "| T-shirt/top | 100.00 % (2) | 100.00 % (2) |");
        Assert.Contains(lines, l => l.TrimEnd() == "| Trouser | 50.00 % (2) | 50.00 % (2) |");
        Assert.Contains(lines, l => l.TrimEnd() == "| Pullover | - (0) | - (0) |");
        Assert.Equal(2, lines.Count(l => l.StartsWith("## Confusion matrix: ", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("| 1 Trouser | 1 | **1** | 0 |", StringComparison.Ordinal)));
    }

    private const int TrainSize = 320;
    private const int TestSize = 100;

    private (int Exit, string Log, string Table) RunJob(string output, int seed)
    {
        var log = new StringWriter();
        var table = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(table), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
        console.Profile.Width = 80;
        int exit = TrainingData.OnOneThread(() => TrainCommand.Run(
            new TrainSettings(FashionMnist.ShippedDirectory, TrainSize, TestSize, Epochs: 2, BatchSize: 32, Seed: seed, Threads: 0, output, ProcessWarmupSteps: 1),
            log, console));
        return (exit, log.ToString(), table.ToString());
    }

    // The per-epoch CSV figures of both models, without the timing columns.
    private string[] Figures(string output, int seed)
    {
        Assert.Equal(0, RunJob(output, seed).Exit);
        return new[] { nameof(FashionSeResNet), nameof(FashionResNet) }
            .SelectMany(name => File.ReadAllLines(Path.Combine(output, name + ".csv")).Select(l => string.Join(",", l.Split(',').SkipLast(3))))
            .ToArray();
    }

    private static ModelRun Run(string name, (double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy)[] epochs)
    {
        var results = epochs.Select((e, i) => new EpochResult(i + 1, 0.001, e.TrainLoss, new Dictionary<string, double> { ["accuracy"] = e.TrainAccuracy },
            new Evaluation(e.TestLoss, new Dictionary<string, double> { ["accuracy"] = e.TestAccuracy }, 4), TimeSpan.FromSeconds(2), 100, i == 0)).ToArray();
        var counts = new long[100];
        counts[0] = 2;          // two of class 0, both right
        counts[11] = 1;         // one of class 1 right
        counts[10] = 1;         // one of class 1 predicted as class 0
        var test = new Evaluation(epochs[^1].TestLoss, new Dictionary<string, double> { ["accuracy"] = 0.75 }, 4, new ConfusionMatrix(10, counts));
        return new ModelRun(name, 1_234, 5_678, new TrainingHistory(results, 0, false), test, name + ".safetensors");
    }
}
