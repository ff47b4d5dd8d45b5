using Microsoft.CodeAnalysis;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>Turns Roslyn locations into the model's plain <see cref="LocationInfo"/>.</summary>
internal static class Locate
{
    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        var span = location.SourceSpan;
        var lines = location.GetLineSpan().Span;
        return new LocationInfo(location.SourceTree.FilePath, span.Start, span.Length,
            lines.Start.Line, lines.Start.Character, lines.End.Line, lines.End.Character);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());
}
