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

    /// <param name="names">The names sizes may use: a block's parameters and <c>inChannels</c>; none in a network.</param>
    public AttributeReader(AttributeData attribute, string layer, IReadOnlyCollection<string> names, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        this.layer = layer;
        this.names = names;
        this.diagnostics = diagnostics;
        var parameters = attribute.AttributeConstructor?.Parameters ?? default;
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
        var arguments = syntax?.ArgumentList?.Arguments ?? default;
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
        foreach (var value in array.Values)
        {
            Expr? size = value.Value switch
            {
                int i => i,
                string text => Expression(text, argument),
                var other => Reject(other, argument),
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
            : names.Count == 0 ? $"'{unknown}' is not known here: only a block's parameters can be named"
            : $"'{unknown}' is not a parameter of the block (parameters: {string.Join(", ", names)})";
        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidExpression, Source.Find(argument), EquatableArray.Of(layer, text, why)));
        return null;
    }

    private Expr? Reject(object? value, string argument)
    {
        string text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        string type = value?.GetType().Name switch { "Int64" => "a long", "Double" => "a double", "Single" => "a float", null => "null", var t => "a " + t };
        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidExpression, Source.Find(argument), EquatableArray.Of(layer, text,
            $"it is {type}; block arguments are int values or expression strings")));
        return null;
    }
}
