using System;
using System.Collections.Generic;

namespace SeDsl.Training;

/// <summary>The figures of one training epoch.</summary>
/// <param name="Epoch">The epoch's number, from 1.</param>
/// <param name="LearningRate">The first parameter group's learning rate at the epoch's last step.</param>
/// <param name="TrainLoss">The mean training loss over the epoch's samples (in training mode, as the weights changed).</param>
/// <param name="TrainMetrics">Each metric's mean over the epoch's training samples, by name.</param>
/// <param name="Validation">The validation set's figures after the epoch; null without a validation set.</param>
/// <param name="TrainTime">Wall time of the epoch's training steps (evaluation and checkpoints excluded).</param>
/// <param name="SamplesPerSecond">Training throughput over the timed steps (a run's first warm-up steps left out).</param>
/// <param name="IsBest">Whether the monitored figure reached its best so far in this epoch.</param>
public sealed record EpochResult(
    int Epoch,
    double LearningRate,
    double TrainLoss,
    IReadOnlyDictionary<string, double> TrainMetrics,
    Evaluation? Validation,
    TimeSpan TrainTime,
    double SamplesPerSecond,
    bool IsBest)
{
    /// <summary>The monitored figure: <paramref name="monitor"/> (<c>loss</c> or a metric name) of the validation set, or of training without one.</summary>
    public double Monitored(string monitor)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (monitor == "loss")
        {
            return Validation?.Loss ?? TrainLoss;
        }

        return MetricValues.Get(Validation?.Metrics ?? TrainMetrics, monitor);
    }
}
