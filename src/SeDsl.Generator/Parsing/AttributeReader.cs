using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Reads one attribute's values by name, whether written positionally, as <c>name:</c> or as <c>Name =</c>, and
/// records where each argument was written. Names compare case-insensitively, so the constructor parameter
/// <c>outChannels</c> and the property <c>OutChannels</c> are one argument.
/// </summary>
internal sealed class AttributeReader
{
    private readonly Dictionary<string, TypedConstant> values = new(StringComparer.OrdinalIgnoreCase);

    public AttributeReader(AttributeData attribute, CancellationToken cancellationToken)
    {
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
            var location = LocationInfo.From(argument);
            if (name is not null && location is not null)
            {
                locations.Add(new ArgumentLocation(name, location));
            }
        }

        Source = new LayerSource(LocationInfo.From(syntax), locations.ToEquatableArray());
    }

    public LayerSource Source { get; }

    public int Int(string name, int fallback) => values.TryGetValue(name, out var c) && c.Value is int v ? v : fallback;

    public string? String(string name) => values.TryGetValue(name, out var c) && c.Value is string v ? v : null;

    public bool Bool(string name, bool fallback) => values.TryGetValue(name, out var c) && c.Value is bool v ? v : fallback;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var c) && c.Value is double v ? v : fallback;
}
