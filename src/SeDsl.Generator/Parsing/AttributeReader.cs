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

/// <summary>
/// Reads one attribute's values by name, whether written positionally, as <c>name:</c> or as <c>Name =</c>, and records
/// where each argument was written. Names compare case-insensitively, so the constructor parameter <c>outChannels</c> and
/// the property <c>OutChannels</c> are one argument. Sizes written as expression strings are parsed here, once, and
/// checked against the names the class declares; a bad one is reported at its argument (SEDSL106).
/// </summary>
internal sealed class AttributeReader : IAttributeArguments
{
    // The runtime's Pad.Same and Strides.OfBlock; a test guards them against drift.
    public const int PadSame = -1;
    public const int StrideOfBlock = -2;

    private readonly Dictionary<string, TypedConstant> values = new(StringComparer.OrdinalIgnoreCase);
    private readonly string layer;
    private readonly IReadOnlyDictionary<string, DslType> names;
    private readonly Compilation compilation;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly ImmutableArray<IParameterSymbol> parameters;
    private readonly SeparatedSyntaxList<AttributeArgumentSyntax> arguments;

    /// <param name="names">The names expressions may use, with their types: a block's parameters and <c>inChannels</c>; none in a network.</param>
    public AttributeReader(AttributeData attribute, string layer, IReadOnlyDictionary<string, DslType> names, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        this.layer = layer;
        this.names = names;
        this.compilation = compilation;
        this.diagnostics = diagnostics;
        parameters = attribute.AttributeConstructor?.Parameters ?? default;
        for (int i = 0; !parameters.IsDefault && i < parameters.Length && i < attribute.ConstructorArguments.Length; i++)
        {
            values[parameters[i].Name] = attribute.ConstructorArguments[i];
        }

        foreach (var named in attribute.NamedArguments)
        {
            values[named.Key] = named.Value;
        }

        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var locations = new List<ArgumentLocation>();
        arguments = syntax?.ArgumentList?.Arguments ?? default;
        for (int i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            string? name = argument.NameEquals?.Name.Identifier.ValueText
                ?? argument.NameColon?.Name.Identifier.ValueText
                ?? (!parameters.IsDefault && i < parameters.Length ? parameters[i].Name : null);
            var location = Locate.From(argument);
            if (name is not null && location is not null)
            {
                locations.Add(new ArgumentLocation(name, location));
            }

            // Each element of an array written as a named argument (First = new object[] { 32, 2 }) has its own name, "First#1".
            if (argument.NameEquals is not null && ArrayElements(argument.Expression) is { } elements)
            {
                for (int e = 0; e < elements.Count; e++)
                {
                    if (Locate.From(elements[e]) is { } at)
                    {
                        locations.Add(new ArgumentLocation(name + "#" + e.ToString(System.Globalization.CultureInfo.InvariantCulture), at));
                    }
                }
            }

            // Each element of a params argument written one by one also has its own name, e.g. "arguments#1".
            int last = parameters.IsDefault ? -1 : parameters.Length - 1;
            if (last >= 0 && parameters[last].IsParams && i >= last && argument.NameEquals is null && argument.NameColon is null && location is not null)
            {
                locations.Add(new ArgumentLocation(parameters[last].Name + "#" + (i - last).ToString(System.Globalization.CultureInfo.InvariantCulture), location));
            }
        }

        Source = new LayerSource(Locate.From(syntax), locations.ToEquatableArray());
    }

    public LayerSource Source { get; }

    /// <summary>The elements of an array written inline: <c>new object[] { ... }</c>, <c>new[] { ... }</c> or <c>[ ... ]</c>.</summary>
    private static IReadOnlyList<ExpressionSyntax>? ArrayElements(ExpressionSyntax expression) => expression switch
    {
        ArrayCreationExpressionSyntax { Initializer: { } i } => i.Expressions,
        ImplicitArrayCreationExpressionSyntax i => i.Initializer.Expressions,
        CollectionExpressionSyntax c => c.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
        _ => null,
    };

    public bool Has(string name) => values.ContainsKey(name);

