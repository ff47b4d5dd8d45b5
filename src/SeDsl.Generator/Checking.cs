using System;
using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Analysis;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator;

/// <summary>
/// The check steps: a parsed class combined with the block table and the class names, analysed, and its findings
/// located. Glue between Analysis and Diagnostics; the pipeline's wiring is in <see cref="NetworkGenerator"/>.
/// </summary>
internal static class Checking
{
    public static NetworkCheck Network(NetworkParse parse, BlockTable blocks, ClassNames names)
    {
        var (namesake, disambiguate) = Namesakes(parse.Type, names);
        if (namesake is not null)
        {
            return new NetworkCheck(null, false, parse.Diagnostics.Concat(new[] { NamesakeDiagnostic(parse.Type, namesake, parse.Map) }).ToEquatableArray());
        }

        if (parse.Spec is null)
        {
            return new NetworkCheck(null, disambiguate, parse.Diagnostics);
        }

        var analysis = NetworkAnalyzer.Analyze(parse.Spec, blocks);
        return new NetworkCheck(analysis.Plan, disambiguate, DiagnosticLocator.Locate(analysis.Findings, parse.Map));
    }

    public static BlockCheck Block(BlockParse parse, BlockTable blocks, ClassNames names)
    {
        var (namesake, disambiguate) = Namesakes(parse.Type, names);
        if (namesake is not null)
        {
            return new BlockCheck(null, false, parse.Diagnostics.Concat(new[] { NamesakeDiagnostic(parse.Type, namesake, parse.Map) }).ToEquatableArray());
        }

        if (parse.Spec is null)
        {
            return new BlockCheck(null, disambiguate, parse.Diagnostics);
        }

        var analysis = BlockAnalyzer.Analyze(parse.Spec, blocks);
        return new BlockCheck(analysis.Plan, disambiguate, DiagnosticLocator.Locate(analysis.Findings, parse.Map));
    }

    /// <summary>
    /// A class of the same namespace whose name differs only in case (SEDSL010: their files would clash on
    /// case-insensitive file systems), and whether any class's full name differs from this one's only in case.
    /// </summary>
    private static (TypeName? Namesake, bool Disambiguate) Namesakes(TypeName type, ClassNames names)
    {
        TypeName? namesake = null;
        bool disambiguate = false;
        foreach (var other in names.Names)
        {
            if (other.MetadataName == type.MetadataName || !string.Equals(other.MetadataName, type.MetadataName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            disambiguate = true;
            if (other.Namespace == type.Namespace)
            {
                namesake ??= other;
            }
        }

        return (namesake, disambiguate);
    }

    private static DiagnosticInfo NamesakeDiagnostic(TypeName type, TypeName namesake, SourceMap map) =>
        new(DiagnosticIds.NamesDifferOnlyInCase, map.Class, EquatableArray.Of(type.Name, namesake.Name));

    /// <summary>Every class's name once (a partial class is one class), in a stable order.</summary>
    public static ClassNames Names(IEnumerable<TypeName> networks, IEnumerable<TypeName> blocks) =>
        new(networks.Concat(blocks).Distinct().OrderBy(n => n.MetadataName, StringComparer.Ordinal).ToEquatableArray());
}
