namespace SeDsl.Training;

/// <summary>The two checkpoints <see cref="Trainer"/> keeps in <see cref="TrainingOptions.CheckpointDirectory"/>.</summary>
public enum CheckpointKind
{
    /// <summary>The weights of the epoch with the best monitored figure so far (<c>best.json</c>).</summary>
    Best,

    /// <summary>The full state after the last completed epoch, for resuming: weights, optimizer, scheduler, epoch, random state (<c>last.json</c>).</summary>
    Last,
}
