using System;

namespace SeDsl.Training;

/// <summary>
/// Stops training when <see cref="TrainingOptions.Monitor"/> has not improved by more than <see cref="MinDelta"/>
/// for <see cref="Patience"/> epochs in a row. The best epoch's weights stay in the best checkpoint.
/// </summary>
/// <example><code>new TrainingOptions { Epochs = 50, Monitor = "accuracy", EarlyStopping = new EarlyStopping(Patience: 3) }</code></example>
public sealed record EarlyStopping
{
    /// <summary>Creates the rule.</summary>
    /// <param name="Patience">Epochs without improvement before stopping; at least 1.</param>
    /// <param name="MinDelta">The least change that counts as an improvement; 0 or more.</param>
    public EarlyStopping(int Patience = 3, double MinDelta = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Patience, 1);
        if (!(MinDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "The least improvement must be 0 or more.");
        }

        this.Patience = Patience;
        this.MinDelta = MinDelta;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }
}
