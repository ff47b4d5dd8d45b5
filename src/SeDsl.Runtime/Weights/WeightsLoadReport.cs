using System.Collections.Generic;

namespace SeDsl;

/// <summary>
/// How a weights file compares with a model's <c>state_dict</c>, and what <see cref="Weights.Load"/> copied.
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
}
