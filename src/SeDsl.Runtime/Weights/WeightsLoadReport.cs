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
public sealed record WeightsLoadReport(
    string ModelType,
    string Path,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<TensorEntry> Missing,
    IReadOnlyList<TensorEntry> Unexpected,
    IReadOnlyList<TensorMismatch> Mismatched)
{
    /// <summary>Whether the file and the model have exactly the same keys, shapes and element types.</summary>
    public bool IsExactMatch => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;
}
