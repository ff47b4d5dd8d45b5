using SeDsl.Generator.Analysis;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Diagnostics;

/// <summary>Runs the analysis on a parsed declaration and locates its findings.</summary>
internal static class NetworkChecker
{
    public static CheckResult Check(ParseResult parsed)
    {
        if (parsed.Spec is null)
        {
            return new CheckResult(null, parsed.Diagnostics);
        }

        var analysis = NetworkAnalyzer.Analyze(parsed.Spec);
        return new CheckResult(analysis.Plan, DiagnosticLocator.Locate(analysis, parsed.Map));
    }
}
