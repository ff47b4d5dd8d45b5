using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>The layers of a network or block body, their locations, and whether any was left out because of an error.</summary>
internal sealed record LayerBody(EquatableArray<LayerSpec> Layers, EquatableArray<LayerSource> Sources, bool Incomplete);

/// <summary>
/// Reads a class's layer fields into <see cref="LayerSpec"/>s and their locations, reporting what only symbols can tell
/// (field types, duplicate or unknown attributes, static or initialised fields). Stages and used blocks become
/// <see cref="BlockRef"/>s: the referenced block's declaration is never read here.
/// </summary>
internal sealed class LayerReader(Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
{
    public const string StageAttribute = "SeDsl.StageAttribute";
    public const string UseAttribute = "SeDsl.UseAttribute";
    public const string OnShortcutAttribute = "SeDsl.OnShortcutAttribute";
    public const string AfterAdditionAttribute = "SeDsl.AfterAdditionAttribute";
    public const string AfterConcatenationAttribute = "SeDsl.AfterConcatenationAttribute";
    private const string SequentialType = "TorchSharp.Modules.Sequential";

    private readonly INamedTypeSymbol? moduleOfTensors = ClassChecks.ModuleOfTensors(compilation);
    private INamedTypeSymbol? self;

    private void Report(string id, LocationInfo? location, params string[] args) =>
        diagnostics.Add(new DiagnosticInfo(id, location, args.ToEquatableArray()));

    /// <param name="names">The names sizes may use (a block's parameters and <c>inChannels</c>; a family's parameters; none in a network).</param>
    /// <param name="residual">Whether the class is a residual block, where <c>[OnShortcut]</c> and <c>[AfterAddition]</c> are allowed.</param>
    /// <param name="parallel">Whether the class is a parallel block, where <c>[AfterConcatenation]</c> is allowed (after every branch).</param>
    public LayerBody Read(INamedTypeSymbol type, bool inBlock, IReadOnlyDictionary<string, DslType> names, bool residual, bool parallel = false)
    {
        LayerSpec? concatenated = null;
        self = type;
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
                Report(DiagnosticIds.InvalidLayerField, Locate.From(property?.Locations.FirstOrDefault()), property?.Name ?? field.Name, "is a property; declare layers as fields");
                continue;
            }

            var fieldSyntax = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
            var fieldLocation = Locate.From(fieldSyntax?.Identifier ?? default);
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
            var kind = LayerKinds.BySimple(attributeClass.MetadataName) is { } k && TypeNames.Is(attributeClass, k.AttributeName) ? k : null;
            bool isStage = kind is null && TypeNames.Is(attributeClass, StageAttribute);
            bool isUse = kind is null && TypeNames.Is(attributeClass, UseAttribute);
            var usedBlock = isUse ? attribute.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol : null;
            bool isCustom = kind == CustomSpec.Kind1;
            var customType = isCustom ? attribute.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol : null;
            string? moduleTypeName = isStage ? SequentialType : isUse ? usedBlock?.ToDisplayString() : isCustom ? customType?.ToDisplayString() : kind?.ModuleType;
            if (moduleTypeName is null)
            {
                Report(DiagnosticIds.UnknownLayerAttribute, AttributeLocation(attribute), field.Name, attributeClass.ToDisplayString());
                continue;
            }

            bool optional = attribute.NamedArguments.Any(a => a.Key == "When");
            if (!CheckField(field, fieldSyntax, fieldLocation, inBlock, optional) || (isCustom && !IsCreatableModule(field.Name, attribute, customType!)))
            {
                continue;
            }

            // The field must hold the layer's module and be callable as Module<Tensor, Tensor> by the generated forward.
            // A block class becomes a module only through its generated part, which this compilation does not have yet,
            // so a [Use] field must be the block class itself or Module<Tensor, Tensor>.
            var moduleType = isUse ? usedBlock : isCustom ? customType : compilation.GetTypeByMetadataName(moduleTypeName);
            // An inline stage or use has no module of its own: its field holds the layers written in its place.
            bool inline = (isStage || isUse) && attribute.NamedArguments.Any(a => a.Key == "Inline" && a.Value.Value is true);
            var inlineType = inline && moduleOfTensors is not null ? compilation.CreateArrayTypeSymbol(moduleOfTensors) : null;
            bool typeMismatch = inlineType is not null
                ? !compilation.ClassifyCommonConversion(inlineType, field.Type).IsImplicit
                : isUse
                ? !SymbolEqualityComparer.Default.Equals(field.Type, moduleType) && !SymbolEqualityComparer.Default.Equals(field.Type, moduleOfTensors)
                : moduleType is not null && (!compilation.ClassifyCommonConversion(moduleType, field.Type).IsImplicit
                    || (moduleOfTensors is not null && !compilation.ClassifyCommonConversion(field.Type, moduleOfTensors).IsImplicit));
            if (typeMismatch)
            {
                var typeSyntax = (fieldSyntax?.Parent as VariableDeclarationSyntax)?.Type;
                Report(DiagnosticIds.FieldTypeMismatch, Locate.From(typeSyntax) ?? fieldLocation, field.Name,
                    attributeClass.Name.Replace("Attribute", ""), inline ? "Module<Tensor, Tensor>[] (an inline use holds its layers)" : moduleTypeName, field.Type.ToDisplayString());
                continue;
            }

            int before = diagnostics.Count;
            var reader = new AttributeReader(attribute, field.Name, isCustom ? WithRuleNames(names) : names, compilation, diagnostics, cancellationToken);
            LayerSpec? layer = isCustom ? ReadCustom(field.Name, attribute, reader, customType!, names)
                : kind is not null ? kind.Read(field.Name, reader) : ReadBlockLayer(field.Name, attribute, reader, isStage, inline, inBlock);
            var when = reader.Condition("When");
            if (optional && names.Count == 0 && when is not null)
            {
                // A network has no parameters (a family has): its condition is a constant, and a layer that never exists is a dead field.
                Report(DiagnosticIds.InvalidArgument, reader.Source.Find("When"), field.Name, "When", "used inside a block or a network family, whose parameters it tests (a network's layers always exist)",
                    reader.Text("When") ?? "", "Layer");
                continue;
            }

            if (optional && when is not null && !when.Names().Any())
            {
                // "true" or "1 > 2": the layer always or never exists, so its field would be nullable for nothing, or dead.
                Report(DiagnosticIds.InvalidArgument, reader.Source.Find("When"), field.Name, "When", "a condition over the parameters (a constant one leaves the layer always or never there: drop When, or the layer)",
                    reader.Text("When") ?? when.ToString(), "Layer");
                continue;
            }

            var key = StateKeys.Read(reader, field.Name, diagnostics);
            if (layer is null || when is null || diagnostics.Count != before)
            {
                incomplete |= layer is null && diagnostics.Count == before;
                continue;
            }

            if (inBlock && layer is LinearSpec or StageSpec)
            {
                Report(DiagnosticIds.LayerNotAllowedInBlock, AttributeLocation(attribute), field.Name, layer.Kind);
                continue;
            }

            bool holdsBase = moduleType is not null && !SymbolEqualityComparer.Default.Equals(field.Type, moduleType);
            string fieldType = field.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var placement = PlacementOf(field, residual, parallel);
            if (placement == Placement.Body && concatenated is not null && parallel)
            {
                // A branch after a layer on the concatenation would read as running after it.
                Report(DiagnosticIds.BranchAfterConcatenation, fieldLocation, field.Name, concatenated.Name, type.Name);
                continue;
            }

            concatenated ??= placement == Placement.AfterConcatenation ? layer : null;
            layers.Add(layer with { Identifier = fieldSyntax?.Identifier.Text ?? field.Name, Placement = placement, FieldHoldsBase = holdsBase, When = when, Key = key, FieldType = fieldType });
            sources.Add(reader.Source);
        }

        StateKeys.Check(layers, sources, residual, diagnostics);

        return new LayerBody(layers.ToEquatableArray(), sources.ToEquatableArray(), incomplete);
    }

    private bool CheckField(IFieldSymbol field, VariableDeclaratorSyntax? syntax, LocationInfo? location, bool inBlock, bool optional)
    {
        bool nullable = field.Type.IsReferenceType && field.NullableAnnotation == NullableAnnotation.Annotated;
        string? problem =
            field.IsStatic || field.IsConst ? "must be an instance field, not static or const"
            : ClassChecks.ReservedNames.Contains(field.Name) || (inBlock && ClassChecks.ReservedInBlocks.Contains(field.Name)) || ClassChecks.HidesModuleMember(moduleOfTensors, field.Name)
                ? "uses a name the generated code or Module<Tensor, Tensor> declares; rename the field"
            : nullable && !optional ? "must not be nullable: the generated constructor always creates the module (a layer with When is nullable)"
            : optional && !nullable ? "must be nullable, since its When condition may leave it out: declare it as " + field.Type.ToDisplayString() + "?"
            : syntax?.Initializer is not null ? "must not have an initializer: the generated constructor creates the module"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticIds.InvalidLayerField, location, field.Name, problem);
        }

        return problem is null;
    }

    private Placement PlacementOf(IFieldSymbol field, bool residual, bool parallel)
    {
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
            else if (TypeNames.Is(marker.AttributeClass, AfterConcatenationAttribute))
            {
                if (!parallel)
                {
                    Report(DiagnosticIds.PlacementOutsideParallel, AttributeLocation(marker), field.Name);
                }

                placement = Placement.AfterConcatenation;
            }
        }

        return placement;
    }

    /// <summary>A <c>[Stage]</c> or <c>[Use]</c>: the block by reference, with its arguments parsed.</summary>
    private LayerSpec? ReadBlockLayer(string name, AttributeData attribute, AttributeReader reader, bool stage, bool inline, bool inBlock)
    {
        if (inline && !CanInline(name, reader, stage, inBlock))
        {
            return null;
        }

        var args = attribute.ConstructorArguments;
        if (args.Length < (stage ? 3 : 2) || args[0].Value is not INamedTypeSymbol blockType)
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(blockType, self))
        {
            // Decided here, where no other class is read: a block that names itself.
            Report(DiagnosticIds.RecursiveBlock, reader.Source.Find("block"), blockType.Name, name);
            return null;
        }

        var block = new BlockRef(ClassChecks.NameOf(blockType), blockType.DeclaringSyntaxReferences.IsEmpty ? blockType.ContainingAssembly?.Name ?? "" : null);
        var arguments = reader.Sizes(args[stage ? 2 : 1], "arguments", stage ? AttributeReader.StageNames : null);
        if (arguments is null)
        {
            return null;
        }

        var options = ReadOptions(name, reader);
        if (options is null)
        {
            return null;
        }

        if (stage)
        {
            string? childKey = StateKeys.ReadChildKey(reader, name, diagnostics);
            var first = attribute.NamedArguments.FirstOrDefault(a => a.Key == "First");
            var firstArguments = first.Key is null || first.Value.IsNull ? null : reader.Sizes(first.Value, "First", AttributeReader.StageNames);
            return reader.Size("blocks", 1) is { } blocks && childKey is not null && (first.Key is null || first.Value.IsNull || firstArguments is not null)
                ? new StageSpec(name, block, blocks, arguments.ToEquatableArray(), reader.Stride("Stride", 1))
                {
                    ChildKey = childKey,
                    Options = options,
                    First = firstArguments?.ToEquatableArray(),
                    Inline = inline,
                }
                : null;
        }

        return new UseSpec(name, block, arguments.ToEquatableArray(), reader.Stride("Stride", 1)) { Options = options, Inline = inline };
    }

    /// <summary>
    /// What an inline stage or use cannot have, decided where it is written: a place inside a block (SEDSL040: only a
    /// network's layers are written out), and the arguments that name or shape the block's own module (SEDSL039:
    /// <c>Key</c>, <c>ChildKey</c>, the residual options), which an inline use does not create.
    /// </summary>
    private bool CanInline(string name, AttributeReader reader, bool stage, bool inBlock)
    {
        string kind = stage ? "Stage" : "Use";
        if (inBlock)
        {
            Report(DiagnosticIds.InlineInBlock, reader.Source.Find("Inline"), name, kind);
            return false;
        }

        foreach (string argument in new[] { "Key", "ChildKey", "Residual", "Shortcut", "ShortcutKernel", "AfterAddition", "ResidualScale" })
        {
            if (reader.Has(argument) && (stage || argument != "ChildKey"))
            {
                Report(DiagnosticIds.CannotInline, reader.Source.Find(argument), name, kind, "it sets " + argument + ", which names or shapes the block's own module; an inline use creates none");
                return false;
            }
        }

        return true;
    }

    /// <summary>The block options a stage or use sets (<c>Residual</c>, <c>Shortcut</c>, <c>ShortcutKernel</c>, <c>AfterAddition</c>, <c>ResidualScale</c>); null after SEDSL102.</summary>
    private BlockOptions? ReadOptions(string name, AttributeReader reader)
    {
        int? kernel = reader.Has("ShortcutKernel") ? reader.Int("ShortcutKernel", 1) : null;
        if (kernel is { } k && (k < 1 || k % 2 == 0))
        {
            Report(DiagnosticIds.InvalidArgument, reader.Source.Find("ShortcutKernel"), name, "ShortcutKernel", "an odd number of at least 1",
                k.ToString(System.Globalization.CultureInfo.InvariantCulture), "Layer");
            return null;
        }

        double? scale = reader.Has("ResidualScale") ? reader.Double("ResidualScale", 1.0) : null;
        if (scale is { } s && (double.IsNaN(s) || double.IsInfinity(s)))
        {
            Report(DiagnosticIds.InvalidArgument, reader.Source.Find("ResidualScale"), name, "ResidualScale", "a finite number",
                s.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "Layer");
            return null;
        }

        return new BlockOptions(
            reader.Has("Residual") ? reader.Bool("Residual", false) : null,
            reader.Has("Shortcut") ? reader.Int("Shortcut", 0) == 1 : null,
            kernel,
            reader.Has("AfterAddition") ? reader.Int("AfterAddition", 0) != 1 : null,
            scale);
    }

    /// <summary>Whether a <c>[Custom]</c> layer's type is a class that <c>new</c> can create as a module; SEDSL034 at the type otherwise.</summary>
    private bool IsCreatableModule(string name, AttributeData attribute, INamedTypeSymbol type)
    {
        string? problem = type.TypeKind != TypeKind.Class ? "is not a class"
            : type.IsAbstract ? "is abstract"
            : type.IsUnboundGenericType ? "is a generic type definition; name a constructed type such as Gate<float>"
            : moduleOfTensors is not null && !compilation.ClassifyCommonConversion(type, moduleOfTensors).IsImplicit ? "does not derive from Module<Tensor, Tensor>"
            : null;
        if (problem is not null)
        {
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            Report(DiagnosticIds.CustomTypeNotAModule, Locate.From(syntax?.ArgumentList?.Arguments.FirstOrDefault()) ?? AttributeLocation(attribute), name, type.ToDisplayString(), problem);
        }

        return problem is null;
    }

    /// <summary>
    /// A <c>[Custom]</c> layer: its constructor arguments as sizes and its rule, after checking that the type has an
    /// accessible constructor taking <c>(long inChannels, arguments...)</c> (SEDSL033 at the type otherwise). An integer
    /// or a block parameter passes as an <c>int</c>, any other expression as a <c>long</c>.
    /// </summary>
    private LayerSpec? ReadCustom(string name, AttributeData attribute, AttributeReader reader, INamedTypeSymbol type, IReadOnlyDictionary<string, DslType> parameters)
    {
        var args = attribute.ConstructorArguments;
        var arguments = args.Length < 2 ? Array.Empty<Expr>() : reader.Sizes(args[1], "arguments");
        if (arguments is null)
        {
            return null;
        }

        // The module's constructor takes sizes: ints or expressions over them, not truth values, doubles or enum members.
        for (int i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is Expr.Truth or Expr.Real or Expr.Member)
            {
                Report(DiagnosticIds.InvalidArgument, reader.Source.Find("arguments#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), name,
                    "argument " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "an int or an expression string", arguments[i].ToString(), "Layer");
                return null;
            }
        }

        var int64 = compilation.GetSpecialType(SpecialType.System_Int64);
        var int32 = compilation.GetSpecialType(SpecialType.System_Int32);
        var types = new List<ITypeSymbol> { int64 };
        types.AddRange(arguments.Select(a => a is Expr.Number { Value: >= int.MinValue and <= int.MaxValue } || (a is Expr.Name n && parameters.TryGetValue(n.Identifier, out var t) && t.Kind == ValueKind.Int && n.Identifier is not (Scope.InChannels or Scope.StrideName)) ? int32 : (ITypeSymbol)int64));
        bool Accepts(IMethodSymbol ctor) =>
            compilation.IsSymbolAccessibleWithin(ctor, self!)
            && ctor.Parameters.Length >= types.Count
            && ctor.Parameters.Skip(types.Count).All(p => p.IsOptional || p.IsParams)
            && types.Select((t, i) => !ctor.Parameters[i].IsParams && ctor.Parameters[i].RefKind == RefKind.None && compilation.ClassifyCommonConversion(t, ctor.Parameters[i].Type).IsImplicit).All(ok => ok);
        if (!type.InstanceConstructors.Any(Accepts))
        {
            Report(DiagnosticIds.CustomModuleNotCreatable, reader.Source.Find("module"), name, type.ToDisplayString(), string.Join(", ", types.Select(t => t.ToDisplayString())));
            return null;
        }

        string module = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return CustomSpec.Read(name, module.StartsWith("global::", StringComparison.Ordinal) ? module.Substring("global::".Length) : module, arguments.ToEquatableArray(), reader);
    }

    /// <summary>The names a custom layer's rules may use besides the block's: its own input channels and spatial size, all ints.</summary>
    private static IReadOnlyDictionary<string, DslType> WithRuleNames(IReadOnlyDictionary<string, DslType> names)
    {
        var all = new Dictionary<string, DslType>(System.StringComparer.Ordinal);
        foreach (var pair in names)
        {
            all[pair.Key] = pair.Value;
        }

        foreach (string rule in CustomSpec.RuleNames)
        {
            all[rule] = DslType.Int;
        }

        return all;
    }

    /// <summary>Whether the attribute derives from <c>LayerAttribute</c> (every layer kind, <c>[Stage]</c> and <c>[Use]</c>).</summary>
    public static bool IsLayerAttribute(AttributeData attribute)
    {
        for (var t = attribute.AttributeClass?.BaseType; t is not null; t = t.BaseType)
        {
            if (TypeNames.Is(t, LayerKinds.LayerAttributeBase))
            {
                return true;
            }
        }

        return false;
    }

    private LocationInfo? AttributeLocation(AttributeData attribute) => Locate.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));
}
