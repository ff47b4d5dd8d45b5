using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SeDsl.Training;

namespace SeDsl.Samples.Training;

/// <summary>One trained model: its compile-time figures, its training history, the final test evaluation and its weights file.</summary>
internal sealed record ModelRun(string Name, long Parameters, long MultiplyAdds, TrainingHistory History, Evaluation Test, string WeightsFile)
{
    public IReadOnlyList<EpochResult> Epochs => History.Epochs;

    /// <summary>The median training time of an epoch (evaluation excluded).</summary>
    public TimeSpan EpochTime => TimeSpan.FromSeconds(Report.Median(Epochs.Select(e => e.TrainTime.TotalSeconds)));

    /// <summary>The median over epochs of training throughput, the run's first warm-up steps left out.</summary>
    public double ImagesPerSecond => Report.Median(Epochs.Where(e => e.SamplesPerSecond > 0).Select(e => e.SamplesPerSecond));
}

/// <summary>What was trained on, and how.</summary>
internal sealed record RunSettings(
    string Data,
    int TrainImages,
    int TestImages,
    int Epochs,
    int BatchSize,
    double LearningRate,
    double WeightDecay,
    long Seed,
    int Threads,
    int WarmupSteps,
    int ProcessWarmupSteps,
    string Machine);

/// <summary>
/// Writes the run's report: <c>report.md</c> (settings, results, throughput, per-epoch figures, per-class accuracy and
/// confusion matrices) beside the charts <c>loss.svg</c> and <c>accuracy.svg</c> (and their PNGs).
/// </summary>
internal static class Report
{
    public const string MarkdownFile = "report.md";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the report and the charts into <paramref name="directory"/> (created if needed) and returns the report's path.</summary>
    public static string Write(string directory, RunSettings settings, IReadOnlyList<ModelRun> runs, IReadOnlyList<string> classes)
    {
        Directory.CreateDirectory(directory);
        foreach (Chart chart in Charts.All)
        {
            Charts.Save(chart, runs, Path.Combine(directory, chart.File));
        }

        string report = Path.Combine(directory, MarkdownFile);
        File.WriteAllText(report, Markdown(settings, runs, classes));
        return report;
    }

