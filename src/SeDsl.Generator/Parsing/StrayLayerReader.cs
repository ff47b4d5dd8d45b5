using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Layer fields in a class that is neither a <c>[Network]</c> nor a <c>[Block]</c> (SEDSL024, usually a forgotten
/// <c>[Network]</c>). This runs on every edit, so the syntax filter does the work: only a field whose attribute is
/// written with a layer attribute's name, in a class part that carries no attribute named <c>Network</c> or <c>Block</c>,
/// reaches the semantic check. (A layer attribute written through an alias is not seen; the warning is a hint.)
/// </summary>
internal static class StrayLayerReader
{
    private static readonly HashSet<string> LayerNames = new(
        LayerKinds.All.Select(k => k.Written).Concat(new[] { "Stage", "Use" }), StringComparer.Ordinal);

    private static readonly HashSet<string> ClassNames = new(StringComparer.Ordinal) { "Network", "Block" };

    /// <summary>The syntax filter: a field with an attribute named like a layer attribute, in a part not named a network or block.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is FieldDeclarationSyntax { AttributeLists.Count: > 0, Parent: TypeDeclarationSyntax type } field
        && Named(field.AttributeLists, LayerNames)
        && !Named(type.AttributeLists, ClassNames);

    /// <summary>One SEDSL024 per layer field of the declaration when its class is neither a network nor a block.</summary>
    public static EquatableArray<DiagnosticInfo> Read(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (FieldDeclarationSyntax)context.Node;
        var found = new List<DiagnosticInfo>();
        foreach (var variable in declaration.Declaration.Variables)
        {
            if (context.SemanticModel.GetDeclaredSymbol(variable, cancellationToken) is not IFieldSymbol field
                || TypeNames.HasAttribute(field.ContainingType, ClassChecks.NetworkAttribute)
                || TypeNames.HasAttribute(field.ContainingType, ClassChecks.BlockAttribute)
                || field.GetAttributes().FirstOrDefault(LayerReader.IsLayerAttribute) is not { } layer)
            {
                continue;
            }

            var name = (layer.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.Name;
            found.Add(new DiagnosticInfo(DiagnosticIds.LayerOutsideNetwork, Locate.From(name) ?? Locate.From(variable.Identifier),
                EquatableArray.Of(field.Name, layer.AttributeClass!.Name.Replace("Attribute", ""), field.ContainingType.Name)));
        }

        return found.ToEquatableArray();
    }

    private static bool Named(SyntaxList<AttributeListSyntax> lists, HashSet<string> names)
    {
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                string name = attribute.Name switch
                {
                    QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                    AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                    SimpleNameSyntax s => s.Identifier.ValueText,
                    _ => "",
                };
                if (names.Contains(name) || (name.EndsWith("Attribute", StringComparison.Ordinal) && names.Contains(name.Substring(0, name.Length - "Attribute".Length))))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
