using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
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
    /// <summary>What a network's check reads: its parse, the blocks it uses (transitively) and its namesakes.</summary>
    public static NetworkInput Resolve(NetworkParse parse, BlockTable blocks, ClassNames names)
    {
        var (namesake, disambiguate) = Namesakes(parse.Type, names);
        return new NetworkInput(parse, Relevant(parse.Spec?.Layers, blocks, parse.Spec?.Family?.Family), namesake, disambiguate);
    }

    /// <summary>What a block's check reads: its parse, the blocks it uses (transitively), its namesakes, and the options its uses set.</summary>
    public static BlockInput Resolve(BlockParse parse, BlockTable blocks, ClassNames names, UseSiteTable useSites)
    {
        var (namesake, disambiguate) = Namesakes(parse.Type, names);
        return new BlockInput(parse, Relevant(parse.Spec?.Layers, blocks), namesake, disambiguate) { Options = useSites.For(parse.Type.MetadataName) };
    }

    /// <summary>
    /// Which options the stages and uses of every class set, per block (not their values): a block's module takes those
    /// as constructor parameters, so that editing a value re-checks only the class that wrote it.
    /// </summary>
    public static UseSiteTable UseSites(IEnumerable<EquatableArray<LayerSpec>?> classes)
    {
        var found = new SortedDictionary<string, UseSiteOption>(StringComparer.Ordinal);
        foreach (var layer in classes.SelectMany(c => c ?? EquatableArray<LayerSpec>.Empty))
        {
            var (block, options) = layer switch
            {
                StageSpec stage => (stage.Block, stage.Options),
                UseSpec use => (use.Block, use.Options),
                _ => (null, BlockOptions.None),
            };
            if (block is not null && options.Set != UseSiteOption.None)
            {
                found[block.Type.MetadataName] = (found.TryGetValue(block.Type.MetadataName, out var set) ? set : UseSiteOption.None) | options.Set;
            }
        }

        return new UseSiteTable(found.Select(p => new UseSiteEntry(p.Key, p.Value)).ToEquatableArray());
    }

    public static NetworkCheck Network(NetworkInput input, CancellationToken cancellationToken)
    {
        var check = Analyze(input, cancellationToken);
        if (input.Parse.IsFamily)
        {
            // A family is checked through each of its networks (its values are theirs); its own part only makes it compile.
            return check with { Family = input.Parse.Outline is { } outline ? new FamilyPlan(input.Parse.Type, outline) : null };
        }

        return check.Plan is null ? check with { Completion = Completion(input.Parse.Type, true, check.Diagnostics, input.Parse.Outline) } : check;
    }

    private static NetworkCheck Analyze(NetworkInput input, CancellationToken cancellationToken)
    {
        var parse = input.Parse;
        if (input.Namesake is { } namesake)
        {
            return new NetworkCheck(null, input.Disambiguate, parse.Diagnostics.Concat(new[] { NamesakeDiagnostic(parse.Type, namesake, parse.Map) }).ToEquatableArray());
        }

        if (parse.Spec is null)
        {
            return new NetworkCheck(null, input.Disambiguate, parse.Diagnostics);
        }

        if (parse.IsFamily)
        {
            return new NetworkCheck(null, input.Disambiguate, parse.Diagnostics);
        }

        // A parse that gives a spec has at most warnings, reported with the analysis's findings.
        var analysis = NetworkAnalyzer.Analyze(parse.Spec, input.Blocks, cancellationToken);
        return new NetworkCheck(analysis.Plan, input.Disambiguate, parse.Diagnostics.Concat(DiagnosticLocator.Locate(analysis.Findings, parse.Map, input.Blocks)).ToEquatableArray());
    }

    public static BlockCheck Block(BlockInput input, CancellationToken cancellationToken)
    {
        var check = Analyze(input, cancellationToken);
        return check.Plan is null ? check with { Completion = Completion(input.Parse.Type, false, check.Diagnostics, input.Parse.Outline) } : check;
    }

    private static BlockCheck Analyze(BlockInput input, CancellationToken cancellationToken)
    {
        var parse = input.Parse;
        if (input.Namesake is { } namesake)
        {
            return new BlockCheck(null, input.Disambiguate, parse.Diagnostics.Concat(new[] { NamesakeDiagnostic(parse.Type, namesake, parse.Map) }).ToEquatableArray());
        }

        if (parse.Spec is null)
        {
            return new BlockCheck(null, input.Disambiguate, parse.Diagnostics);
        }

        var analysis = BlockAnalyzer.Analyze(parse.Spec, input.Blocks, cancellationToken, input.Options);
        return new BlockCheck(analysis.Plan, input.Disambiguate, parse.Diagnostics.Concat(DiagnosticLocator.Locate(analysis.Findings, parse.Map, input.Blocks)).ToEquatableArray());
    }

    /// <summary>Ids after which the class cannot be completed: a part that says <c>partial class X : Module</c> would not compile.</summary>
    private static readonly string[] Incompletable = [DiagnosticIds.ClassNotPartial, DiagnosticIds.UnsupportedClassShape, DiagnosticIds.BaseClassNotAllowed];

    /// <summary>
    /// The class completed on errors (see <c>CompletionEmitter</c>), named after its first error; null when it has no
    /// error (its pipeline leaves it to another, or to the compiler) or cannot be completed.
    /// </summary>
    private static CompletionPlan? Completion(TypeName type, bool network, EquatableArray<DiagnosticInfo> diagnostics, ClassOutline? outline)
    {
        var errors = diagnostics.Where(d => !DiagnosticIds.IsWarning(d.Id)).ToList();
        // A constructor of the user's with the generated one's parameters (SEDSL021) would not call TorchSharp's base constructor.
        if (errors.Count == 0 || outline is null || errors.Any(e => Incompletable.Contains(e.Id)) || outline.Declares(outline.Constructor(network)))
        {
            return null;
        }

        var first = errors[0];
        string message = string.Format(CultureInfo.InvariantCulture, DiagnosticCatalogue.Get(first.Id).MessageFormat.ToString(CultureInfo.InvariantCulture), first.MessageArgs.ToArray<object>());
        return new CompletionPlan(type, network, first.Id + ": " + message, errors.Count, outline);
    }

    /// <summary>
    /// The rows of the table that <paramref name="layers"/> reach through stages and used blocks, in name order: an edit
    /// of a block changes only the inputs of the classes that use it, so every other check stays cached.
    /// </summary>
    /// <param name="family">The family of a network of one, whose row (and the blocks its layers reach) it reads too.</param>
    public static BlockTable Relevant(EquatableArray<LayerSpec>? layers, BlockTable table, BlockRef? family = null)
    {
        var found = new SortedDictionary<string, BlockEntry>(StringComparer.Ordinal);
        var pending = new Stack<BlockRef?>((layers ?? EquatableArray<LayerSpec>.Empty).Select(ReferenceOf));
        pending.Push(family);
        while (pending.Count > 0)
        {
            var reference = pending.Pop();
            if (reference is null || found.ContainsKey(reference.Type.MetadataName) || table.Find(reference) is not { } entry)
            {
                continue;
            }

            found.Add(entry.MetadataName, entry);
            pending.Push(entry.Base?.Family);
            foreach (var layer in entry.Spec?.Layers ?? EquatableArray<LayerSpec>.Empty)
            {
                pending.Push(ReferenceOf(layer));
            }
        }

        return new BlockTable(found.Values.ToEquatableArray());
    }

    private static BlockRef? ReferenceOf(LayerSpec layer) => layer switch
    {
        StageSpec stage => stage.Block,
        UseSpec use => use.Block,
        _ => null,
    };

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
