using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Emit;
using SeDsl.Generator.Emit.PyTorch;
using SeDsl.Generator.Model;
using SeDsl.Generator.Parsing;

namespace SeDsl.Generator;

/// <summary>
/// Wiring only. Parse each class from its own declarations (Parsing) -> collect the blocks into a table -> Check each class
/// against the table (Analysis, then Diagnostics locates the findings) -> two outputs: source from the location-free
/// plans (Emit), and diagnostics.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps, asserted by the caching tests.</summary>
    public static class Steps
    {
        public const string Parse = nameof(Parse);
        public const string Check = nameof(Check);
        public const string Plan = nameof(Plan);
        public const string Diagnostics = nameof(Diagnostics);
        public const string BlockParse = nameof(BlockParse);
        public const string BlockTable = nameof(BlockTable);
        public const string ClassNames = nameof(ClassNames);
        public const string UseSites = nameof(UseSites);
        public const string Resolve = nameof(Resolve);
        public const string BlockResolve = nameof(BlockResolve);
        public const string BlockCheck = nameof(BlockCheck);
        public const string BlockPlan = nameof(BlockPlan);
        public const string BlockDiagnostics = nameof(BlockDiagnostics);
        public const string StrayLayers = nameof(StrayLayers);
        public const string Export = nameof(Export);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Roslyn runs these transforms again for every attributed class on every compilation change; the caches return
        // the earlier result wherever the class's own declarations cannot have changed (see ParseCache).
        var networkCache = new ParseCache<NetworkParse>();
        var blockCache = new ParseCache<BlockParse>();
        var networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(ClassChecks.NetworkAttribute, static (node, _) => node is TypeDeclarationSyntax,
                (ctx, ct) => Guard(() => networkCache.GetOrRead(ctx.TargetNode, ctx.TargetSymbol.DeclaringSyntaxReferences, ctx.SemanticModel.Compilation, () => WithOutline(ClassParser.Network(ctx, ct), ctx, ct)),
                    e => new NetworkParse(NameOf(ctx), null, MapOf(ctx), EquatableArray.Of(Internal(MapOf(ctx).Class, NameOf(ctx).Name, e)))))
            .WithTrackingName(Steps.Parse);
        var blocks = context.SyntaxProvider
            .ForAttributeWithMetadataName(ClassChecks.BlockAttribute, static (node, _) => node is TypeDeclarationSyntax,
                (ctx, ct) => Guard(() => blockCache.GetOrRead(ctx.TargetNode, ctx.TargetSymbol.DeclaringSyntaxReferences, ctx.SemanticModel.Compilation, () => WithOutline(ClassParser.Block(ctx, ct), ctx, ct)),
                    e => new BlockParse(NameOf(ctx), null, MapOf(ctx), EquatableArray.Of(Internal(MapOf(ctx).Class, NameOf(ctx).Name, e)))))
            .WithTrackingName(Steps.BlockParse);

        // Blocks and network families are referenced by name and resolved here, where the model is combined.
        var families = networks.Where(static n => n.IsFamily)
            .Select(static (n, _) => new BlockEntry(n.Type.MetadataName, n.Spec?.AsBlock(), n.Map.Layers) { IsFamily = true, Input = n.Spec?.Input ?? EquatableArray<int>.Empty, Base = n.Spec?.Family });
        var table = blocks.Select(static (b, _) => new BlockEntry(b.Type.MetadataName, b.Spec, b.Map.Layers)).Collect().Combine(families.Collect())
            .Select(static (entries, _) => new BlockTable(entries.Left.Concat(entries.Right).ToEquatableArray()))
            .WithTrackingName(Steps.BlockTable);
        var names = networks.Select(static (n, _) => n.Type).Collect().Combine(blocks.Select(static (b, _) => b.Type).Collect())
            .Select(static (pair, _) => Checking.Names(pair.Left, pair.Right))
            .WithTrackingName(Steps.ClassNames);
        var resolved = table.Combine(names);

        // Which options the stages and uses set for each block (not their values), for the blocks' constructors.
        var useSites = networks.Select(static (n, _) => n.Spec?.Layers).Collect().Combine(blocks.Select(static (b, _) => b.Spec?.Layers).Collect())
            .Select(static (pair, _) => Checking.UseSites(pair.Left.Concat(pair.Right)))
            .WithTrackingName(Steps.UseSites);

        // Each class sees only the blocks it uses, so a block edit re-checks just the classes that use that block.
        var networkChecks = networks.Combine(resolved)
            .Select(static (n, _) => Checking.Resolve(n.Left, n.Right.Left, n.Right.Right)).WithTrackingName(Steps.Resolve)
            .Select(static (n, ct) => Guard(() => Checking.Network(n, ct), e => new NetworkCheck(null, false, EquatableArray.Of(Internal(n.Parse.Map.Class, n.Parse.Type.Name, e)))))
            .WithTrackingName(Steps.Check);
        var blockChecks = blocks.Combine(resolved.Combine(useSites))
            .Select(static (b, _) => Checking.Resolve(b.Left, b.Right.Left.Left, b.Right.Left.Right, b.Right.Right)).WithTrackingName(Steps.BlockResolve)
            .Select(static (b, ct) => Guard(() => Checking.Block(b, ct), e => new BlockCheck(null, false, EquatableArray.Of(Internal(b.Parse.Map.Class, b.Parse.Type.Name, e)))))
            .WithTrackingName(Steps.BlockCheck);

        var plans = networkChecks.Select(static (c, _) => (c.Plan, c.Disambiguate, c.Completion, c.Family)).WithTrackingName(Steps.Plan);
        var blockPlans = blockChecks.Select(static (c, _) => (c.Plan, c.Disambiguate, c.Completion)).WithTrackingName(Steps.BlockPlan);

        // File-scoped namespaces are C# 10; older language versions get block-scoped ones. Nullable annotations are C# 8.
        var fileScoped = context.ParseOptionsProvider.Select(static (o, _) => o is not CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp10 });
        var nullable = context.ParseOptionsProvider.Select(static (o, _) => o is not CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp8 });
        var syntax = fileScoped.Combine(nullable);
        context.RegisterSourceOutput(plans.Combine(syntax), static (spc, p) =>
        {
            if (p.Left.Plan is { } plan)
            {
                Emit(spc, plan.Type, () =>
                {
                    spc.AddSource(HintNames.For(plan.Type, "Module", p.Left.Disambiguate), NetworkEmitter.EmitModule(plan, p.Right.Left));
                    spc.AddSource(HintNames.For(plan.Type, "Summary", p.Left.Disambiguate), SummaryEmitter.Emit(plan, p.Right.Left));
                });
            }
            else if (p.Left.Completion is { } completion)
            {
                Emit(spc, completion.Type, () => spc.AddSource(HintNames.For(completion.Type, "Module", p.Left.Disambiguate), CompletionEmitter.Emit(completion, p.Right.Left, p.Right.Right)));
            }
            else if (p.Left.Family is { } family)
            {
                Emit(spc, family.Type, () => spc.AddSource(HintNames.For(family.Type, "Family", p.Left.Disambiguate), FamilyEmitter.Emit(family, p.Right.Left, p.Right.Right)));
            }
        });
        context.RegisterSourceOutput(blockPlans.Combine(syntax), static (spc, p) =>
        {
            if (p.Left.Plan is { } plan)
            {
                Emit(spc, plan.Type, () => spc.AddSource(HintNames.For(plan.Type, "Block", p.Left.Disambiguate), BlockEmitter.Emit(plan, p.Right.Left)));
            }
            else if (p.Left.Completion is { } completion)
            {
                Emit(spc, completion.Type, () => spc.AddSource(HintNames.For(completion.Type, "Block", p.Left.Disambiguate), CompletionEmitter.Emit(completion, p.Right.Left, p.Right.Right)));
            }
        });

        // The PyTorch export: each network with the plans of the blocks it reaches, so an unrelated block edit leaves it cached.
        var exports = plans.Combine(blockPlans.Select(static (b, _) => b.Plan).Collect())
            .Select(static (p, _) => PyTorchExport.Select(p.Left.Plan, p.Left.Disambiguate, p.Right)).WithTrackingName(Steps.Export);
        context.RegisterSourceOutput(exports.Combine(fileScoped), static (spc, p) =>
        {
            if (p.Left is { } export)
            {
                Emit(spc, export.Network.Type, () => spc.AddSource(HintNames.For(export.Network.Type, "PyTorch", export.Disambiguate), PyTorchExport.EmitConstant(export, p.Right)));
            }
        });

        // Diagnostics are cached as plain values; only when reported are they mapped back onto the syntax trees, so that
        // #pragma warning disable and .editorconfig severities apply. Only classes with diagnostics meet the trees, so an
        // edit elsewhere leaves every other output cached.
        var trees = context.CompilationProvider.Select(static (c, _) => c.SyntaxTrees);

        // Help links point into the folder (or site) the build names; a string, so an unchanged value keeps outputs cached.
        var helpBase = context.AnalyzerConfigOptionsProvider.Select(static (o, _) =>
            o.GlobalOptions.TryGetValue(DiagnosticCatalogue.HelpBaseProperty, out string? value) ? value : null);
        var reportContext = trees.Combine(helpBase);
        var diagnostics = networkChecks.Select(static (c, _) => c.Diagnostics).WithTrackingName(Steps.Diagnostics);
        var blockDiagnostics = blockChecks.Select(static (c, _) => c.Diagnostics).WithTrackingName(Steps.BlockDiagnostics);
        context.RegisterSourceOutput(diagnostics.Where(static d => d.Count > 0).Combine(reportContext), static (spc, pair) => Report(spc, pair.Left, pair.Right.Left, pair.Right.Right));
        context.RegisterSourceOutput(blockDiagnostics.Where(static d => d.Count > 0).Combine(reportContext), static (spc, pair) => Report(spc, pair.Left, pair.Right.Left, pair.Right.Right));

        // Layer fields outside networks and blocks: a syntax filter, then a semantic check of the few fields that pass it.
        var strayLayers = context.SyntaxProvider.CreateSyntaxProvider(static (node, _) => StrayLayerReader.IsCandidate(node),
                static (ctx, ct) => Guard(() => StrayLayerReader.Read(ctx, ct), e => EquatableArray.Of(Internal(Locate.From(ctx.Node), "a layer field", e))))
            .WithTrackingName(Steps.StrayLayers);
        context.RegisterSourceOutput(strayLayers.Where(static d => d.Count > 0).Combine(reportContext), static (spc, pair) => Report(spc, pair.Left, pair.Right.Left, pair.Right.Right));
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics, IEnumerable<SyntaxTree> trees, string? helpBaseUri)
    {
        foreach (var d in diagnostics)
        {
            Location At(LocationInfo info) => DiagnosticLocator.ToLocation(info, trees.FirstOrDefault(t => t.FilePath == info.FilePath));
            var location = d.Location is { } info ? At(info) : null;
            context.ReportDiagnostic(DiagnosticCatalogue.Create(d, location, helpBaseUri, d.AdditionalLocations.Select(At)));
        }
    }

    /// <summary>
    /// The one guard: a generator that throws loses all of its output (CS8785), so a failure of any step becomes
    /// SEDSL901 through <paramref name="failed"/> instead, never an exception.
    /// </summary>
    private static T Guard<T>(Func<T> step, Func<Exception, T> failed)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return failed(e);
        }
    }

    /// <summary>The parse with the class's outline, for completing the class if the parse or the analysis finds errors.</summary>
    private static NetworkParse WithOutline(NetworkParse parse, GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is INamedTypeSymbol type ? parse with { Outline = OutlineReader.Read(type, cancellationToken) } : parse;

    private static BlockParse WithOutline(BlockParse parse, GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is INamedTypeSymbol type ? parse with { Outline = OutlineReader.Read(type, cancellationToken) } : parse;

    private static SourceMap MapOf(GeneratorAttributeSyntaxContext context) =>
        SourceMap.Of(Locate.From((context.TargetNode as TypeDeclarationSyntax)?.Identifier ?? default));

    private static TypeName NameOf(GeneratorAttributeSyntaxContext context) =>
        new("", (context.TargetNode as TypeDeclarationSyntax)?.Identifier.ValueText ?? "?");

    // Emission runs on location-free models, so a failure there is reported without a location.
    private static void Emit(SourceProductionContext context, TypeName type, Action emit) =>
        Guard<object?>(
            () =>
            {
                emit();
                return null;
            },
            e =>
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticCatalogue.Get(DiagnosticIds.InternalError), Location.None, type.Name, e.GetType().Name + ": " + e.Message));
                return null;
            });

    private static DiagnosticInfo Internal(LocationInfo? location, string name, Exception e) =>
        new(DiagnosticIds.InternalError, location, EquatableArray.Of(name, e.GetType().Name + ": " + e.Message));
}
