using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace SeDsl.Training;

/// <summary>
/// How <see cref="Trainer"/> trains: epochs, batch sizes, loss, metrics, the seed, when the learning-rate scheduler
/// steps, early stopping, checkpoints and the CSV log. Every property has a default; set the ones you need with an
/// object initialiser. The options are immutable, so one instance may serve several trainers.
/// </summary>
/// <remarks>
/// New settings join as further init-only properties with defaults that keep today's behaviour (as
/// <see cref="Precision"/> did), so code written against these options keeps compiling.
/// </remarks>
/// <example>
/// <code>
/// var options = new TrainingOptions { Epochs = 10, BatchSize = 128, Seed = 1, CheckpointDirectory = "runs/a", Resume = true };
/// </code>
/// </example>
public sealed record TrainingOptions
{
    private readonly int epochs = 1;
    private readonly int batchSize = 64;
    private readonly int evaluationBatchSize = 500;
    private readonly int warmupSteps = 5;
    private readonly Precision precision = SeDsl.Precision.Float32;

    /// <summary>How many epochs to train (the last epoch's number; a resumed run continues up to it). Default 1.</summary>
    public int Epochs
    {
        get => epochs;
        init => epochs = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "Train at least one epoch.");
    }

    /// <summary>Samples per training step. Default 64; the last batch of an epoch may be smaller.</summary>
    public int BatchSize
    {
        get => batchSize;
        init => batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "A batch holds at least one sample.");
    }

    /// <summary>Samples per forward pass when evaluating (no gradients, so it can be larger). Default 500.</summary>
    public int EvaluationBatchSize
    {
        get => evaluationBatchSize;
        init => evaluationBatchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), value, "A batch holds at least one sample.");
    }

    /// <summary>
    /// The seed of the run: the order of the training samples in epoch e is drawn from a generator seeded with
    /// (Seed, e), and a fresh run seeds libtorch's global generator with it (dropout and other random layers).
    /// Seed the global generator yourself (<c>torch.manual_seed</c>) before building the model to fix its initial weights.
    /// </summary>
    public long Seed { get; init; }

    /// <summary>Whether each epoch visits the training samples in a new random order (default) or in their order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// The loss of a batch, averaged over its samples: <c>(output, target) => loss</c>. Default: cross-entropy with
    /// class-index targets (<c>nn.functional.cross_entropy</c>).
    /// </summary>
    public Func<Tensor, Tensor, Tensor> Loss { get; init; } = static (output, target) => nn.functional.cross_entropy(output, target);

    /// <summary>Metrics computed on the training batches and on evaluation. Default: <see cref="Metric.Accuracy"/>.</summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [Metric.Accuracy];

    /// <summary>When the learning-rate scheduler steps: after every training step (default) or after every epoch.</summary>
    public SchedulerInterval SchedulerStep { get; init; } = SchedulerInterval.Step;

    /// <summary>
    /// The figure that decides the best epoch, early stopping and <c>ReduceLROnPlateau</c>: <c>loss</c> (default; lower
    /// is better) or a metric's name (higher is better), taken from the validation set, or from training when there is none.
    /// </summary>
    public string Monitor { get; init; } = "loss";

    /// <summary>Stop when the monitored figure has not improved for a while; null (default) trains every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// The folder for checkpoints: the best epoch's weights and the last epoch's full state (weights, optimizer,
    /// scheduler, epoch, random state), written atomically after every epoch. Null (default): none.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// Continue from the last checkpoint in <see cref="CheckpointDirectory"/> when there is one. When false (default)
    /// a folder that already holds checkpoints is refused rather than overwritten.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>A CSV file that gets one row per epoch (rewritten atomically after each); null (default): none.</summary>
    public string? CsvLog { get; init; }

    /// <summary>
    /// Training steps at the start of a run left out of its throughput figure (<see cref="EpochResult.SamplesPerSecond"/>
    /// of its first epoch): the first steps allocate memory and warm caches. Default 5.
    /// </summary>
    public int WarmupSteps
    {
        get => warmupSteps;
        init => warmupSteps = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(WarmupSteps), value, "Use 0 to time every step.");
    }

    /// <summary>
    /// The arithmetic of the training steps: <see cref="SeDsl.Precision.Float32"/> (default), or
    /// <see cref="SeDsl.Precision.BFloat16"/> for mixed precision through <see cref="MixedPrecision"/>: convolutions and
    /// linear layers compute in bfloat16 from float32 master weights, while batch norms, the loss and the gradients
    /// the optimizer reads stay float32. Evaluation, checkpoints and saved weights are float32 either way.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">float16, which would need loss scaling, or an undefined value.</exception>
    public Precision Precision
    {
        get => precision;
        init => precision = value is SeDsl.Precision.Float32 or SeDsl.Precision.BFloat16
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Precision), value, "Training runs in Float32 or, mixed, BFloat16; float16 would need loss scaling.");
    }
}
