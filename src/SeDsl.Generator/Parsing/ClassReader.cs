using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Analysis;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>The blocks being read, outermost first, to detect a block that contains itself.</summary>
internal sealed class ImmutableVisited(ImmutableHashSet<INamedTypeSymbol> types)
{
    public static readonly ImmutableVisited Empty = new(ImmutableHashSet.Create<INamedTypeSymbol>(SymbolEqualityComparer.Default));

    public bool Contains(INamedTypeSymbol type) => types.Contains(type);

    public ImmutableVisited Add(INamedTypeSymbol type) => new(types.Add(type));
}

/// <summary>The layers of a network or block body, their locations, and whether any was left out because of an error.</summary>
internal sealed record LayerBody(EquatableArray<LayerSpec> Layers, EquatableArray<LayerSource> Sources, bool Incomplete);

/// <summary>
/// The only code that touches Roslyn symbols and syntax, shared by networks and blocks: checks the class, reads its
/// layer fields into <see cref="LayerSpec"/>s and their locations, and reports what only symbols can tell.
/// </summary>
/// <param name="reads">Collects every class declaration the reader reads, for <see cref="ParseCache{T}"/>.</param>
/// <param name="blocks">The block pipeline's cache, whose results stand in for reading a used block again.</param>
internal sealed class ClassReader(Compilation compilation, ISet<SyntaxNode> reads, ParseCache<BlockResult>? blocks, CancellationToken cancellationToken)
{
    public const string BlockAttribute = "SeDsl.BlockAttribute";
    public const string ParamAttribute = "SeDsl.ParamAttribute";
    public const string StageAttribute = "SeDsl.StageAttribute";
    public const string UseAttribute = "SeDsl.UseAttribute";
    public const string SequentialType = "TorchSharp.Modules.Sequential";
    public const string OnShortcutAttribute = "SeDsl.OnShortcutAttribute";
    public const string AfterAdditionAttribute = "SeDsl.AfterAdditionAttribute";

    /// <summary>Members the generated part declares, which a layer field may not also declare.</summary>
    private static readonly HashSet<string> ReservedNames = new() { "forward", "ParameterCount", "MultiplyAdds", "Flops", "Summary", "Fuse", "fused", "ForwardFused", "channelsLast" };

    /// <summary>Further names a block's generated constructor uses.</summary>
    private static readonly HashSet<string> ReservedInBlocks = new() { "downsample", "fusedShortcut", "stride", BlockRules.InChannels };

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, NestedRead>> NestedReads = new();

    private readonly INamedTypeSymbol? moduleOfTensors = ModuleOfTensors(compilation);

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public LocationInfo? ClassLocation { get; private set; }

    /// <summary>Whether reading met a block that contains itself, here or in a block this one uses.</summary>
    public bool FoundRecursion { get; private set; }

    public static string NamespaceOf(INamedTypeSymbol type) =>
        type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();

    private void Report(string id, LocationInfo? location, params string[] args) =>
        Diagnostics.Add(new DiagnosticInfo(id, location ?? ClassLocation, args.ToEquatableArray()));

    /// <summary>
    /// Reports what makes the class unusable. Returns false, silently, when <paramref name="attributeName"/> appears on two
    /// parts of the class: the compiler reports CS0579, and generating twice would clash.
    /// </summary>
    public bool CheckClass(INamedTypeSymbol type, TypeDeclarationSyntax syntax, string attributeName)
    {
        Read(type);
        ClassLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        if (type.GetAttributes().Count(a => TypeNames.Is(a.AttributeClass, attributeName)) > 1)
        {
            return false;
        }

        bool network = TypeNames.HasAttribute(type, LayerCatalogue.NetworkAttribute);
        bool block = TypeNames.HasAttribute(type, BlockAttribute);
        if (network && block)
        {
            Report(DiagnosticIds.NetworkAndBlock, ClassLocation, type.Name);
        }

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            Report(DiagnosticIds.ClassNotPartial, ClassLocation, type.Name);
        }

