using System;
using static TorchSharp.torch;

namespace SeDsl.Training;

/// <summary>
/// The share of samples whose target class is among the k highest outputs; k = 1 is plain accuracy (named
/// <c>accuracy</c>), otherwise the name is <c>top{k}</c>. Obtain it through <see cref="Metric.Accuracy"/> or
/// <see cref="Metric.TopK"/>.
/// </summary>
public sealed class TopKAccuracy : Metric
{
    /// <summary>Creates the metric for <paramref name="k"/> of at least 1.</summary>
    public TopKAccuracy(int k)
        : base(k == 1 ? "accuracy" : $"top{k}")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>How many of the highest outputs may hold the target.</summary>
    public int K { get; }

    /// <inheritdoc/>
    public override double Sum(Tensor output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        if (output.dim() != 2 || target.dim() != 1 || output.shape[0] != target.shape[0])
        {
            throw new ArgumentException(
                $"{Name} needs outputs N x classes and class targets N; got outputs [{string.Join(", ", output.shape)}] and targets [{string.Join(", ", target.shape)}].");
        }

        if (K > output.shape[1])
        {
            throw new ArgumentException($"{Name} needs at least {K} classes; the outputs have {output.shape[1]}.");
        }

        using var scope = NewDisposeScope();
        if (K == 1)
        {
            return output.argmax(1).eq(target).sum().item<long>();
        }

        Tensor top = output.topk(K, dim: 1).indexes;
        return top.eq(target.unsqueeze(1)).any(1).sum().item<long>();
    }
}
