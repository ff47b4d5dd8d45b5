using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>Reads a <c>[Block]</c> class for its own generated module and diagnostics.</summary>
internal static class BlockParser
{
    public static BlockResult Parse(GeneratorAttributeSyntaxContext context, ISet<SyntaxNode> reads, ParseCache<BlockResult> blocks, CancellationToken cancellationToken)
    {
        var reader = new ClassReader(context.SemanticModel.Compilation, reads, blocks, cancellationToken);
        var spec = reader.ReadBlock((INamedTypeSymbol)context.TargetSymbol, ImmutableVisited.Empty);
        return new BlockResult(spec, reader.Diagnostics.ToEquatableArray());
    }
}
