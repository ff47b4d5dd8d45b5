using System;
using System.Collections.Generic;
using System.Globalization;
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
/// The only code that touches Roslyn symbols and syntax (with the <see cref="LayerReader"/> and <see cref="AttributeReader"/>
/// it uses): reads one <c>[Network]</c> or <c>[Block]</c> class, from its own declarations only, into its spec.
/// </summary>
internal static class ClassParser
{
    public const string ParamAttribute = "SeDsl.ParamAttribute";

    private static readonly IReadOnlyDictionary<string, DslType> NoNames = new Dictionary<string, DslType>();

    public static NetworkParse Network(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var compilation = context.SemanticModel.Compilation;
        var networkSyntax = context.Attributes[0].ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var diagnostics = new List<DiagnosticInfo>();
        var classLocation = Locate.From(syntax.Identifier);
        if (!ClassChecks.Check(type, syntax, ClassChecks.NetworkAttribute, compilation, diagnostics, cancellationToken))
        {
            return new NetworkParse(ClassChecks.NameOf(type), null, SourceMap.Of(classLocation), EquatableArray<DiagnosticInfo>.Empty);
        }

        var attribute = context.Attributes[0];
        if (attribute.ConstructorArguments.FirstOrDefault().Kind == TypedConstantKind.Type)
        {
            return Member(type, syntax, attribute, networkSyntax, compilation, diagnostics, cancellationToken);
        }

        // [Param] fields make the network a family.
        var (parameters, names) = FamilyParameters(type, compilation, diagnostics, cancellationToken);

        bool family = names.Count > 0;
        var body = new LayerReader(compilation, diagnostics, cancellationToken).Read(type, inBlock: false, names, residual: false);
        var map = new SourceMap(classLocation, Locate.From(networkSyntax), InputLocation(networkSyntax), body.Sources);
        if (diagnostics.Any(d => !DiagnosticIds.IsWarning(d.Id)) || body.Incomplete)
        {
            return new NetworkParse(ClassChecks.NameOf(type), null, map, diagnostics.ToEquatableArray()) { IsFamily = family };
        }

        bool inlines = body.Layers.Any(l => l is StageSpec { Inline: true } or UseSpec { Inline: true });
        var spec = new NetworkSpec(ClassChecks.NameOf(type) with { Name = syntax.Identifier.Text }, InputValues(attribute), body.Layers)
        {
            Parameters = parameters.ToEquatableArray(),
            Declared = inlines ? DeclaredNames(type) : EquatableArray<string>.Empty,
        };
        return new NetworkParse(ClassChecks.NameOf(type), spec, map, diagnostics.ToEquatableArray()) { IsFamily = family };
    }

