using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// What makes a network or block class unusable, as only symbols can tell: not partial, a base class, a generic, nested
/// or file-local class, both attributes. Reads the class's own declarations and nothing else.
/// </summary>
internal static class ClassChecks
{
    public const string NetworkAttribute = "SeDsl.NetworkAttribute";
    public const string BlockAttribute = "SeDsl.BlockAttribute";

    /// <summary>Members the generated part declares, which a layer field may not also declare.</summary>
    public static readonly HashSet<string> ReservedNames = new() { "forward", "ParameterCount", "MultiplyAdds", "Flops", "Summary", "Diagram", "MeasureSummary", "Fuse", "fused", "ForwardFused", "channelsLast", "PyTorchSource" };

    /// <summary>Further names a block's generated constructor uses.</summary>
    public static readonly HashSet<string> ReservedInBlocks = new() { "downsample", "fusedShortcut", Scope.StrideName, Scope.InChannels };

    /// <summary>
    /// Reports into <paramref name="diagnostics"/> what makes the class unusable. Returns false, silently, when
    /// <paramref name="attributeName"/> appears on two parts of the class: the compiler reports CS0579, and generating twice would clash;
    /// and for the block pipeline of a class that is also a network, whose SEDSL017 the network pipeline reports.
    /// </summary>
    public static bool Check(INamedTypeSymbol type, TypeDeclarationSyntax syntax, string attributeName, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = Locate.From(syntax.Identifier);
        void Report(string id, LocationInfo? at, params string[] args) => diagnostics.Add(new DiagnosticInfo(id, at ?? location, args.ToEquatableArray()));

        if (type.GetAttributes().Count(a => TypeNames.Is(a.AttributeClass, attributeName)) > 1)
        {
            return false;
        }

        if (TypeNames.HasAttribute(type, NetworkAttribute) && TypeNames.HasAttribute(type, BlockAttribute))
        {
            // Decided once, by the network pipeline; the block pipeline leaves the class alone.
            if (attributeName == BlockAttribute)
            {
                return false;
            }

            Report(DiagnosticIds.NetworkAndBlock, location, type.Name);
        }

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            Report(DiagnosticIds.ClassNotPartial, location, type.Name);
        }

        if (syntax is not ClassDeclarationSyntax || type.IsStatic || type.IsGenericType || type.ContainingType is not null
            || syntax.Modifiers.Any(SyntaxKind.FileKeyword) || syntax.ParameterList is not null)
        {
            Report(DiagnosticIds.UnsupportedClassShape, location, type.Name);
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            Report(DiagnosticIds.BaseClassNotAllowed, BaseTypeLocation(type, baseType, compilation, cancellationToken), type.Name);
        }

        DeclarationChecks.Check(type, syntax, attributeName == NetworkAttribute, diagnostics, cancellationToken);
        return true;
    }

    /// <summary>The metadata name by which the class is found in the block table (nested types joined with '+').</summary>
    public static TypeName NameOf(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        var ns = type.ContainingNamespace;
        return new TypeName(ns is null || ns.IsGlobalNamespace ? "" : ns.ToDisplayString(), name);
    }

    /// <summary><c>TorchSharp.torch.nn.Module&lt;Tensor, Tensor&gt;</c>, or null when TorchSharp is not referenced.</summary>
    public static INamedTypeSymbol? ModuleOfTensors(Compilation compilation)
    {
        var module = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module`2");
        var tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
        return module is null || tensor is null ? null : module.Construct(tensor, tensor);
    }

    /// <summary>Whether <c>Module&lt;Tensor, Tensor&gt;</c> or a base declares a visible member named <paramref name="name"/>.</summary>
    public static bool HidesModuleMember(INamedTypeSymbol? module, string name)
    {
        // Names do not depend on type arguments; the generic definitions come from metadata and cache their members.
        for (var t = module?.OriginalDefinition; t is not null; t = t.BaseType?.OriginalDefinition)
        {
            if (t.GetMembers(name).Any(m => m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a name is a C# keyword or contextual keyword, which generated parameters cannot use bare.</summary>
    public static bool IsKeyword(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None;

    /// <summary>The base-list entry that names the base class, in whichever part of the class declares it.</summary>
    private static LocationInfo? BaseTypeLocation(INamedTypeSymbol type, INamedTypeSymbol baseType, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax { BaseList: { } baseList } declaration)
            {
                continue;
            }

            var model = compilation.GetSemanticModel(declaration.SyntaxTree);
            var match = baseList.Types.FirstOrDefault(t => SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(t.Type, cancellationToken).Type, baseType));
            if (match is not null)
            {
                return Locate.From(match);
            }
        }

        return null;
    }
}
