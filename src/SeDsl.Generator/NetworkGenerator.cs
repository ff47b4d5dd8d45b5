using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Emit;
using SeDsl.Generator.Model;
using SeDsl.Generator.Parsing;

namespace SeDsl.Generator;

/// <summary>
/// Wiring only. Parse (symbols -> <see cref="NetworkSpec"/> + <see cref="SourceMap"/>) -> Check (pure analysis,
/// located diagnostics) -> two outputs: source from the location-free <see cref="NetworkPlan"/>, and diagnostics.
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
        public const string BlockSpec = nameof(BlockSpec);
        public const string BlockDiagnostics = nameof(BlockDiagnostics);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Roslyn runs these transforms again for every attributed class on every compilation change; the caches return
        // the earlier result wherever nothing the parse read has changed (see ParseCache).
        var networkCache = new ParseCache<ParseResult>();
        var blockCache = new ParseCache<BlockResult>();
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                LayerCatalogue.NetworkAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                (ctx, ct) => Guard(ctx.TargetNode, () => networkCache.GetOrRead(ctx.TargetNode, ctx.SemanticModel.Compilation, reads => NetworkParser.Parse(ctx, reads, blockCache, ct))))
            .WithTrackingName(Steps.Parse);

        var checkedNetworks = parsed
            .Select(static (p, _) => Guard(p, () => NetworkChecker.Check(p)))
            .WithTrackingName(Steps.Check);

        var plans = checkedNetworks
            .Select(static (c, _) => c.Plan)
            .WithTrackingName(Steps.Plan);

        var diagnostics = checkedNetworks
            .Select(static (c, _) => c.Diagnostics)
            .WithTrackingName(Steps.Diagnostics);

        var blocks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ClassReader.BlockAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                (ctx, ct) => GuardBlock(ctx.TargetNode, () => blockCache.GetOrRead(ctx.TargetNode, ctx.SemanticModel.Compilation, reads => BlockParser.Parse(ctx, reads, blockCache, ct))))
            .WithTrackingName(Steps.BlockParse);
        var blockSpecs = blocks.Select(static (b, _) => b.Spec).WithTrackingName(Steps.BlockSpec);
        var blockDiagnostics = blocks.Select(static (b, _) => b.Diagnostics).WithTrackingName(Steps.BlockDiagnostics);

        context.RegisterSourceOutput(blockSpecs, static (spc, block) =>
        {
            if (block is not null)
            {
                Emit(spc, block.ClassName, () => spc.AddSource(BlockEmitter.HintName(block), BlockEmitter.Emit(block)));
            }
        });
        // Diagnostics are cached as plain values; only when reported are they mapped back onto the syntax trees, so that
        // #pragma warning disable and .editorconfig severities apply to them as to the compiler's own warnings.
        var trees = context.CompilationProvider.Select(static (c, _) => c.SyntaxTrees);
        // Help links point into the folder (or site) the build names; a string, so an unchanged value keeps outputs cached.
        var helpBase = context.AnalyzerConfigOptionsProvider.Select(static (o, _) =>
            o.GlobalOptions.TryGetValue(DiagnosticCatalogue.HelpBaseProperty, out string? value) ? value : null);
        var reportContext = trees.Combine(helpBase);
        // Only classes that have diagnostics meet the trees, so an edit elsewhere leaves every other output cached.
        context.RegisterSourceOutput(blockDiagnostics.Where(static d => d.Count > 0).Combine(reportContext), static (spc, pair) => Report(spc, pair.Left, pair.Right.Left, pair.Right.Right));

        context.RegisterSourceOutput(plans, static (spc, plan) =>
        {
            if (plan is null)
            {
                return;
            }

            Emit(spc, plan.ClassName, () =>
            {
                spc.AddSource(NetworkEmitter.HintName(plan, "Module"), NetworkEmitter.EmitModule(plan));
                spc.AddSource(NetworkEmitter.HintName(plan, "Summary"), NetworkEmitter.EmitSummary(plan));
            });
        });

        context.RegisterSourceOutput(diagnostics.Where(static d => d.Count > 0).Combine(reportContext), static (spc, pair) => Report(spc, pair.Left, pair.Right.Left, pair.Right.Right));
    }

    // Emission runs on location-free models, so a failure there is reported without a location, still never thrown.
    private static void Emit(SourceProductionContext context, string name, Action emit)
    {
        try
        {
            emit();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticCatalogue.Get(DiagnosticIds.InternalError), Location.None, name, e.GetType().Name + ": " + e.Message));
        }
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics, IEnumerable<SyntaxTree> trees, string? helpBaseUri)
    {
        if (diagnostics.Count == 0)
        {
            return;
        }

        foreach (var d in diagnostics)
        {
            var location = d.Location is { } info ? info.ToLocation(trees.FirstOrDefault(t => t.FilePath == info.FilePath)) : null;
            context.ReportDiagnostic(DiagnosticCatalogue.Create(d, location, helpBaseUri));
        }
    }

    // A generator that throws loses all of its output (CS8785); an internal failure becomes SEDSL901 on the class instead.
    private static ParseResult Guard(SyntaxNode node, Func<ParseResult> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            string name = (node as TypeDeclarationSyntax)?.Identifier.ValueText ?? "?";
            var location = LocationInfo.From((node as TypeDeclarationSyntax)?.Identifier.GetLocation());
            var map = new SourceMap(location, null, null, EquatableArray<LayerSource>.Empty);
            return new ParseResult(null, map, new[] { Internal(location, name, e) }.ToEquatableArray());
        }
    }

    private static BlockResult GuardBlock(SyntaxNode node, Func<BlockResult> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var type = node as TypeDeclarationSyntax;
            var location = LocationInfo.From(type?.Identifier.GetLocation());
            return new BlockResult(null, new[] { Internal(location, type?.Identifier.ValueText ?? "?", e) }.ToEquatableArray());
        }
    }

    private static CheckResult Guard(ParseResult parsed, Func<CheckResult> check)
    {
        try
        {
            return check();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new CheckResult(null, new[] { Internal(parsed.Map.Class, parsed.Spec?.ClassName ?? "?", e) }.ToEquatableArray());
        }
    }

    private static DiagnosticInfo Internal(LocationInfo? location, string name, Exception e) =>
        new(DiagnosticIds.InternalError, location, new[] { name, e.GetType().Name + ": " + e.Message }.ToEquatableArray());
}
