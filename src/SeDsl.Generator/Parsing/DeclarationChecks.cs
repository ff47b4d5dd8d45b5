using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// What a network or block class declares that leaves the generated part no valid code to write, or that it ignores:
/// an old C# version (SEDSL022), layer or parameter fields spread over several parts (SEDSL019), members the generated
/// part declares too (SEDSL021). Reads the class's own declarations only.
/// </summary>
internal static class DeclarationChecks
{
    private const string Tensor = "TorchSharp.torch.Tensor";

    /// <summary>A member the generated part declares: a method (constructor: <c>.ctor</c>) by its parameter types, anything else by name alone.</summary>
    private sealed record Generated(string Name, string[]? Parameters = null);

    private static readonly Generated[] NetworkMembers =
    [
        new(".ctor", []), new("forward", [Tensor]), new("Fuse", ["bool"]), new("ForwardFused", [Tensor]), new("MeasureSummary", []),
        new("fused"), new("channelsLast"), new("ParameterCount"), new("MultiplyAdds"), new("Flops"), new("Summary"), new("Diagram"), new("PyTorchSource"),
    ];

    private static readonly Generated[] BlockMembers =
    [
        new("forward", [Tensor]), new("Fuse", []), new("ForwardFused", [Tensor]), new("fused"), new("downsample"), new("fusedShortcut"),
    ];

    public static void Check(INamedTypeSymbol type, TypeDeclarationSyntax syntax, bool network, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = Locate.From(syntax.Identifier);
        if (syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 } options)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.LanguageVersionTooOld, location, EquatableArray.Of(type.Name, options.LanguageVersion.ToDisplayString())));
        }

        var parts = new List<TypeDeclarationSyntax>();
        var parameters = new List<IFieldSymbol>();
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool isParameter = TypeNames.HasAttribute(field, ClassParser.ParamAttribute);
            if (isParameter)
            {
                parameters.Add(field);
            }

            if ((isParameter || field.GetAttributes().Any(LayerReader.IsLayerAttribute))
                && field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } part
                && !parts.Contains(part))
            {
                parts.Add(part);
            }
        }

        if (parts.Count > 1)
        {
            // The files are named in a stable order, so that the message does not depend on the order of the files either.
            string files = string.Join(", ", parts.Select(p => Path.GetFileName(p.SyntaxTree.FilePath)).Distinct().OrderBy(f => f, StringComparer.Ordinal));
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.LayersInSeveralParts, location,
                EquatableArray.Of(type.Name, parts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), files)));
        }

        GeneratedNames(type, network, family: network && parameters.Count > 0, parameters.Count, diagnostics);
    }

    /// <summary>SEDSL021 on each user member that the generated part declares too; overloads with other parameter types stay valid.</summary>
    /// <param name="family">Whether the class is a network family, whose generated part declares only a parameterless constructor.</param>
    private static void GeneratedNames(INamedTypeSymbol type, bool network, bool family, int parameterCount, List<DiagnosticInfo> diagnostics)
    {
        Generated[] generated = family ? [new(".ctor", [])]
            : network ? NetworkMembers
            : [new(".ctor", ["long", "long", .. Enumerable.Repeat("int", parameterCount)]), .. BlockMembers];
        foreach (var member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared
                || (member is IFieldSymbol field && (((!network || family) && TypeNames.HasAttribute(field, ClassParser.ParamAttribute)) || field.GetAttributes().Any(LayerReader.IsLayerAttribute)))
                || (member is IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.Constructor) }))
            {
                // Layer fields and the parameters of a block or family are checked where they are read (SEDSL007, SEDSL015).
                // Accessors belong to their property.
                continue;
            }

            string[]? signature = member is IMethodSymbol method
                ? [.. method.Parameters.Select(p => p.Type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString())]
                : null;
            bool clashes = generated.Any(g => g.Name == member.Name
                && (g.Parameters is null || signature is null || g.Parameters.SequenceEqual(signature, StringComparer.Ordinal)));
            if (clashes)
            {
                string kind = member switch
                {
                    IMethodSymbol { MethodKind: MethodKind.Constructor } => "constructor",
                    IMethodSymbol => "method",
                    IFieldSymbol { IsConst: true } => "constant",
                    IFieldSymbol => "field",
                    IPropertySymbol => "property",
                    IEventSymbol => "event",
                    _ => "type",
                };
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MemberNamedLikeGenerated, Locate.From(member.Locations.FirstOrDefault(l => l.IsInSource)),
                    EquatableArray.Of(type.Name, kind, member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? type.Name : member.Name, family ? "network family" : network ? "network" : "block")));
            }
        }
    }
}
