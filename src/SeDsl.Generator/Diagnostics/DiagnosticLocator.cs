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
            : finding.Argument is not null ? map.Attribute?.Find(finding.Argument) ?? map.InputArgument ?? map.ClassAttribute : map.ClassAttribute;
        return new DiagnosticInfo(finding.Id, location ?? map.Class, finding.MessageArgs);
    }

    public static EquatableArray<DiagnosticInfo> Locate(IEnumerable<Finding> findings, SourceMap map) =>
        findings.Select(f => Locate(f, map)).ToEquatableArray();

    /// <summary>
    /// Locates findings as <see cref="Locate(Finding, SourceMap)"/> does, except that a finding made inside an instance of a
    /// block is located where the block declares the layer (on the argument it names), with the stage or use of this
    /// declaration as an additional location: the message names the instance (<c>layer1.0.se</c>). A warning keeps the
    /// stage or use as its location, with the block's layer as the additional one.
    /// </summary>
    public static EquatableArray<DiagnosticInfo> Locate(IEnumerable<Finding> findings, SourceMap map, BlockTable blocks) =>
        findings.Select(f => Locate(f, map, blocks)).ToEquatableArray();

    private static DiagnosticInfo Locate(Finding finding, SourceMap map, BlockTable blocks)
    {
        var here = Locate(finding, map);
        // The layer limit is the network's, reached in whichever layer passes it: it stays on the stage or use.
        if (finding.Site is not { } site || here.Location is not { } use || finding.Id == DiagnosticIds.NetworkTooLarge)
        {
            return here;
        }

        var entry = blocks.Entries.FirstOrDefault(e => e.MetadataName == site.Block);
        if (entry is null || site.Layer >= entry.Layers.Count || entry.Layers[site.Layer].Find(site.Argument) is not { } inBlock)
        {
            return here;
        }

        // A warning stays on the stage or use, with the block's layer beside it: it holds for this instance only (another use
        // of the block may be fine), and a #pragma around the use, which suppresses it for that use alone, keeps working.
        return DiagnosticIds.IsWarning(finding.Id)
            ? here with { AdditionalLocations = EquatableArray.Of(inBlock) }
            : here with { Location = inBlock, AdditionalLocations = EquatableArray.Of(use) };
    }

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
