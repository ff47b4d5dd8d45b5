using System.Collections.Generic;
using System.Linq;

namespace SeDsl.Training;

/// <summary>What <see cref="Trainer.Fit"/> did: every epoch's figures (those of a resumed run's earlier epochs included).</summary>
/// <param name="Epochs">One result per completed epoch, in order.</param>
/// <param name="ResumedAfter">The epoch of the checkpoint the run continued from; 0 for a fresh run.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before the last epoch.</param>
public sealed record TrainingHistory(IReadOnlyList<EpochResult> Epochs, int ResumedAfter, bool StoppedEarly)
{
    /// <summary>The last completed epoch, or null when none was (a run resumed after its final epoch has the earlier ones).</summary>
    public EpochResult? Last => Epochs.Count == 0 ? null : Epochs[^1];

    /// <summary>The best epoch by the monitored figure, or null when no epoch ran.</summary>
    public EpochResult? Best => Epochs.LastOrDefault(e => e.IsBest);
}