    /// <summary>
    /// A network of a family, <c>[Network(typeof(F), arguments...)]</c>: the family by name and the arguments as constants.
    /// Its layers are the family's, so the class declares no layer field (SEDSL023 on each one). With <c>[Param]</c>
    /// fields it is itself a family that binds some of F's arguments: they may then name its parameters
    /// (<c>nameof(r)</c>), and its networks give the values.
    /// </summary>
    private static NetworkParse Member(INamedTypeSymbol type, TypeDeclarationSyntax syntax, AttributeData attribute, AttributeSyntax? networkSyntax, Compilation compilation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var name = ClassChecks.NameOf(type);
        var (parameters, names) = FamilyParameters(type, compilation, diagnostics, cancellationToken);

        bool isFamily = names.Count > 0;
        var reader = new AttributeReader(attribute, type.Name, names, compilation, diagnostics, cancellationToken);
        var map = new SourceMap(Locate.From(syntax.Identifier), Locate.From(networkSyntax), null, EquatableArray<LayerSource>.Empty) { Attribute = reader.Source };
        var familyType = attribute.ConstructorArguments[0].Value as INamedTypeSymbol;
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            var declared = field.GetAttributes().FirstOrDefault(LayerReader.IsLayerAttribute);
            if (declared is not null)
            {
                var location = Locate.From(declared.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? Locate.From(field.Locations.FirstOrDefault());
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.FieldInFamilyNetwork, location, EquatableArray.Of(type.Name, familyType?.Name ?? "?", field.Name)));
            }
        }

        var arguments = attribute.ConstructorArguments.Length > 1 ? reader.Sizes(attribute.ConstructorArguments[1], "arguments") : Array.Empty<Expr>();
        if (familyType is null || arguments is null || diagnostics.Any(d => !DiagnosticIds.IsWarning(d.Id)))
        {
            return new NetworkParse(name, null, map, diagnostics.ToEquatableArray()) { IsFamily = isFamily };
        }

        var family = new BlockRef(ClassChecks.NameOf(familyType), familyType.DeclaringSyntaxReferences.IsEmpty ? familyType.ContainingAssembly?.Name ?? "" : null);
        var spec = new NetworkSpec(name with { Name = syntax.Identifier.Text }, EquatableArray<int>.Empty, EquatableArray<LayerSpec>.Empty)
        {
            Family = new FamilyRef(family, arguments.ToEquatableArray(), DeclaredNames(type)),
            Parameters = parameters.ToEquatableArray(),
        };
        return new NetworkParse(name, spec, map, diagnostics.ToEquatableArray()) { IsFamily = isFamily };
    }

    /// <summary>
    /// A network's <c>[Param]</c> fields, which make it a family, and the names expressions may use: a rejected parameter
    /// (SEDSL015) still makes the class a family, and is still a name.
    /// </summary>
    private static (List<BlockParameter> Parameters, Dictionary<string, DslType> Names) FamilyParameters(INamedTypeSymbol type, Compilation compilation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var rejected = new List<BlockParameter>();
        var parameters = Parameters(type, compilation, diagnostics, rejected, cancellationToken, family: true);
        var names = new Dictionary<string, DslType>(StringComparer.Ordinal);
        foreach (var p in parameters.Concat(rejected))
        {
            names[p.Name] = p.Type;
        }

        return (parameters, names);
    }

    /// <summary>The names of the members a class declares (fields, properties, ordinary methods, nested types), sorted.</summary>
    private static EquatableArray<string> DeclaredNames(INamedTypeSymbol type) =>
        type.GetMembers().Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { MethodKind: not MethodKind.Ordinary }).Select(m => m.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray();

    public static BlockParse Block(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var compilation = context.SemanticModel.Compilation;
        var block = context.Attributes[0];
        var diagnostics = new List<DiagnosticInfo>();
        var name = ClassChecks.NameOf(type);
        var classLocation = Locate.From(syntax.Identifier);
        if (!ClassChecks.Check(type, syntax, ClassChecks.BlockAttribute, compilation, diagnostics, cancellationToken))
        {
            return new BlockParse(name, null, SourceMap.Of(classLocation), EquatableArray<DiagnosticInfo>.Empty);
        }

        // A rejected parameter (SEDSL015) is still a name the layers may use: their expressions get no second diagnostic.
        var rejected = new List<BlockParameter>();
        var parameters = Parameters(type, compilation, diagnostics, rejected, cancellationToken);
        bool residual = block.NamedArguments.FirstOrDefault(a => a.Key == "Residual").Value.Value is true;
        var names = new Dictionary<string, DslType>(StringComparer.Ordinal);
        foreach (var p in parameters.Concat(rejected))
        {
            names[p.Name] = p.Type;
        }

        names[Scope.InChannels] = DslType.Int;
        names[Scope.StrideName] = DslType.Int;
        bool parallel = block.NamedArguments.FirstOrDefault(a => a.Key == "Parallel").Value.Value is true;
        var body = new LayerReader(compilation, diagnostics, cancellationToken).Read(type, inBlock: true, names, residual, parallel);
        var map = new SourceMap(classLocation, Locate.From(block.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), null, body.Sources);

        var options = new AttributeReader(block, type.Name, names, compilation, diagnostics, cancellationToken);
        int shortcutKernel = options.Int("ShortcutKernel", 1);
        if (shortcutKernel < 1 || shortcutKernel % 2 == 0)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidArgument, options.Source.Find("ShortcutKernel"),
                EquatableArray.Of(type.Name, "ShortcutKernel", "an odd number of at least 1", shortcutKernel.ToString(CultureInfo.InvariantCulture), "Block")));
        }

        double scale = options.Double("ResidualScale", 1.0);
        if (options.Has("ResidualScale") && (!residual || double.IsNaN(scale) || double.IsInfinity(scale)))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidArgument, options.Source.Find("ResidualScale"), EquatableArray.Of(type.Name, "ResidualScale",
                residual ? "a finite number" : "used only with Residual = true", scale.ToString("R", CultureInfo.InvariantCulture), "Block")));
        }

        bool identityOrNone = options.Int("Shortcut", 0) == 1;
        string shortcutName = options.Text("ShortcutName") ?? "downsample";
        if (!SyntaxFacts.IsValidIdentifier(shortcutName) || body.Layers.Any(l => l.Name == shortcutName))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidArgument, options.Source.Find("ShortcutName"), EquatableArray.Of(type.Name, "ShortcutName",
                "an identifier that no layer of the block uses", shortcutName, "Block")));
        }

        if (identityOrNone && (!residual || body.Layers.Any(l => l.Placement is Placement.Shortcut or Placement.AfterAddition)))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidArgument, options.Source.Find("Shortcut"), EquatableArray.Of(type.Name, "Shortcut",
                "used with Residual = true and no [OnShortcut] or [AfterAddition] layers (the shortcut may not exist)", "ShortcutPolicy.IdentityOrNone", "Block")));
        }

        if (diagnostics.Any(d => !DiagnosticIds.IsWarning(d.Id)) || body.Incomplete)
        {
            return new BlockParse(name, null, map, diagnostics.ToEquatableArray());
        }

        bool reluAfter = options.Int("AfterAddition", 0) != 1;
        var spec = new BlockSpec(name with { Name = syntax.Identifier.Text }, parameters.ToEquatableArray(), residual, identityOrNone, reluAfter,
            parallel, shortcutKernel, scale, body.Layers)
        { ShortcutName = shortcutName, ShortcutFirst = options.Bool("ShortcutFirst", false) };
        return new BlockParse(name, spec, map, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// The block's <c>[Param]</c> fields in declaration order; a field that cannot be one is reported (SEDSL015) and
    /// added to <paramref name="rejected"/>.
    /// </summary>
    /// <param name="family">Whether the class is a network family, whose generated part takes no parameters (so no name is reserved).</param>
    private static List<BlockParameter> Parameters(INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics, List<BlockParameter> rejected, CancellationToken cancellationToken, bool family = false)
    {
        var moduleOfTensors = ClassChecks.ModuleOfTensors(compilation);
        var parameters = new List<BlockParameter>();
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (!TypeNames.HasAttribute(field, ParamAttribute))
            {
                continue;
            }

            var fieldSyntax = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
            var location = Locate.From(fieldSyntax?.Identifier ?? default);
            var valueType = ValueTypeOf(field.Type);
            string? problem =
                valueType is null || field.IsStatic || field.IsConst || fieldSyntax?.Initializer is not null
                    ? "must be an instance field of type int, bool, double or an enum, without an initializer"
                : ClassChecks.IsKeyword(field.Name) || (!family && (ClassChecks.ReservedInBlocks.Contains(field.Name) || ClassChecks.ReservedNames.Contains(field.Name)
                    || ClassChecks.HidesModuleMember(moduleOfTensors, field.Name)))
                    ? "uses a name the generated constructor needs; rename it"
                : null;
            if (problem is null && Default(field, valueType!, compilation, diagnostics, cancellationToken) is var (ok, fallback) && ok)
            {
                if (fallback is null && parameters.Any(p => p.Default is not null))
                {
                    problem = "has no default but follows a parameter that has one: the arguments given are always the first ones, so give it a default or declare it earlier";
                }
                else
                {
                    parameters.Add(new BlockParameter(field.Name, valueType!) { Default = fallback });
                    continue;
                }
            }

            rejected.Add(new BlockParameter(field.Name, valueType ?? DslType.Int));
            if (problem is not null)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidBlockParameter, location, EquatableArray.Of(field.Name, problem)));
            }
        }

        return parameters;
    }

    /// <summary>
    /// A parameter's <c>[Param(Default = ...)]</c>: a constant of the parameter's type, or null when it has none; not ok
    /// after reporting a value of another type (SEDSL106 on the argument).
    /// </summary>
    private static (bool Ok, Expr? Default) Default(IFieldSymbol field, DslType type, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var attribute = field.GetAttributes().First(a => TypeNames.Is(a.AttributeClass, ParamAttribute));
        if (!attribute.NamedArguments.Any(a => a.Key == "Default"))
        {
            return (true, null);
        }

        int before = diagnostics.Count;
        var value = new AttributeReader(attribute, field.Name, NoNames, compilation, diagnostics, cancellationToken).Value("Default", Expr.Zero, type);
        return (value is not null && diagnostics.Count == before, value);
    }

    /// <summary>The DSL type of a parameter field: <c>int</c>, <c>bool</c>, <c>double</c> or an enum; null for any other.</summary>
    public static DslType? ValueTypeOf(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Int32 => DslType.Int,
        SpecialType.System_Boolean => DslType.Bool,
        SpecialType.System_Double => DslType.Real,
        _ => type is INamedTypeSymbol { TypeKind: TypeKind.Enum } e && e.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal ? AttributeReader.EnumType(e) : null,
    };

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
        return Locate.From(Location.Create(syntax!.SyntaxTree, span));
    }
}
