using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SeDsl;

/// <summary>
/// A weights file does not fit the model: keys the model has and the file lacks, keys the file has and the model
/// lacks, and keys whose shape or element type differ, every one of them by name and shape. Thrown by
/// <see cref="Weights.Load(TorchSharp.torch.nn.Module, string, WeightsLoadOptions)"/> before anything is copied, so the model keeps the weights it had.
/// </summary>
public sealed class WeightsMismatchException : Exception
{
    /// <summary>Creates the exception from a comparison of a file with a model.</summary>
    public WeightsMismatchException(WeightsLoadReport report)
        : base(Describe(report ?? throw new ArgumentNullException(nameof(report))))
    {
        Report = report;
    }

    /// <summary>The full comparison.</summary>
    public WeightsLoadReport Report { get; }

    /// <summary>The model's type name, e.g. <c>SeResNet50</c>.</summary>
    public string ModelType => Report.ModelType;

    /// <summary>The file that was read.</summary>
    public string Path => Report.Path;

    /// <summary>Keys of the model's state_dict that the file lacks, with the model's shapes.</summary>
    public IReadOnlyList<TensorEntry> Missing => Report.Missing;

    /// <summary>Keys of the file that the model's state_dict lacks, with the file's shapes.</summary>
    public IReadOnlyList<TensorEntry> Unexpected => Report.Unexpected;

    /// <summary>Keys in both whose shapes differ.</summary>
    public IReadOnlyList<TensorMismatch> ShapeMismatches => Report.Mismatched.Where(m => m.ShapeDiffers).ToList();

    /// <summary>Keys in both whose element types differ (a key can differ in both and appear in both lists).</summary>
    public IReadOnlyList<TensorMismatch> DTypeMismatches => Report.Mismatched.Where(m => m.DTypeDiffers).ToList();

    private static string Describe(WeightsLoadReport report)
    {
        var text = new StringBuilder();
        text.Append($"Weights in '{report.Path}' do not fit {report.ModelType}: ")
            .Append($"{report.Missing.Count} missing, {report.Unexpected.Count} unexpected, ")
            .Append($"{report.Mismatched.Count(m => m.ShapeDiffers)} with another shape, ")
            .Append($"{report.Mismatched.Count(m => m.DTypeDiffers)} with another dtype; nothing was loaded.");
        WeightsLoadReport.AppendSection(text, "Missing from the file (model's shape)", report.Missing);
        WeightsLoadReport.AppendSection(text, "Unexpected in the file (file's shape)", report.Unexpected);
        WeightsLoadReport.AppendSection(text, "Shape or dtype differs", report.Mismatched);
        return text.ToString();
    }
}
