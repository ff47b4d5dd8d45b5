using System;
using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Tests.Training;

/// <summary>A small SE classifier for 1x8x8 images with every kind of state training touches: batch norm, SE and dropout.</summary>
[Network(1, 8, 8)]
public partial class TinyTrainNet
{
    [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
    [SqueezeExcite(r: 2)] private readonly SqueezeExcitation se;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Dropout(0.2)] private readonly Dropout dropout;
    [Linear(4)] private readonly Linear fc;
}

/// <summary>The same without batch norm and dropout: with a learning rate of 0 its figures stay exactly the same.</summary>
[Network(1, 8, 8)]
public partial class TinyPlainNet
{
    [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv;
    [ReLU] private readonly ReLU relu;
    [SqueezeExcite(r: 2)] private readonly SqueezeExcitation se;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(4)] private readonly Linear fc;
}

/// <summary>
/// Four classes of 8x8 textures on noise that a small network with global pooling learns in a few epochs: bright,
/// dark, horizontal stripes, vertical stripes. Drawn from a generator of their own, so they never depend on the
/// global seed.
/// </summary>
internal static class TrainingData
{
    public const int Classes = 4;

    public static TensorDataset Textures(int count, ulong seed)
    {
        using var generator = new TorchSharp.torch.Generator(seed);
        Tensor labels = randint(0L, Classes, new long[] { count }, dtype: ScalarType.Int64, generator: generator);
        Tensor images = randn(new long[] { count, 1, 8, 8 }, generator: generator).mul_(0.5);
        long[] classes = labels.data<long>().ToArray();
        using Tensor rows = arange(8).remainder(2).mul(2).sub(1).to_type(ScalarType.Float32);
        using Tensor horizontal = rows.reshape(8, 1).expand(8, 8);
        using Tensor vertical = rows.reshape(1, 8).expand(8, 8);
        for (int i = 0; i < count; i++)
        {
            Tensor image = images[i, 0];
            _ = classes[i] switch
            {
                0 => image.add_(1),
                1 => image.sub_(1),
                2 => image.add_(horizontal),
                _ => image.add_(vertical),
            };
        }

        return utils.data.TensorDataset(images, labels);
    }

    /// <summary>Runs <paramref name="action"/> with one libtorch thread, as the tests' collection runs alone.</summary>
    public static T OnOneThread<T>(Func<T> action) => OnThreads(1, action);

    /// <summary>Runs <paramref name="action"/> with <paramref name="count"/> libtorch threads, then restores the number.</summary>
    public static T OnThreads<T>(int count, Func<T> action)
    {
        int threads = get_num_threads();
        set_num_threads(count);
        try
        {
            return action();
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
