using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SeDsl.Training;

/// <summary>
/// The CSV log of a run: a header, then one row per epoch with full-precision figures (invariant culture). The whole
/// file is rewritten atomically after each epoch from the history, so a resumed run's log has every epoch once.
/// </summary>
internal static class CsvLog
{
    public static void Write(string path, IReadOnlyList<Metric> metrics, IReadOnlyList<EpochResult> history)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        string text = Format(metrics, history);
        AtomicFile.Write(path, stream =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
        });
    }

    public static string Format(IReadOnlyList<Metric> metrics, IReadOnlyList<EpochResult> history)
    {
        var text = new StringBuilder("epoch,learning_rate,train_loss");
        foreach (Metric metric in metrics)
        {
            text.Append(",train_").Append(metric.Name);
        }

        text.Append(",val_loss");
        foreach (Metric metric in metrics)
        {
            text.Append(",val_").Append(metric.Name);
        }

        text.Append(",train_seconds,samples_per_second,is_best\n");
        foreach (EpochResult e in history)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{N(e.LearningRate)},{N(e.TrainLoss)}");
            foreach (Metric metric in metrics)
            {
                text.Append(',').Append(e.TrainMetrics.TryGetValue(metric.Name, out double value) ? N(value) : string.Empty);
            }

            text.Append(',').Append(e.Validation is null ? string.Empty : N(e.Validation.Loss));
            foreach (Metric metric in metrics)
            {
                text.Append(',');
                if (e.Validation is not null && e.Validation.Metrics.TryGetValue(metric.Name, out double value))
                {
                    text.Append(N(value));
                }
            }

            text.Append(CultureInfo.InvariantCulture, $",{e.TrainTime.TotalSeconds:0.000},{e.SamplesPerSecond:0.0},{(e.IsBest ? "true" : "false")}\n");
        }

        return text.ToString();
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
