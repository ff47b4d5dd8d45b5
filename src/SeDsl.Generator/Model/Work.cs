using System.Threading;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// The work one class's analysis may do: its layers are counted as the composition expands stages and blocks, and
/// the analysis stops at <see cref="MaxLayers"/> instead of building everything first; every count also looks at the
/// run's cancellation. The limits lie far above any real network (docs/dsl.md, "Limits").
/// </summary>
internal sealed class Work(string className, CancellationToken cancellationToken)
{
    /// <summary>Blocks one stage may repeat, decided before the stage is expanded.</summary>
    public const int MaxStageBlocks = 10_000;

    /// <summary>Layers one network or block may expand to, counting every layer inside every block instance.</summary>
    public const int MaxLayers = 100_000;

    private int layers;

    /// <summary>Throws <see cref="System.OperationCanceledException"/> when the run was cancelled.</summary>
    public void Check() => cancellationToken.ThrowIfCancellationRequested();

    /// <summary>
    /// Counts one layer; false once the count passes <see cref="MaxLayers"/>. The layer that passes it reports SEDSL302
    /// into <paramref name="sink"/>, once; later ones only fail, so the composition unwinds.
    /// </summary>
    public bool Take(FindingSink sink)
    {
        Check();
        if (layers > MaxLayers)
        {
            return false;
        }

        if (++layers <= MaxLayers)
        {
            return true;
        }

        sink.Add(DiagnosticIds.NetworkTooLarge, null, className, FindingSink.Text(layers), Limit(MaxLayers));
        return false;
    }

    /// <summary>A limit as the messages write it, e.g. 100,000.</summary>
    public static string Limit(int value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