    public static string Markdown(RunSettings s, IReadOnlyList<ModelRun> runs, IReadOnlyList<string> classes)
    {
        var text = new StringBuilder();
        text.AppendLine("# Fashion-MNIST: SE-ResNet vs its plain twin");
        text.AppendLine();
        text.AppendLine("## Settings");
        text.AppendLine(Invariant, $"- Data: `{s.Data}`, {s.TrainImages:N0} training and {s.TestImages:N0} test images (the test set is evaluated after every epoch).");
        text.AppendLine(Invariant, $"- Training: {Plural(s.Epochs, "epoch")}, batch {s.BatchSize}, AdamW (weight decay {s.WeightDecay}), OneCycleLR to a peak learning rate of {s.LearningRate} (cosine warm-up over the first epoch, then cosine decay), cross-entropy, seed {s.Seed}.");
        text.AppendLine(Invariant, $"- Machine: {s.Machine}, {Plural(s.Threads, "libtorch thread")}. Before anything is timed each model trains {Plural(s.ProcessWarmupSteps, "step")} on a throwaway copy (the process's first-use costs), and each model's first {Plural(s.WarmupSteps, "step")} are left out of its throughput.");
        text.AppendLine();
        text.AppendLine("## Results");
        text.AppendLine("| model | parameters | MACs per image | epoch time | training images/s | final train loss | test loss | test accuracy | best epoch |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ModelRun run in runs)
        {
            EpochResult last = run.Epochs[^1];
            text.AppendLine(Invariant,
                $"| {run.Name} | {run.Parameters:N0} | {run.MultiplyAdds:N0} | {Seconds(run.EpochTime)} | {run.ImagesPerSecond:N0} | {last.TrainLoss:0.0000} | {run.Test.Loss:0.0000} | {Percent(run.Test["accuracy"])} | {run.History.Best?.Epoch} |");
        }

        text.AppendLine();
        text.AppendLine("Parameters and multiply-adds are the models' compile-time constants. Epoch time and images/s are medians over the epochs of the training steps alone (data loading included; evaluation and checkpoints excluded). Test figures are those of the final weights.");
        text.AppendLine();
        text.AppendLine("![Loss per epoch](loss.svg)");
        text.AppendLine();
        text.AppendLine("![Accuracy per epoch](accuracy.svg)");
        text.AppendLine();
        text.AppendLine("## Per epoch");
        text.AppendLine("| model | epoch | learning rate | train loss | train accuracy | test loss | test accuracy | time | images/s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ModelRun run in runs)
        {
            foreach (EpochResult e in run.Epochs)
            {
                text.AppendLine(Invariant,
                    $"| {run.Name} | {e.Epoch} | {e.LearningRate:0.000000} | {e.TrainLoss:0.0000} | {Percent(e.TrainMetrics["accuracy"])} | {e.Validation?.Loss:0.0000} | {(e.Validation is null ? string.Empty : Percent(e.Validation["accuracy"]))} | {Seconds(e.TrainTime)} | {e.SamplesPerSecond:N0} |");
            }
        }

        text.AppendLine();
        text.AppendLine("## Per-class test accuracy");
        text.AppendLine("| class | " + string.Join(" | ", runs.Select(r => r.Name)) + " |");
        text.AppendLine("|---|" + string.Concat(runs.Select(_ => "---:|")));
        for (int c = 0; c < classes.Count; c++)
        {
            text.Append(Invariant, $"| {classes[c]} |");
            foreach (ModelRun run in runs)
            {
                double accuracy = run.Test.Confusion!.PerClassAccuracy()[c];
                text.Append(Invariant, $" {(double.IsNaN(accuracy) ? "-" : Percent(accuracy))} ({run.Test.Confusion.Support(c):N0}) |");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("In parentheses: the test images of the class.");
        foreach (ModelRun run in runs)
        {
            text.AppendLine();
            text.AppendLine(Invariant, $"## Confusion matrix: {run.Name}");
            text.AppendLine("Rows: true class; columns: predicted class (in the order of the rows).");
            text.AppendLine();
            ConfusionMatrix m = run.Test.Confusion!;
            text.AppendLine("| true \\ predicted | " + string.Join(" | ", Enumerable.Range(0, m.Classes).Select(c => c.ToString(Invariant))) + " |");
            text.AppendLine("|---|" + string.Concat(Enumerable.Range(0, m.Classes).Select(_ => "---:|")));
            for (int a = 0; a < m.Classes; a++)
            {
                text.Append(Invariant, $"| {a} {classes[a]} |");
                for (int p = 0; p < m.Classes; p++)
                {
                    text.Append(a == p ? $" **{m[a, p]}** |" : $" {m[a, p]} |");
                }

                text.AppendLine();
            }
        }

        text.AppendLine();
        text.AppendLine("## Files");
        foreach (ModelRun run in runs)
        {
            text.AppendLine(Invariant, $"- `{Path.GetFileName(run.WeightsFile)}`: the trained weights of {run.Name} (safetensors, loads with `Weights.Load`); `{run.Name}.csv`: its figures per epoch at full precision.");
        }

        return text.ToString();
    }

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static string Plural(int count, string noun) => count.ToString("N0", Invariant) + " " + noun + (count == 1 ? string.Empty : "s");

    public static string Percent(double fraction) => Percent(fraction, 2, space: true);

    public static string Percent(double fraction, int decimals, bool space) =>
        (fraction * 100).ToString("F" + decimals.ToString(Invariant), Invariant) + (space ? " %" : "%");

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", Invariant) + " s";
}