        if (syntax is not ClassDeclarationSyntax || type.IsGenericType || type.ContainingType is not null
            || syntax.Modifiers.Any(SyntaxKind.FileKeyword) || syntax.ParameterList is not null)
        {
            Report(DiagnosticIds.UnsupportedClassShape, ClassLocation, type.Name);
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            Report(DiagnosticIds.BaseClassNotAllowed, BaseTypeLocation(type, baseType, compilation, cancellationToken), type.Name);
        }

        var namesake = type.ContainingNamespace.GetTypeMembers()
            .FirstOrDefault(t => string.Equals(t.Name, type.Name, System.StringComparison.OrdinalIgnoreCase)
                && !SymbolEqualityComparer.Default.Equals(t, type)
                && (TypeNames.HasAttribute(t, LayerCatalogue.NetworkAttribute) || TypeNames.HasAttribute(t, BlockAttribute)));
        if (namesake is not null)
        {
            Report(DiagnosticIds.NamesDifferOnlyInCase, ClassLocation, type.Name, namesake.Name);
        }

        return true;
    }

    /// <summary>Reads a <c>[Block]</c> class; null when it is not one or has errors (reported to this reader).</summary>
    public BlockSpec? ReadBlock(INamedTypeSymbol type, ImmutableVisited visited)
    {
        var block = type.GetAttributes().FirstOrDefault(a => TypeNames.Is(a.AttributeClass, BlockAttribute));
        var syntax = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
        if (block is null || syntax is null || !CheckClass(type, syntax, BlockAttribute))
        {
            return null;
        }

        var parameters = new List<string>();
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (!TypeNames.HasAttribute(field, ParamAttribute))
            {
                continue;
            }

            var fieldSyntax = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
            var location = LocationInfo.From(fieldSyntax?.Identifier.GetLocation());
            if (field.Type.SpecialType != SpecialType.System_Int32 || field.IsStatic || field.IsConst || fieldSyntax?.Initializer is not null)
            {
                Report(DiagnosticIds.InvalidBlockParameter, location, field.Name, "must be an instance int field without an initializer");
            }
            else if (ReservedInBlocks.Contains(field.Name) || ReservedNames.Contains(field.Name) || HidesModuleMember(moduleOfTensors, field.Name)
                || SyntaxFacts.GetKeywordKind(field.Name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(field.Name) != SyntaxKind.None)
            {
                Report(DiagnosticIds.InvalidBlockParameter, location, field.Name, "uses a name the generated constructor needs; rename it");
            }
            else
            {
                parameters.Add(field.Name);
            }
        }

        bool residual = block.NamedArguments.FirstOrDefault(a => a.Key == "Residual").Value.Value is true;
        var body = ReadLayers(type, inBlock: true, visited.Add(type), residual);
        CheckExpressions(body, parameters);
        if (Diagnostics.Count > 0 || body.Incomplete)
        {
            return null;
        }

        bool reluAfter = block.NamedArguments.FirstOrDefault(a => a.Key == "AfterAddition").Value.Value is not (int)1;
        bool parallel = block.NamedArguments.FirstOrDefault(a => a.Key == "Parallel").Value.Value is true;
        int shortcutKernel = block.NamedArguments.FirstOrDefault(a => a.Key == "ShortcutKernel").Value.Value is int k ? k : 1;
        if (shortcutKernel < 1 || shortcutKernel % 2 == 0)
        {
            var blockReader = new AttributeReader(block, cancellationToken);
            Report(DiagnosticIds.InvalidArgument, blockReader.Source.Find("ShortcutKernel"), type.Name, "ShortcutKernel", "an odd number of at least 1", shortcutKernel.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return null;
        }

        object? scaleValue = block.NamedArguments.FirstOrDefault(a => a.Key == "ResidualScale").Value.Value;
        double scale = scaleValue is double d ? d : 1.0;
        if (scaleValue is not null && (!residual || double.IsNaN(scale) || double.IsInfinity(scale)))
        {
            var blockReader = new AttributeReader(block, cancellationToken);
            Report(DiagnosticIds.InvalidArgument, blockReader.Source.Find("ResidualScale"), type.Name, "ResidualScale",
                residual ? "a finite number" : "used only with Residual = true", scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return null;
        }

        return new BlockSpec(NamespaceOf(type), syntax.Identifier.Text, parameters.ToEquatableArray(), residual, reluAfter, parallel, shortcutKernel, body.Layers)
        {
            ResidualScale = scale,
        };
    }

    /// <summary>Channel expressions must parse and name only the block's parameters (or its input channels).</summary>
    private void CheckExpressions(LayerBody body, List<string> parameters)
    {
        var known = new HashSet<string>(parameters) { BlockRules.InChannels };
        for (int i = 0; i < body.Layers.Count; i++)
        {
            var (texts, argument) = body.Layers[i] switch
            {
                ConvSpec { OutChannelsExpression: { } text } => (new[] { text }, "OutChannels"),
                SqueezeExciteSpec { RExpression: { } text } => (new[] { text }, "R"),
                UseSpec use => (use.Arguments.ToArray(), "arguments"),
                _ => (System.Array.Empty<string>(), ""),
            };
            foreach (string text in texts)
            {
                var expr = Expr.Parse(text, out string error);
                string? unknown = expr?.UnknownNames(known).FirstOrDefault();
                if (expr is null || unknown is not null)
                {
                    string why = expr is null ? error : $"'{unknown}' is not a parameter of the block (parameters: {string.Join(", ", known)})";
                    Report(DiagnosticIds.InvalidExpression, body.Sources[i].Find(argument), body.Layers[i].Name, text, why);
                }
            }
        }
    }

    /// <param name="residual">Whether the class is a residual block, where <c>[OnShortcut]</c> and <c>[AfterAddition]</c> are allowed.</param>
    public LayerBody ReadLayers(INamedTypeSymbol type, bool inBlock, ImmutableVisited visited, bool residual = false)
    {
        Read(type);
        var layers = new List<LayerSpec>();
        var sources = new List<LayerSource>();
        bool incomplete = false;
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
                Report(DiagnosticIds.MultipleLayerAttributes, AttributeLocation(layerAttributes[1]), field.Name);
                continue;
            }

            var attribute = layerAttributes[0];
            if (attribute.AttributeConstructor is null || field.Type.TypeKind == TypeKind.Error
                || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
                || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
            {
                // The compiler already reports the broken attribute; generating from it would only add noise.
                incomplete = true;
                continue;
            }

            var attributeClass = attribute.AttributeClass!;
            var entry = LayerCatalogue.Find(attributeClass);
            bool isStage = entry is null && TypeNames.Is(attributeClass, StageAttribute);
            bool isUse = entry is null && TypeNames.Is(attributeClass, UseAttribute);
            string? moduleTypeName = isStage ? SequentialType
                : isUse ? (attribute.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol)?.ToDisplayString()
                : entry?.ModuleType;
            if (moduleTypeName is null)
            {
                Report(DiagnosticIds.UnknownLayerAttribute, AttributeLocation(attribute), field.Name, attributeClass.ToDisplayString());
                continue;
            }

            if (field.IsStatic || field.IsConst)
            {
                Report(DiagnosticIds.InvalidLayerField, fieldLocation, field.Name, "must be an instance field, not static or const");
                continue;
            }

            if (ReservedNames.Contains(field.Name) || (inBlock && ReservedInBlocks.Contains(field.Name)) || HidesModuleMember(moduleOfTensors, field.Name))
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
            var moduleType = isUse
                ? attribute.ConstructorArguments[0].Value as INamedTypeSymbol
                : compilation.GetTypeByMetadataName(moduleTypeName);
            // A block class becomes a module only through its generated part, which this compilation does not have yet,
            // so a [Use] field must be the block class itself or Module<Tensor, Tensor>.
            bool typeMismatch = isUse
                ? !SymbolEqualityComparer.Default.Equals(field.Type, moduleType) && !SymbolEqualityComparer.Default.Equals(field.Type, moduleOfTensors)
                : moduleType is not null && (!compilation.ClassifyCommonConversion(moduleType, field.Type).IsImplicit
                    || (moduleOfTensors is not null && !compilation.ClassifyCommonConversion(field.Type, moduleOfTensors).IsImplicit));
            if (typeMismatch)
            {
                var typeSyntax = (fieldSyntax?.Parent as VariableDeclarationSyntax)?.Type;
                Report(DiagnosticIds.FieldTypeMismatch, LocationInfo.From(typeSyntax) ?? fieldLocation, field.Name,
                    attributeClass.Name.Replace("Attribute", ""), moduleTypeName, field.Type.ToDisplayString());
                continue;
            }

            var reader = new AttributeReader(attribute, cancellationToken);
            LayerSpec? layer = entry is not null ? entry.Read(field.Name, reader) : ReadBlockLayer(field.Name, attribute, reader, visited);
            if (layer is null)
            {
                incomplete = true;
                continue;
            }

            if (inBlock && layer is LinearSpec or StageSpec)
            {
                Report(DiagnosticIds.LayerNotAllowedInBlock, AttributeLocation(attribute), field.Name, layer.Kind);
                continue;
            }

            var placement = Placement.Body;
            foreach (var marker in field.GetAttributes())
            {
                bool onShortcut = TypeNames.Is(marker.AttributeClass, OnShortcutAttribute);
                if (onShortcut || TypeNames.Is(marker.AttributeClass, AfterAdditionAttribute))
                {
                    if (!residual)
                    {
                        Report(DiagnosticIds.PlacementOutsideResidual, AttributeLocation(marker), field.Name, marker.AttributeClass!.Name.Replace("Attribute", ""));
                    }

                    placement = onShortcut ? Placement.Shortcut : Placement.AfterAddition;
                }
            }

            if (layer is UseSpec use && use.Arguments.Count != use.Block.Parameters.Count)
            {
                Report(DiagnosticIds.StageArgumentCount, AttributeLocation(attribute), field.Name, use.Block.ClassName,
                    use.Block.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    string.Join(", ", use.Block.Parameters), use.Arguments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            layers.Add(layer with { Identifier = fieldSyntax?.Identifier.Text ?? field.Name, Placement = placement });
            sources.Add(reader.Source);
        }

        return new LayerBody(layers.ToEquatableArray(), sources.ToEquatableArray(), incomplete);
    }

    /// <summary>
    /// A <c>[Stage]</c> or <c>[Use]</c>: reads the referenced block with a reader of its own, whose diagnostics the
    /// block's own pipeline reports.
    /// </summary>
    private LayerSpec? ReadBlockLayer(string name, AttributeData attribute, AttributeReader reader, ImmutableVisited visited)
    {
        var args = attribute.ConstructorArguments;
        bool stage = TypeNames.Is(attribute.AttributeClass, StageAttribute);
        if (args.Length < (stage ? 3 : 2) || args[0].Value is not INamedTypeSymbol blockType)
        {
            return null;
        }

        if (!TypeNames.HasAttribute(blockType, BlockAttribute))
        {
            Report(DiagnosticIds.NotABlock, reader.Source.Find("block"), name, blockType.ToDisplayString());
            return null;
        }

        if (visited.Contains(blockType))
        {
            FoundRecursion = true;
            Report(DiagnosticIds.RecursiveBlock, reader.Source.Find("block"), blockType.Name, name);
            return null;
        }

        var (block, recursion) = ReadNested(blockType, visited);
        if (block is null)
        {
            // The block's own pipeline reports its errors at its declaration; say here why this layer is missing.
            FoundRecursion |= recursion;
            Report(recursion ? DiagnosticIds.RecursiveBlock : DiagnosticIds.BlockHasErrors, reader.Source.Find("block"), blockType.Name, name);
            return null;
        }

        var values = args[stage ? 2 : 1];
        var arguments = values.Kind == TypedConstantKind.Array && !values.IsNull ? values.Values : ImmutableArray<TypedConstant>.Empty;
        if (stage)
        {
            return args[1].Value is int blocks
                ? new StageSpec(name, block, blocks, arguments.Select(v => v.Value is int i ? i : 0).ToEquatableArray(), reader.Int("Stride", 1))
                : null;
        }

        // [Use] arguments are integers or expression strings; both travel as expression text.
        var texts = arguments.Select(v => v.Value switch
        {
            int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            string text => text,
            _ => "?",
        });
        return new UseSpec(name, block, texts.ToEquatableArray(), reader.Int("Stride", 1));
    }

    /// <summary>
    /// Reads a block that a layer uses, with a reader of its own (whose diagnostics the block's own pipeline reports),
    /// once per compilation: the zoo's networks share a handful of blocks. Only reads that met no recursion are kept;
    /// they do not depend on the path that reached the block. A valid result of the block's own pipeline is used as is.
    /// </summary>
    private (BlockSpec? Block, bool Recursion) ReadNested(INamedTypeSymbol blockType, ImmutableVisited visited)
    {
        var known = NestedReads.GetValue(compilation, static _ => new ConcurrentDictionary<INamedTypeSymbol, NestedRead>(SymbolEqualityComparer.Default));
        if (known.TryGetValue(blockType, out var read))
        {
            reads.UnionWith(read.Reads);
            return (read.Block, false);
        }

        // A block without errors, read by its own pipeline in an earlier compilation and still valid, met no recursion.
        var declarations = blockType.DeclaringSyntaxReferences;
        if (declarations.Length == 1 && blocks?.TryGet(declarations[0].GetSyntax(cancellationToken), compilation) is { Result.Spec: { } spec } cached)
        {
            reads.UnionWith(cached.Reads);
            return (spec, false);
        }

        var nestedReads = new HashSet<SyntaxNode>();
        var nested = new ClassReader(compilation, nestedReads, blocks, cancellationToken);
        var block = nested.ReadBlock(blockType, visited);
        reads.UnionWith(nestedReads);
        if (!nested.FoundRecursion)
        {
            known.TryAdd(blockType, new NestedRead(block, nestedReads.ToArray()));
        }

        return (block, nested.FoundRecursion);
    }

    private sealed record NestedRead(BlockSpec? Block, SyntaxNode[] Reads);

    /// <summary><c>TorchSharp.torch.nn.Module&lt;Tensor, Tensor&gt;</c>, or null when TorchSharp is not referenced.</summary>
    private static INamedTypeSymbol? ModuleOfTensors(Compilation compilation)
    {
        var module = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module`2");
        var tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
        return module is null || tensor is null ? null : module.Construct(tensor, tensor);
    }

    private static bool HidesModuleMember(INamedTypeSymbol? module, string name)
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

    /// <summary>Records the declarations of <paramref name="type"/>: its fields and attributes are read from them.</summary>
    private void Read(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            reads.Add(reference.GetSyntax(cancellationToken));
        }
    }

    private static bool IsLayerAttribute(AttributeData attribute)
    {
        for (var t = attribute.AttributeClass?.BaseType; t is not null; t = t.BaseType)
        {
            if (TypeNames.Is(t, LayerCatalogue.LayerAttributeBase))
            {
                return true;
            }
        }

        return false;
    }



    private LocationInfo? AttributeLocation(AttributeData attribute) =>
        LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));
}
