using System;
using static TorchSharp.torch;

namespace SeDsl.Training;

/// <summary>
/// A figure computed from a model's outputs and the targets, as the mean over samples of a per-sample score:
/// <see cref="Accuracy"/> (is the top class the target?) and <see cref="TopK"/> (is the target among the k highest?).
/// A metric holds no state, so one instance serves any number of trainers at once.
/// </summary>
/// <remarks>
/// Implement <see cref="Sum"/> for a metric of your own; the trainer adds the sums of every batch and divides by
/// the number of samples.
/// </remarks>
public abstract class Metric
{
    /// <summary>Creates a metric with a name.</summary>
    /// <param name="name">The metric's name in results, logs and checkpoints; letters, digits, '_' and '-' only.</param>
    protected Metric(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                throw new ArgumentException($"Metric name '{name}' may hold only letters, digits, '_' and '-' (it becomes a CSV column).", nameof(name));
            }
        }

        Name = name;
    }

    /// <summary>The name in <see cref="Evaluation.Metrics"/>, the CSV log and checkpoints, e.g. <c>accuracy</c>.</summary>
    public string Name { get; }

    /// <summary>Top-1 accuracy: the share of samples whose highest output is the target class.</summary>
    public static Metric Accuracy { get; } = new TopKAccuracy(1);

    /// <summary>Top-k accuracy: the share of samples whose target is among the <paramref name="k"/> highest outputs; named <c>top{k}</c>.</summary>
    public static Metric TopK(int k) => new TopKAccuracy(k);

    /// <summary>The sum of the per-sample scores of one batch.</summary>
    /// <param name="output">The model's output, samples along the first dimension (e.g. logits, N x classes).</param>
    /// <param name="target">The targets of the batch (e.g. class indices, N).</param>
    public abstract double Sum(Tensor output, Tensor target);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
