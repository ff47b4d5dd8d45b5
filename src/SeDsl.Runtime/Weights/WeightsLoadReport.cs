using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SeDsl;

/// <summary>
/// How a weights file compares with a model's <c>state_dict</c>, and what <see cref="Weights.Load(TorchSharp.torch.nn.Module, string, WeightsLoadOptions)"/> copied.
/// </summary>
/// <param name="ModelType">The model's type name, e.g. <c>SeResNet50</c>.</param>
/// <param name="Path">The file.</param>
/// <param name="Loaded">Keys whose tensors were copied into the model (empty when the load was refused).</param>
/// <param name="Missing">Keys of the model that the file lacks, with the model's shapes; left as they were.</param>
/// <param name="Unexpected">Keys of the file that the model lacks, with the file's shapes; ignored.</param>
/// <param name="Mismatched">Keys in both whose shape or element type differ; left as they were.</param>
/// <param name="Kept">
/// Batch-norm counters (<c>*.num_batches_tracked</c>) the file lacks, left as they were. PyTorch's own strict
/// loading tolerates their absence (files from before PyTorch 0.4.1 and many published checkpoints lack them),
/// and so does this one; they matter only to batch norm with <c>momentum = null</c>.
/// </param>
public sealed record WeightsLoadReport(
    string ModelType,
    string Path,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<TensorEntry> Missing,
    IReadOnlyList<TensorEntry> Unexpected,
    IReadOnlyList<TensorMismatch> Mismatched,
    IReadOnlyList<TensorEntry> Kept)
{
    /// <summary>
    /// Whether every key of the model is in the file with the same shape and element type (batch-norm counters
    /// apart, see <see cref="Kept"/>) and the file has no other keys.
    /// </summary>
    public bool IsExactMatch => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>
    /// Keys loaded with an element-type conversion, asked for with <see cref="WeightsLoadOptions.ConvertDTypes"/>:
    /// the model's entry and the file's. Each is also in <see cref="Loaded"/>. Empty when nothing was converted.
    /// </summary>
    public IReadOnlyList<TensorMismatch> Converted { get; init; } = Array.Empty<TensorMismatch>();

    /// <summary>
    /// A summary line, then every missing, unexpected, mismatched, converted and kept key with its shapes:
    /// <c>TinySeNet from 'a.pt': 17 of 18 keys loaded (0 converted); 1 missing, 0 unexpected, 0 mismatched, 0 kept.</c>
    /// </summary>
    public override string ToString()
    {
        int total = Loaded.Count + Missing.Count + Mismatched.Count + Kept.Count;
        var text = new StringBuilder()
            .Append($"{ModelType} from '{Path}': {Loaded.Count} of {total} keys loaded ({Converted.Count} converted); ")
            .Append($"{Missing.Count} missing, {Unexpected.Count} unexpected, {Mismatched.Count} mismatched, {Kept.Count} kept.");
        AppendSection(text, "Missing from the file (model's shape)", Missing);
        AppendSection(text, "Unexpected in the file (file's shape)", Unexpected);
        AppendSection(text, "Shape or dtype differs", Mismatched);
        AppendSection(text, "Converted (model's dtype, file's dtype)", Converted);
        AppendSection(text, "Batch-norm counters the file lacks, kept", Kept);
        return text.ToString();
    }

    /// <summary>Appends a titled list, one item per indented line; nothing when the list is empty.</summary>
    internal static void AppendSection<T>(StringBuilder text, string title, IReadOnlyList<T> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.Append('\n').Append(title).Append(':');
        foreach (T item in items)
        {
            text.Append("\n  ").Append(item);
        }
    }
}
