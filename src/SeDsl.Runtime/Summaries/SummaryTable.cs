using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SeDsl;

/// <summary>Writes a <see cref="NetworkSummary"/> as a fixed-width table in the manner of torchinfo, then its totals.</summary>
internal static class SummaryTable
{
    public static string Write(NetworkSummary summary, int depth, int batchSize)
    {
        if (depth < 1)
        {
            throw new System.ArgumentOutOfRangeException(nameof(depth), depth, "The depth is at least 1 (the network's own layers).");
        }

        if (batchSize < 1)
        {
            throw new System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size is at least 1.");
        }

        var rows = new List<string[]>();
        AddRows(rows, summary.Layers, "", 0, depth);
        bool seColumn = rows.Any(r => r[5].Length > 0);
        int columns = seColumn ? 6 : 5;
        rows.Insert(0, new[] { "Layer", "Kind", "Output", "Parameters", "MACs", "SE width" });
        rows.Add(new[] { "Total", "", NetworkSummary.FormatShape(summary.Output), Count(summary.Parameters), Count(summary.MultiplyAdds), "" });
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        string rule = new('-', widths.Sum() + (2 * (columns - 1)));

        var text = new StringBuilder();
        text.Append(summary.Name).Append(": input ").Append(NetworkSummary.FormatShape(summary.Input))
            .Append(", output ").Append(NetworkSummary.FormatShape(summary.Output)).Append('\n');
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == 1 || r == rows.Count - 1)
            {
                text.Append(rule).Append('\n');
            }

            var row = rows[r];
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++)
            {
                bool right = c >= 3;
                line.Append(right ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
                if (c < columns - 1)
                {
                    line.Append("  ");
                }
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        text.Append(rule).Append('\n');
        text.Append("Parameters: ").Append(Count(summary.Parameters)).Append(" (trainable ").Append(Count(summary.TrainableParameters))
            .Append(", non-trainable ").Append(Count(summary.NonTrainableParameters)).Append(")\n");
        text.Append("Buffers: ").Append(Count(summary.Buffers)).Append(" elements, not counted as parameters: running mean and variance (C each) and num_batches_tracked (1) of each of the ")
            .Append(Count(summary.BatchNorms)).Append(" batch norms\n");
        text.Append("MACs: ").Append(Scaled(summary.MultiplyAdds)).Append(" per sample (").Append(Count(summary.MultiplyAdds))
            .Append("; multiply-adds of convolutions, linear and SE layers, fvcore's convention; FLOPs = 2 x MACs)\n");
        string batch = batchSize.ToString(CultureInfo.InvariantCulture);
        text.Append("Memory for a batch of ").Append(batch).Append(" (float32; MiB = 2^20 bytes):\n");
        var memory = new List<(string Label, long Bytes, string Note)>
        {
            ("input", summary.InputBytes(batchSize), ""),
            ("parameters", summary.ParameterBytes, ""),
            ("buffers", summary.BufferBytes, "num_batches_tracked is int64"),
            ("activations, inference", summary.InferenceActivationBytes(batchSize), "forward: every layer's output kept, an upper bound"),
            ("activations, training", summary.TrainingActivationBytes(batchSize), "forward outputs saved for backward, plus their gradients"),
        };
        memory.Add(("total, training", memory[0].Bytes + memory[1].Bytes + memory[2].Bytes + memory[4].Bytes, "input + parameters + buffers + training activations"));
        int label = memory.Max(m => m.Label.Length);
        string[] sizes = memory.Select(m => Mebibytes(m.Bytes)).ToArray();
        int size = sizes.Max(s => s.Length);
        for (int i = 0; i < memory.Count; i++)
        {
            text.Append("  ").Append(memory[i].Label.PadRight(label)).Append("  ").Append(sizes[i].PadLeft(size)).Append(" MiB");
            if (memory[i].Note.Length > 0)
            {
                text.Append("  (").Append(memory[i].Note).Append(')');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A count with an SI prefix: <c>4.09 G</c>, <c>2.64 M</c>, <c>640</c>.</summary>
    public static string Scaled(long value) => value switch
    {
        >= 1_000_000_000 => (value / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G",
        >= 1_000_000 => (value / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1_000 => (value / 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " K",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static void AddRows(List<string[]> rows, IReadOnlyList<LayerSummary> layers, string prefix, int level, int depth)
    {
        foreach (var layer in layers)
        {
            string path = prefix + layer.Name;
            string kind = layer.Block is { Shortcut: not ShortcutKind.None } block
                ? layer.Kind + ", " + (block.Shortcut == ShortcutKind.Projection ? "projection" : "identity") + " shortcut"
                : layer.Kind;
            rows.Add(new[]
            {
                new string(' ', 2 * level) + path,
                kind,
                NetworkSummary.FormatShape(layer.OutputShape),
                Count(layer.Parameters),
                Count(layer.MultiplyAdds),
                layer.ReducedChannels > 0 ? Count(layer.ReducedChannels) : "",
            });
            if (level + 1 < depth)
            {
                AddRows(rows, layer.Children, path + ".", level + 1, depth);
            }
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.00", CultureInfo.InvariantCulture);
}
