using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Diagnostics;

/// <summary>Turns unlocated analysis findings into located diagnostics, using the declaration's <see cref="SourceMap"/>.</summary>
internal static class DiagnosticLocator
{
    public static DiagnosticInfo Locate(Finding finding, SourceMap map)
    {
        LocationInfo? location = finding.Layer >= 0 && finding.Layer < map.Layers.Count
            ? map.Layers[finding.Layer].Find(finding.Argument)
            : finding.Argument is not null ? map.InputArgument ?? map.NetworkAttribute : map.NetworkAttribute;
        return new DiagnosticInfo(finding.Id, location ?? map.Class, finding.MessageArgs);
    }

    public static EquatableArray<DiagnosticInfo> Locate(AnalysisResult result, SourceMap map) =>
        result.Findings.Select(f => Locate(f, map)).ToEquatableArray();
}
