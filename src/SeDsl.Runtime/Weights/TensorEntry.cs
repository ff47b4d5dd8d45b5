using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace SeDsl;

/// <summary>One tensor of a <c>state_dict</c>, by key: its shape and element type.</summary>
/// <param name="Key">The state_dict key, e.g. <c>layer1.0.se.fc1.weight</c>.</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="DType">The tensor's element type.</param>
public sealed record TensorEntry(string Key, IReadOnlyList<long> Shape, ScalarType DType)
{
    /// <summary><c>key [16, 256, 1, 1] Float32</c>.</summary>
    public override string ToString() => $"{Key} {FormatShape(Shape)} {DType}";

    /// <summary>Formats a shape as PyTorch prints it, <c>[16, 256, 1, 1]</c>; a scalar is <c>[]</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}

/// <summary>A key present in both the file and the model whose tensors differ in shape, element type or both.</summary>
/// <param name="Key">The state_dict key.</param>
/// <param name="Expected">The model's tensor.</param>
/// <param name="Found">The file's tensor.</param>
public sealed record TensorMismatch(string Key, TensorEntry Expected, TensorEntry Found)
{
    /// <summary>Whether the shapes differ.</summary>
    public bool ShapeDiffers => !Expected.Shape.SequenceEqual(Found.Shape);

    /// <summary>Whether the element types differ.</summary>
    public bool DTypeDiffers => Expected.DType != Found.DType;

    /// <summary><c>key: model [64, 3, 7, 7] Float32, file [64, 3, 3, 3] Float32</c>.</summary>
    public override string ToString() =>
        $"{Key}: model {TensorEntry.FormatShape(Expected.Shape)} {Expected.DType}, file {TensorEntry.FormatShape(Found.Shape)} {Found.DType}";
}
