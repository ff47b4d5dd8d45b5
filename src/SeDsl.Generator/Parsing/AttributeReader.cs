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
    private readonly IReadOnlyCollection<string> names;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly ImmutableArray<IParameterSymbol> parameters;
    private readonly SeparatedSyntaxList<AttributeArgumentSyntax> arguments;

    /// <param name="names">The names sizes may use: a block's parameters and <c>inChannels</c>; none in a network.</param>
    public AttributeReader(AttributeData attribute, string layer, IReadOnlyCollection<string> names, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        this.layer = layer;
        this.names = names;
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
        }

        Source = new LayerSource(Locate.From(syntax), locations.ToEquatableArray());
    }

    public LayerSource Source { get; }

    public bool Has(string name) => values.ContainsKey(name);

    public int Int(string name, int fallback) => values.TryGetValue(name, out var c) && c.Value is int v ? v : fallback;

    public bool Bool(string name, bool fallback) => values.TryGetValue(name, out var c) && c.Value is bool v ? v : fallback;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var c) && c.Value is double v ? v : fallback;

    /// <summary>A string argument as written, or null when absent (or not a string).</summary>
    public string? Text(string name) => values.TryGetValue(name, out var c) && c.Value is string v ? v : null;

    public Stride Stride(string name, int fallback) =>
        Int(name, fallback) is var v && v == StrideOfBlock ? Model.Stride.OfBlock.Instance : new Stride.Fixed(v);

    public Padding Padding(string name) => Int(name, 0) is var v && v == PadSame ? Model.Padding.Same.Instance : new Padding.Explicit(v);

    public Expr? Size(string name, int fallback) =>
        values.TryGetValue(name, out var c) && c.Value is string text ? Expression(text, name) : Int(name, fallback);

    /// <summary>The values of an array argument (<c>params</c>), as sizes: integers, or expression strings inside blocks.</summary>
    public IReadOnlyList<Expr>? Sizes(TypedConstant array, string argument)
    {
        if (array.Kind != TypedConstantKind.Array || array.IsNull)
        {
            return Array.Empty<Expr>();
        }

        var sizes = new List<Expr>();
        for (int i = 0; i < array.Values.Length; i++)
        {
            Expr? size = array.Values[i].Value switch
            {
                int number => number,
                string text => Expression(text, argument),
                var other => Reject(other, argument, i),
            };
            if (size is null)
            {
                return null;
            }

            sizes.Add(size);
        }

        return sizes;
    }

    private Expr? Expression(string text, string argument)
    {
        var expr = ExpressionParser.Parse(text, out string error);
        string? unknown = expr?.Names().FirstOrDefault(n => !names.Contains(n));
        if (expr is not null && unknown is null)
        {
            return expr;
        }

        string why = expr is null ? error
            : names.Count == 0 ? $"'{unknown}' is not known here: a network has no parameters, so its sizes are numbers"
            : $"'{unknown}' is not a parameter of the block (parameters: {string.Join(", ", names)})";
        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidExpression, Source.Find(argument), EquatableArray.Of(layer, text, why)));
        return null;
    }

    /// <summary>Reports SEDSL102 for element <paramref name="index"/> of a <c>params</c> argument that is neither an int nor a string, as written.</summary>
    private Expr? Reject(object? value, string argument, int index)
    {
        var written = Element(argument, index);
        string text = written?.Expression.ToString() ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        string type = value?.GetType().Name switch { "Int64" => "a long", "Double" => "a double", "Single" => "a float", "Boolean" => "a bool", null => "null", var t => "a " + t };
        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidArgument, Locate.From(written) ?? Source.Find(argument), EquatableArray.Of(layer,
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
