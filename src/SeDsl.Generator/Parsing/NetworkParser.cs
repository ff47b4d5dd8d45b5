using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>Reads a <c>[Network]</c> class into a <see cref="NetworkSpec"/> and its <see cref="SourceMap"/>.</summary>
internal static class NetworkParser
{
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, ISet<SyntaxNode> reads, ParseCache<BlockResult> blocks, CancellationToken cancellationToken)
    {
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var network = context.Attributes[0];
        var networkSyntax = network.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var reader = new ClassReader(context.SemanticModel.Compilation, reads, blocks, cancellationToken);
        if (!reader.CheckClass(type, syntax, LayerCatalogue.NetworkAttribute))
        {
            return new ParseResult(null, new SourceMap(reader.ClassLocation, null, null, EquatableArray<LayerSource>.Empty), EquatableArray<DiagnosticInfo>.Empty);
        }

        var body = reader.ReadLayers(type, inBlock: false, ImmutableVisited.Empty);
        var map = new SourceMap(reader.ClassLocation, LocationInfo.From(networkSyntax), InputLocation(networkSyntax), body.Sources);
        if (reader.Diagnostics.Count > 0 || body.Incomplete)
        {
            return new ParseResult(null, map, reader.Diagnostics.ToEquatableArray());
        }

        var spec = new NetworkSpec(ClassReader.NamespaceOf(type), syntax.Identifier.Text, InputValues(network), body.Layers);
        return new ParseResult(spec, map, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static EquatableArray<int> InputValues(AttributeData network)
    {
        if (network.ConstructorArguments.Length == 0 || network.ConstructorArguments[0] is not { Kind: TypedConstantKind.Array, IsNull: false } values)
        {
            return EquatableArray<int>.Empty;
        }

        return values.Values.Select(v => v.Value is int i ? i : 0).ToEquatableArray();
    }

    /// <summary>The span of all positional input values, e.g. <c>3, 224, 224</c>.</summary>
    private static LocationInfo? InputLocation(AttributeSyntax? syntax)
    {
        var arguments = syntax?.ArgumentList?.Arguments;
        if (arguments is not { Count: > 0 } list)
        {
            return null;
        }

        var span = TextSpan.FromBounds(list[0].SpanStart, list[list.Count - 1].Span.End);
        return LocationInfo.From(Location.Create(syntax!.SyntaxTree, span));
    }
}
