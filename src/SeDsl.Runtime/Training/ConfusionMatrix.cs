using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SeDsl.Training;

/// <summary>
/// How often each true class was predicted as each class (the prediction being the highest output), counted by
/// <see cref="Trainer.Evaluate(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.utils.data.IterableDataset, TrainingOptions?, int)"/>
/// when given the number of classes. Rows are true classes, columns predicted ones.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    /// <summary>Creates a matrix from its counts, row by row (true class), <paramref name="classes"/> squared of them.</summary>
    public ConfusionMatrix(int classes, IReadOnlyList<long> counts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != classes * classes)
        {
            throw new ArgumentException($"{classes} classes need {classes * classes} counts; {counts.Count} were given.", nameof(counts));
        }

        if (counts.Any(c => c < 0))
        {
            throw new ArgumentException("Counts cannot be negative.", nameof(counts));
        }

        Classes = classes;
        this.counts = counts.ToArray();
    }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of samples counted.</summary>
    public long Total => counts.Sum();

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(actual);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actual, Classes);
            ArgumentOutOfRangeException.ThrowIfNegative(predicted);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, Classes);
            return counts[(actual * Classes) + predicted];
        }
    }

    /// <summary>The share of all samples predicted correctly (the diagonal over the total); 0 when nothing was counted.</summary>
    public double Accuracy
    {
        get
        {
            long total = Total;
            return total == 0 ? 0 : (double)Enumerable.Range(0, Classes).Sum(c => this[c, c]) / total;
        }
    }

    /// <summary>How many samples of class <paramref name="actual"/> were counted (its row's sum).</summary>
    public long Support(int actual) => Enumerable.Range(0, Classes).Sum(p => this[actual, p]);

    /// <summary>
    /// Per class, the share of its samples predicted correctly (recall); <see cref="double.NaN"/> for a class with no samples.
    /// </summary>
    public IReadOnlyList<double> PerClassAccuracy() =>
        Enumerable.Range(0, Classes).Select(c => Support(c) == 0 ? double.NaN : (double)this[c, c] / Support(c)).ToArray();

    /// <summary>The matrix as a text table (true classes down, predicted across), with the given class names or the indices.</summary>
    public string ToString(IReadOnlyList<string>? names)
    {
        if (names is not null && names.Count != Classes)
        {
            throw new ArgumentException($"{Classes} classes need {Classes} names; {names.Count} were given.", nameof(names));
        }

        string Name(int c) => names?[c] ?? c.ToString(CultureInfo.InvariantCulture);
        int labelWidth = Math.Max("true \\ predicted".Length, Enumerable.Range(0, Classes).Max(c => Name(c).Length));
        int cell = Math.Max(counts.Max().ToString(CultureInfo.InvariantCulture).Length, Enumerable.Range(0, Classes).Max(c => Name(c).Length)) + 1;
        var text = new StringBuilder();
        text.Append("true \\ predicted".PadRight(labelWidth));
        for (int p = 0; p < Classes; p++)
        {
            text.Append(Name(p).PadLeft(cell));
        }

        text.AppendLine();
        for (int a = 0; a < Classes; a++)
        {
            text.Append(Name(a).PadRight(labelWidth));
            for (int p = 0; p < Classes; p++)
            {
                text.Append(this[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The matrix as a text table with class indices as names.</summary>
    public override string ToString() => ToString(null);
}
