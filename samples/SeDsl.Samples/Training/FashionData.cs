using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Samples.Training;

/// <summary>Fashion-MNIST images as the data sets the training API reads: standardised N x 1 x 28 x 28 floats and class labels.</summary>
internal static class FashionData
{
    // Fashion-MNIST's pixel mean and standard deviation (of the 60,000 original training images, on a 0-1 scale).
    public const float Mean = 0.2860f;
    public const float Std = 0.3530f;

    /// <summary>A <c>TensorDataset</c> of [image, label] items; disposing it frees the tensors.</summary>
    public static TensorDataset ToDataset(ImageSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return utils.data.TensorDataset(Normalise(set), tensor(Array.ConvertAll(set.Labels, l => (long)l)));
    }

    /// <summary>The images as an N x 1 x 28 x 28 float tensor, standardised with Fashion-MNIST's mean and deviation.</summary>
    public static Tensor Normalise(ImageSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        using var scope = NewDisposeScope();
        Tensor pixels = tensor(set.Pixels, dtype: ScalarType.Byte).reshape(set.Count, 1, ImageSet.Rows, ImageSet.Columns);
        return pixels.to_type(ScalarType.Float32).div_(255f).sub_(Mean).div_(Std).MoveToOuterDisposeScope();
    }
}
