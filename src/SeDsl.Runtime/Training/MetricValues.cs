using System.Collections.Generic;

namespace SeDsl.Training;

/// <summary>Looks up a metric by name with an error that says which metrics there are.</summary>
internal static class MetricValues
{
    public static double Get(IReadOnlyDictionary<string, double> metrics, string name) =>
        metrics.TryGetValue(name, out double value)
            ? value
            : throw new KeyNotFoundException($"No metric '{name}' was computed; there are: {(metrics.Count == 0 ? "none" : string.Join(", ", metrics.Keys))}. Add it to TrainingOptions.Metrics.");
}
