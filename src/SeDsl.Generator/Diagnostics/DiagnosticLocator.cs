using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Diagnostics;

/// <summary>
/// Turns unlocated analysis findings into located diagnostics, using the declaration's <see cref="SourceMap"/>, and
/// plain locations back into Roslyn's when they are reported.
/// </summary>
internal static class DiagnosticLocator
{
    public static DiagnosticInfo Locate(Finding finding, SourceMap map)
    {
        LocationInfo? location = finding.Layer >= 0 && finding.Layer < map.Layers.Count
            ? map.Layers[finding.Layer].Find(finding.Argument)
            : finding.Argument is not null ? map.InputArgument ?? map.ClassAttribute : map.ClassAttribute;
        return new DiagnosticInfo(finding.Id, location ?? map.Class, finding.MessageArgs);
    }

    public static EquatableArray<DiagnosticInfo> Locate(IEnumerable<Finding> findings, SourceMap map) =>
        findings.Select(f => Locate(f, map)).ToEquatableArray();

    /// <summary>
    /// The location in <paramref name="tree"/> when the file is still part of the compilation (so that #pragma and
    /// .editorconfig severities apply), else a location by path.
    /// </summary>
    public static Location ToLocation(LocationInfo info, SyntaxTree? tree)
    {
        var span = new TextSpan(info.Start, info.Length);
        return tree is not null && info.End <= tree.Length
            ? Location.Create(tree, span)
            : Location.Create(info.FilePath, span, new LinePositionSpan(new LinePosition(info.StartLine, info.StartColumn), new LinePosition(info.EndLine, info.EndColumn)));
    }
}
