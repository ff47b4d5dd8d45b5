using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// The only code that touches Roslyn symbols and syntax: reads a <c>[Network]</c> class into a
/// <see cref="NetworkSpec"/> (plain values) and a <see cref="SourceMap"/> (locations), and reports what only symbols
/// can tell: a class that is not partial, a field of the wrong type, an unknown layer attribute.
/// </summary>
internal static class NetworkParser
{
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var compilation = context.SemanticModel.Compilation;
        var network = context.Attributes[0];
        var networkSyntax = network.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        if (type.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == LayerCatalogue.NetworkAttribute) > 1)
        {
            // [Network] on two parts of one class: the compiler reports CS0579; generating twice would clash.
            return new ParseResult(null, new SourceMap(classLocation, null, null, EquatableArray<LayerSource>.Empty), EquatableArray<DiagnosticInfo>.Empty);
        }


        void Report(string id, LocationInfo? location, params string[] args) =>
            diagnostics.Add(new DiagnosticInfo(id, location ?? classLocation, args.ToEquatableArray()));

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            Report(DiagnosticIds.ClassNotPartial, classLocation, type.Name);
        }

        if (syntax is not ClassDeclarationSyntax || type.IsGenericType || type.ContainingType is not null
            || syntax.Modifiers.Any(SyntaxKind.FileKeyword) || syntax.ParameterList is not null)
        {
            Report(DiagnosticIds.UnsupportedClassShape, classLocation, type.Name);
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            Report(DiagnosticIds.BaseClassNotAllowed, BaseTypeLocation(type, baseType, compilation, cancellationToken), type.Name);
        }

        var namesake = type.ContainingNamespace.GetTypeMembers()
            .FirstOrDefault(t => !SymbolEqualityComparer.Default.Equals(t, type)
                && string.Equals(t.Name, type.Name, System.StringComparison.OrdinalIgnoreCase)
                && t.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == LayerCatalogue.NetworkAttribute));
        if (namesake is not null)
        {
            Report(DiagnosticIds.NamesDifferOnlyInCase, classLocation, type.Name, namesake.Name);
        }

        var moduleOfTensors = ModuleOfTensors(compilation);

        var layers = new List<LayerSpec>();
        var sources = new List<LayerSource>();
        bool attributeErrors = false;
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var layerAttributes = field.GetAttributes().Where(IsLayerAttribute).ToList();
            if (layerAttributes.Count == 0)
            {
                continue;
            }

            if (field.IsImplicitlyDeclared)
            {
                // [field: ReLU] on an auto-property.
                var property = field.AssociatedSymbol;
                Report(DiagnosticIds.InvalidLayerField, LocationInfo.From(property?.Locations.FirstOrDefault()), property?.Name ?? field.Name,
                    "is a property; declare layers as fields");
                continue;
            }

            var fieldSyntax = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
            var fieldLocation = LocationInfo.From(fieldSyntax?.Identifier.GetLocation());
            if (layerAttributes.Count > 1)
            {
                Report(DiagnosticIds.MultipleLayerAttributes, AttributeLocation(layerAttributes[1], cancellationToken), field.Name);
                continue;
            }

            var attribute = layerAttributes[0];
            if (attribute.AttributeConstructor is null || field.Type.TypeKind == TypeKind.Error
                || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
                || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
            {
                // The compiler already reports the broken attribute; generating from it would only add noise.
                attributeErrors = true;
                continue;
            }

            string attributeName = attribute.AttributeClass!.ToDisplayString();
            var entry = LayerCatalogue.Find(attributeName);
            if (entry is null)
            {
                Report(DiagnosticIds.UnknownLayerAttribute, AttributeLocation(attribute, cancellationToken), field.Name, attributeName);
                continue;
            }

            if (field.IsStatic || field.IsConst)
            {
                Report(DiagnosticIds.InvalidLayerField, fieldLocation, field.Name, "must be an instance field, not static or const");
                continue;
            }

            if (ReservedNames.Contains(field.Name) || HidesModuleMember(moduleOfTensors, field.Name))
            {
                Report(DiagnosticIds.InvalidLayerField, fieldLocation, field.Name, "uses a name the generated code or Module<Tensor, Tensor> declares; rename the field");
                continue;
            }

            if (field.Type.IsReferenceType && field.NullableAnnotation == NullableAnnotation.Annotated)
            {
                Report(DiagnosticIds.InvalidLayerField, fieldLocation, field.Name, "must not be nullable: the generated constructor always creates the module");
                continue;
            }

            if (fieldSyntax?.Initializer is not null)
            {
                Report(DiagnosticIds.InvalidLayerField, fieldLocation, field.Name, "must not have an initializer: the generated constructor creates the module");
                continue;
            }

            // The field must hold the layer's module and be callable as Module<Tensor, Tensor> by the generated forward.
            var moduleType = compilation.GetTypeByMetadataName(entry.ModuleType);
            if (moduleType is not null && (!compilation.ClassifyCommonConversion(moduleType, field.Type).IsImplicit
                || (moduleOfTensors is not null && !compilation.ClassifyCommonConversion(field.Type, moduleOfTensors).IsImplicit)))
            {
                var typeSyntax = (fieldSyntax?.Parent as VariableDeclarationSyntax)?.Type;
                Report(DiagnosticIds.FieldTypeMismatch, LocationInfo.From(typeSyntax) ?? fieldLocation, field.Name,
                    attribute.AttributeClass.Name.Replace("Attribute", ""), entry.ModuleType, field.Type.ToDisplayString());
                continue;
            }

            var reader = new AttributeReader(attribute, cancellationToken);
            layers.Add(entry.Read(field.Name, reader) with { Identifier = fieldSyntax?.Identifier.Text ?? field.Name });
            sources.Add(reader.Source);
        }

        var inputLocation = InputLocation(networkSyntax);
        var map = new SourceMap(classLocation, LocationInfo.From(networkSyntax), inputLocation, sources.ToEquatableArray());
        if (diagnostics.Count > 0 || attributeErrors)
        {
            return new ParseResult(null, map, diagnostics.ToEquatableArray());
        }

        var spec = new NetworkSpec(
            type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
            syntax.Identifier.Text,
            InputValues(network),
            layers.ToEquatableArray());
        return new ParseResult(spec, map, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>Members the generated part declares, which a layer field may not also declare.</summary>
    private static readonly HashSet<string> ReservedNames = new() { "forward", "ParameterCount", "MultiplyAdds", "Summary" };

    /// <summary><c>TorchSharp.torch.nn.Module&lt;Tensor, Tensor&gt;</c>, or null when TorchSharp is not referenced.</summary>
    private static INamedTypeSymbol? ModuleOfTensors(Compilation compilation)
    {
        var module = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module`2");
        var tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
        return module is null || tensor is null ? null : module.Construct(tensor, tensor);
    }

    private static bool HidesModuleMember(INamedTypeSymbol? module, string name)
    {
        for (var t = module; t is not null; t = t.BaseType)
        {
            if (t.GetMembers(name).Any(m => m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return true;
            }
        }

        return false;
    }

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
                return LocationInfo.From(match);
            }
        }

        return null;
    }

    private static bool IsLayerAttribute(AttributeData attribute)
    {
        for (var t = attribute.AttributeClass?.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == LayerCatalogue.LayerAttributeBase)
            {
                return true;
            }
        }

        return false;
    }

    private static LocationInfo? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));

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
