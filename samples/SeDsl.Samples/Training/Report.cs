using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SeDsl.Samples.Training;

/// <summary>One trained model: its compile-time figures and its epochs.</summary>
internal sealed record ModelRun(string Name, long Parameters, long MultiplyAdds, IReadOnlyList<EpochResult> Epochs)
{
    public EpochResult Final => Epochs[^1];

    /// <summary>Mean training time per epoch.</summary>
    public TimeSpan EpochTime => TimeSpan.FromTicks((long)Epochs.Average(e => e.TrainTime.Ticks));
}

/// <summary>What was trained on, and how.</summary>
internal sealed record RunSettings(string Data, int TrainImages, int TestImages, TrainingOptions Options, int Threads);

/// <summary>Writes the run's results: <c>report.md</c> (settings, table, chart), <c>accuracy.svg</c> and <c>epochs.csv</c>.</summary>
internal static class Report
{
    public const string MarkdownFile = "report.md";
    public const string ChartFile = "accuracy.svg";
    public const string CsvFile = "epochs.csv";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the three files into <paramref name="directory"/> (created if needed) and returns the report's path.</summary>
    public static string Write(string directory, RunSettings settings, IReadOnlyList<ModelRun> runs)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ChartFile), Chart(runs));
        File.WriteAllText(Path.Combine(directory, CsvFile), Csv(runs));
        string report = Path.Combine(directory, MarkdownFile);
        File.WriteAllText(report, Markdown(settings, runs));
        return report;
    }

    public static string Markdown(RunSettings settings, IReadOnlyList<ModelRun> runs)
    {
        var text = new StringBuilder();
        TrainingOptions o = settings.Options;
        text.AppendLine("# Fashion-MNIST: SE-ResNet vs its plain twin");
        text.AppendLine();
        text.AppendLine(Invariant, $"- Data: `{settings.Data}`, {settings.TrainImages:N0} training and {settings.TestImages:N0} test images.");
        text.AppendLine(Invariant, $"- Training: {Plural(o.Epochs, "epoch")}, batch {o.BatchSize}, AdamW (peak learning rate {o.LearningRate}, weight decay {o.WeightDecay}, one-epoch warm-up then cosine), seed {o.Seed}, {Plural(settings.Threads, "CPU thread")}.");
        text.AppendLine();
        text.AppendLine("| model | parameters | MACs per image | epoch time | final train loss | test loss | test accuracy |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (ModelRun run in runs)
        {
            text.AppendLine(Invariant, $"| {run.Name} | {run.Parameters:N0} | {run.MultiplyAdds:N0} | {Seconds(run.EpochTime)} | {run.Final.TrainLoss:0.0000} | {run.Final.TestLoss:0.0000} | {Percent(run.Final.TestAccuracy)} |");
        }

        text.AppendLine();
        text.AppendLine("Parameters and multiply-adds are the models' compile-time constants; epoch time is the mean wall time of a training epoch (evaluation excluded).");
        text.AppendLine();
        text.AppendLine(Invariant, $"![Test accuracy per epoch]({ChartFile})");
        text.AppendLine();
        text.AppendLine("## Test accuracy per epoch");
        text.AppendLine();
        text.Append("| epoch |");
        foreach (ModelRun run in runs)
        {
            text.Append(Invariant, $" {run.Name} |");
        }

        text.AppendLine();
        text.AppendLine("|---:|" + string.Concat(runs.Select(_ => "---:|")));
        int epochs = runs.Max(r => r.Epochs.Count);
        for (int e = 0; e < epochs; e++)
        {
            text.Append(Invariant, $"| {e + 1} |");
            foreach (ModelRun run in runs)
            {
                text.Append(e < run.Epochs.Count ? $" {Percent(run.Epochs[e].TestAccuracy)} |" : " |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>Every epoch of every model, with full-precision losses and accuracies (for comparing runs).</summary>
    public static string Csv(IReadOnlyList<ModelRun> runs)
    {
        var text = new StringBuilder("model,epoch,train_loss,train_accuracy,test_loss,test_accuracy,train_seconds\n");
        foreach (ModelRun run in runs)
        {
            foreach (EpochResult e in run.Epochs)
            {
                text.Append(Invariant, $"{run.Name},{e.Epoch},{e.TrainLoss:R},{e.TrainAccuracy:R},{e.TestLoss:R},{e.TestAccuracy:R},{e.TrainTime.TotalSeconds:0.000}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>An SVG line chart of test accuracy (percent) per epoch, one line and legend entry per model.</summary>
    public static string Chart(IReadOnlyList<ModelRun> runs)
    {
        const double width = 640, height = 400, left = 60, right = 20, top = 40, bottom = 50;
        const double plotWidth = width - left - right, plotHeight = height - top - bottom;
        string[] colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"];

        int epochs = Math.Max(1, runs.Max(r => r.Epochs.Count));
        double[] accuracies = runs.SelectMany(r => r.Epochs.Select(e => e.TestAccuracy * 100)).ToArray();

        // The vertical axis spans whole multiples of 5 % around the data, so small differences stay visible.
        double low = Math.Max(0, Math.Floor((accuracies.DefaultIfEmpty(0).Min() - 1) / 5) * 5);
        double high = Math.Min(100, Math.Ceiling((accuracies.DefaultIfEmpty(100).Max() + 1) / 5) * 5);
        if (high <= low)
        {
            high = low + 5;
        }

        double X(int epoch) => epochs == 1 ? left + (plotWidth / 2) : left + ((epoch - 1) * plotWidth / (epochs - 1));
        double Y(double percent) => top + plotHeight - ((percent - low) / (high - low) * plotHeight);
        string N(double value) => value.ToString("0.##", Invariant);

        var svg = new StringBuilder();
        svg.AppendLine(Invariant, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(Invariant, $"  <rect width=\"{N(width)}\" height=\"{N(height)}\" fill=\"white\"/>");
        svg.AppendLine(Invariant, $"  <text x=\"{N(width / 2)}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">Fashion-MNIST test accuracy per epoch</text>");

        // Grid and vertical axis labels every 5 %.
        for (double p = low; p <= high + 1e-9; p += 5)
        {
            svg.AppendLine(Invariant, $"  <line x1=\"{N(left)}\" y1=\"{N(Y(p))}\" x2=\"{N(left + plotWidth)}\" y2=\"{N(Y(p))}\" stroke=\"#dddddd\"/>");
            svg.AppendLine(Invariant, $"  <text x=\"{N(left - 8)}\" y=\"{N(Y(p) + 4)}\" text-anchor=\"end\">{N(p)} %</text>");
        }

        for (int e = 1; e <= epochs; e++)
        {
            svg.AppendLine(Invariant, $"  <text x=\"{N(X(e))}\" y=\"{N(top + plotHeight + 18)}\" text-anchor=\"middle\">{e}</text>");
        }

        svg.AppendLine(Invariant, $"  <text x=\"{N(left + (plotWidth / 2))}\" y=\"{N(height - 10)}\" text-anchor=\"middle\">epoch</text>");
        svg.AppendLine(Invariant, $"  <rect x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(plotWidth)}\" height=\"{N(plotHeight)}\" fill=\"none\" stroke=\"#888888\"/>");

        for (int i = 0; i < runs.Count; i++)
        {
            string colour = colours[i % colours.Length];
            string points = string.Join(" ", runs[i].Epochs.Select(e => $"{N(X(e.Epoch))},{N(Y(e.TestAccuracy * 100))}"));
            svg.AppendLine(Invariant, $"  <polyline points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            foreach (EpochResult e in runs[i].Epochs)
            {
                svg.AppendLine(Invariant, $"  <circle cx=\"{N(X(e.Epoch))}\" cy=\"{N(Y(e.TestAccuracy * 100))}\" r=\"3\" fill=\"{colour}\"><title>{Escape(runs[i].Name)}, epoch {e.Epoch}: {Percent(e.TestAccuracy)}</title></circle>");
            }

            // The legend sits in the lower right corner, which rising accuracy curves leave empty.
            double legendY = top + plotHeight - 12 - ((runs.Count - 1 - i) * 18);
            svg.AppendLine(Invariant, $"  <line x1=\"{N(left + plotWidth - 170)}\" y1=\"{N(legendY - 4)}\" x2=\"{N(left + plotWidth - 150)}\" y2=\"{N(legendY - 4)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            svg.AppendLine(Invariant, $"  <text x=\"{N(left + plotWidth - 144)}\" y=\"{N(legendY)}\">{Escape(runs[i].Name)} {Percent(runs[i].Final.TestAccuracy)}</text>");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    public static string Plural(int count, string noun) => count.ToString("N0", Invariant) + " " + noun + (count == 1 ? string.Empty : "s");

    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", Invariant) + " %";

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", Invariant) + " s";

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? string.Empty;
}
