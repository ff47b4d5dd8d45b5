namespace SeDsl.Generator.Model;

/// <summary>
/// A problem the analysis found, not yet located: which layer (-1 for the network itself), which attribute
/// argument (null for the whole attribute), and the message arguments. The diagnostics step maps it to source.
/// </summary>
internal sealed record Finding(string Id, int Layer, string? Argument, EquatableArray<string> MessageArgs);

/// <summary>The analysis outcome: a plan when there is no error, and every finding (errors and warnings).</summary>
internal sealed record AnalysisResult(NetworkPlan? Plan, EquatableArray<Finding> Findings);
