using System;
using System.Collections.Generic;

namespace SeDsl.Training;

/// <summary>Where training stands after one step: raised through <see cref="Trainer.StepCompleted"/>.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The run's last epoch.</param>
/// <param name="Step">Steps done in this epoch, from 1.</param>
/// <param name="Steps">Steps in an epoch.</param>
/// <param name="RunningLoss">The mean training loss over this epoch's samples so far.</param>
/// <param name="RunningMetrics">Each metric's mean over this epoch's samples so far, by name.</param>
/// <param name="SamplesPerSecond">Training throughput of this epoch so far (warm-up steps left out; 0 until a step is timed).</param>
/// <param name="Elapsed">Wall time of this epoch's steps so far.</param>
/// <param name="Remaining">Estimated time for the rest of the run's training steps (evaluation excluded); null until a step is timed.</param>
public sealed record StepProgress(
    int Epoch,
    int Epochs,
    int Step,
    int Steps,
    double RunningLoss,
    IReadOnlyDictionary<string, double> RunningMetrics,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Remaining);
