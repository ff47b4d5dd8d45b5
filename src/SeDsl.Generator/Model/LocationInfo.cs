using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SeDsl.Generator.Model;

/// <summary>A source location as plain values, so that diagnostics can travel through the pipeline cached.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    /// <summary>
    /// The location in <paramref name="tree"/> when the file is still part of the compilation (so that #pragma and
    /// .editorconfig severities apply), else a location by path.
    /// </summary>
    public Location ToLocation(SyntaxTree? tree = null) =>
        tree is not null && Span.End <= tree.Length ? Location.Create(tree, Span) : Location.Create(FilePath, Span, LineSpan);
}

/// <summary>A diagnostic as plain values: catalogue id, location, message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs);
