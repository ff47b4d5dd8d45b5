using System.Collections.Generic;

namespace SeDsl.Training;

/// <summary>A model's figures on a data set, in evaluation mode and without gradients.</summary>
/// <param name="Loss">The mean loss over the samples.</param>
/// <param name="Metrics">Each metric's mean over the samples, by <see cref="Metric.Name"/>, in the options' order.</param>
/// <param name="Samples">How many samples were evaluated.</param>
/// <param name="Confusion">The confusion matrix, when the number of classes was given; otherwise null.</param>
public sealed record Evaluation(double Loss, IReadOnlyDictionary<string, double> Metrics, long Samples, ConfusionMatrix? Confusion = null)
{
    /// <summary>The value of the metric named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming the metrics there are.</summary>
    public double this[string name] => MetricValues.Get(Metrics, name);
}