    public void Refuse(string name, string rule, string written) =>
        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidArgument, Source.Find(name), EquatableArray.Of(layer, name, rule, written, "Layer")));

    public int Int(string name, int fallback) => values.TryGetValue(name, out var c) && c.Value is int v ? v : fallback;

    public bool Bool(string name, bool fallback) => values.TryGetValue(name, out var c) && c.Value is bool v ? v : fallback;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var c) && c.Value is double v ? v : fallback;

    /// <summary>A string argument as written, or null when absent (or not a string).</summary>
    public string? Text(string name) => values.TryGetValue(name, out var c) && c.Value is string v ? v : null;

    public Stride Stride(string name, int fallback) =>
        Int(name, fallback) is var v && v == StrideOfBlock && !IsText(name) ? Model.Stride.OfBlock.Instance
        : Size(name, fallback) is { } size ? new Stride.Fixed(size) : new Stride.Fixed(Expr.Unknown.Instance);

    public Padding Padding(string name) =>
        Int(name, 0) is var v && v == PadSame && !IsText(name) ? Model.Padding.Same.Instance
        : Size(name, 0) is { } size ? new Padding.Explicit(size) : new Padding.Explicit(Expr.Unknown.Instance);

    public Expr? Size(string name, int fallback) => Value(name, fallback, DslType.Int);

    public Expr? Value(string name, Expr fallback, DslType expected)
    {
        if (!values.TryGetValue(name, out var c) || c.IsNull && c.Kind != TypedConstantKind.Array)
        {
            return fallback;
        }

        var value = Constant(c);
        if (value is null)
        {
            Mistyped(name, Written(name) ?? c.Value?.ToString() ?? "null", "it is not " + Article(expected));
            return null;
        }

        if (c.Value is string text)
        {
            value = Expression(text, name, expected);
            if (value is null)
            {
                return null;
            }
        }

        var type = DslTypes.Of(value, n => names.TryGetValue(n, out var t) ? t : null, out _);
        if (type is not null && !DslTypes.Accepts(expected, type))
        {
            Mistyped(name, Written(name) ?? value.ToString(), $"it is {Article(type)}, not {Article(expected)}");
            return null;
        }

        return expected.Kind == ValueKind.Real && value is Expr.Number n ? new Expr.Real(n.Value) : value;
    }

    public Expr? Condition(string name) => Value(name, Expr.Truth.True, DslType.Bool);

    private bool IsText(string name) => values.TryGetValue(name, out var c) && c.Value is string;

    /// <summary>A constant as written: an int, bool, double, enum member, or an expression string (parsed by the caller).</summary>
    private static Expr? Constant(TypedConstant c) => c.Kind switch
    {
        TypedConstantKind.Enum when c.Type is INamedTypeSymbol e => MemberOf(e, Convert.ToInt64(c.Value, System.Globalization.CultureInfo.InvariantCulture)),
        TypedConstantKind.Primitive => c.Value switch
        {
            int i => i,
            bool b => Expr.Truth.Of(b),
            double d => new Expr.Real(d),
            float f => new Expr.Real(f),
            string => Expr.Zero,
            _ => null,
        },
        _ => null,
    };

    private static Expr.Member MemberOf(INamedTypeSymbol type, long value)
    {
        string member = type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Convert.ToInt64(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) == value)?.Name
            ?? value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Expr.Member(TypeNames.FullName(type), member, value);
    }

    /// <summary>The type of an enum, with its members, as the model holds it.</summary>
    public static DslType EnumType(INamedTypeSymbol type) => DslType.Enum(TypeNames.FullName(type), type.GetMembers().OfType<IFieldSymbol>()
        .Where(f => f.HasConstantValue)
        .Select(f => new EnumMember(f.Name, Convert.ToInt64(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)))
        .ToEquatableArray());

    private static string Article(DslType type) => type.Kind switch
    {
        ValueKind.Int => "an int",
        ValueKind.Bool => "a bool",
        ValueKind.Real => "a double",
        _ => "a " + type.Written + " value",
    };

    private void Mistyped(string argument, string written, string why) =>
        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidExpression, Source.Find(argument), EquatableArray.Of(layer, written, why)));

    private string? Written(string argument)
    {
        for (int i = 0; i < arguments.Count; i++)
        {
            string? name = arguments[i].NameEquals?.Name.Identifier.ValueText ?? arguments[i].NameColon?.Name.Identifier.ValueText
                ?? (!parameters.IsDefault && i < parameters.Length ? parameters[i].Name : null);
            if (string.Equals(name, argument, StringComparison.OrdinalIgnoreCase))
            {
                return arguments[i].Expression.ToString();
            }
        }

        return null;
    }

    /// <summary>The values of an array argument (<c>params</c>): constants of any DSL type, or expression strings inside blocks.</summary>
    /// <param name="extra">Names these values may use besides the class's (a stage's <c>index</c>); null for none.</param>
    public IReadOnlyList<Expr>? Sizes(TypedConstant array, string argument, IReadOnlyDictionary<string, DslType>? extra = null)
    {
        var known = extra is null ? names : Merge(names, extra);
        if (array.Kind != TypedConstantKind.Array || array.IsNull)
        {
            return Array.Empty<Expr>();
        }

        var sizes = new List<Expr>();
        for (int i = 0; i < array.Values.Length; i++)
        {
            var element = array.Values[i];
            Expr? size = element.Value is string text ? Expression(text, argument + "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null, known) : Constant(element) ?? Reject(element.Value, argument, i);
            if (size is null)
            {
                return null;
            }

            sizes.Add(size);
        }

        return sizes;
    }

    /// <summary>An expression string parsed, its enum members resolved and its type checked (against <paramref name="expected"/> when given).</summary>
    /// <summary>The names a stage's arguments may use besides the class's: <see cref="Scope.StageIndex"/>, an int.</summary>
    public static readonly IReadOnlyDictionary<string, DslType> StageNames = new Dictionary<string, DslType>(StringComparer.Ordinal) { [Scope.StageIndex] = DslType.Int };

    private static IReadOnlyDictionary<string, DslType> Merge(IReadOnlyDictionary<string, DslType> first, IReadOnlyDictionary<string, DslType> second)
    {
        var merged = new Dictionary<string, DslType>(StringComparer.Ordinal);
        foreach (var pair in second)
        {
            merged[pair.Key] = pair.Value;
        }

        // The class's own names win: a family parameter called index keeps its meaning.
        foreach (var pair in first)
        {
            merged[pair.Key] = pair.Value;
        }

        return merged;
    }

    private Expr? Expression(string text, string argument, DslType? expected) => Expression(text, argument, expected, names);

    private Expr? Expression(string text, string argument, DslType? expected, IReadOnlyDictionary<string, DslType> names)
    {
        var expr = ExpressionParser.Parse(text, out string error);
        string? why = expr is null ? error : null;
        if (expr is not null)
        {
            // Enum members resolved without folding, so that the types are checked as written ("Activation.ReLU == 1"
            // is a comparison of an enum with an int, not false); folded after the check.
            expr = expr.Replace(n => names.ContainsKey(n) ? null : Resolve(n));
            string? unknown = expr.Names().FirstOrDefault(n => !names.ContainsKey(n));
            if (unknown is not null)
            {
                why = unknown.IndexOf('.') >= 0 ? $"'{unknown}' is not a member of an enum known here"
                    : this.names.Count == 0 ? $"'{unknown}' is not known here: a network has no parameters, so its values are constants"
                        + (names.ContainsKey(Scope.StageIndex) ? " (a stage's arguments may also use index, the block's position in the stage)" : "")
                    : $"'{unknown}' is not a parameter of the {(names.ContainsKey(Scope.InChannels) ? "block" : "family")} (parameters: {string.Join(", ", names.Keys.Where(k => k is not (Scope.InChannels or Scope.StrideName)).Concat(names.ContainsKey(Scope.InChannels) ? [Scope.InChannels, Scope.StrideName] : []))})";
            }
            else if (DslTypes.Of(expr, n => names.TryGetValue(n, out var t) ? t : null, out string typeError) is not { } type)
            {
                why = typeError;
            }
            else if (expected is not null && !DslTypes.Accepts(expected, type))
            {
                why = $"it is {Article(type)}, not {Article(expected)}";
            }
            else
            {
                try
                {
                    expr = expr.Substitute(_ => null);
                }
                catch (SizeException e)
                {
                    why = "it " + e.Reason;
                }
            }
        }

        if (why is null)
        {
            return expr;
        }

        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidExpression, Source.Find(argument), EquatableArray.Of(layer, text, why)));
        return null;
    }

    /// <summary>
    /// A dotted name as an enum member: <c>Activation.SiLU</c> names an enum of a block parameter's type, of the SeDsl
    /// namespace, or by its full name.
    /// </summary>
    private Expr? Resolve(string dotted)
    {
        int dot = dotted.LastIndexOf('.');
        if (dot < 0)
        {
            return null;
        }

        string typeName = dotted.Substring(0, dot), member = dotted.Substring(dot + 1);
        DslType? type = names.Values.FirstOrDefault(t => t.Kind == ValueKind.Enum && (t.EnumType == typeName || t.EnumType.EndsWith("." + typeName, StringComparison.Ordinal)));
        if (type is null && (compilation.GetTypeByMetadataName("SeDsl." + typeName) ?? compilation.GetTypeByMetadataName(typeName)) is { TypeKind: TypeKind.Enum } symbol)
        {
            type = EnumType(symbol);
        }

        return type?.Members.FirstOrDefault(m => m.Name == member) is { } found ? new Expr.Member(type.EnumType, found.Name, found.Value) : null;
    }

    /// <summary>Reports SEDSL102 for element <paramref name="index"/> of a <c>params</c> argument that is neither an int nor a string, as written.</summary>
    private Expr? Reject(object? value, string argument, int index)
    {
        var written = Element(argument, index);
        string text = written?.Expression.ToString() ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        string type = value?.GetType().Name switch { "Int64" => "a long", "Double" => "a double", "Single" => "a float", "Boolean" => "a bool", null => "null", var t => "a " + t };
        string element = argument + "#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var at = Locate.From(written) ?? (Source.Arguments.Any(a => string.Equals(a.Argument, element, StringComparison.OrdinalIgnoreCase)) ? Source.Find(element) : Source.Find(argument));
        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidArgument, at, EquatableArray.Of(layer,
            "block argument " + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "an int or an expression string", $"{text} ({type})", "Layer")));
        return null;
    }

    /// <summary>The syntax of element <paramref name="index"/> of the <c>params</c> parameter <paramref name="argument"/>, when written element by element.</summary>
    private AttributeArgumentSyntax? Element(string argument, int index)
    {
        int first = -1;
        for (int i = 0; !parameters.IsDefault && i < parameters.Length && first < 0; i++)
        {
            first = string.Equals(parameters[i].Name, argument, StringComparison.OrdinalIgnoreCase) ? i : -1;
        }

        int at = first + index;
        return first >= 0 && parameters[first].IsParams && at < arguments.Count && arguments[at] is { NameEquals: null, NameColon: null } element
            && element.Expression is not (ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax) ? element : null;
    }
}
