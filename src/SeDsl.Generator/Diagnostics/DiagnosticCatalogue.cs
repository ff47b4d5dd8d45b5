using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Diagnostics;

/// <summary>
/// The one catalogue of SeDsl diagnostics: the descriptors (<see cref="Descriptors"/>, one field per id) by id, their
/// help links, and the diagnostics made from the pipeline's plain values.
/// </summary>
/// <remarks>
/// The descriptors carry no help link: where the pages are depends on the build (the installed package's folder, the
/// repository, a company site), so <see cref="Create(DiagnosticInfo, Location?, string?)"/> adds it from the
/// <c>SeDslHelpBaseUri</c> MSBuild property when a diagnostic is reported.
/// </remarks>
internal static class DiagnosticCatalogue
{
    /// <summary>Every descriptor, in id order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All => Descriptors.All;

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor Get(string id) => ById[id];

    /// <summary>The build property (<c>SeDslHelpBaseUri</c>, made visible to the compiler by the package's targets) naming where the help pages are.</summary>
    public const string HelpBaseProperty = "build_property.SeDslHelpBaseUri";

    /// <summary>
    /// The absolute URI of the help page of <paramref name="id"/>, <c>{id}.md</c> under <paramref name="helpBaseUri"/>
    /// (an absolute URI such as <c>https://docs.example.com/sedsl/</c>, or an absolute folder path, which becomes a
    /// <c>file://</c> URI); null when there is no base or it is not absolute, because a relative link opens nowhere.
    /// </summary>
    public static string? HelpLink(string? helpBaseUri, string id)
    {
        string folder = helpBaseUri?.Trim() ?? "";
        if (folder.Length == 0)
        {
            return null;
        }

        if (!folder.EndsWith("/", StringComparison.Ordinal) && !folder.EndsWith("\\", StringComparison.Ordinal))
        {
            folder += "/";
        }

        return Uri.TryCreate(folder, UriKind.Absolute, out var baseUri) ? new Uri(baseUri, id + ".md").AbsoluteUri : null;
    }

    /// <summary>
    /// The diagnostic for <paramref name="info"/> at <paramref name="location"/>, linked to its page under
    /// <paramref name="helpBaseUri"/> (see <see cref="HelpLink"/>). Its message arguments also travel as properties
    /// (<see cref="DiagnosticIds.ArgumentProperty"/>), so that code fixes read values such as a channel count
    /// without parsing the message.
    /// </summary>
    /// <param name="additionalLocations">Further places it concerns (the stage that uses the block it is located in).</param>
    public static Diagnostic Create(DiagnosticInfo info, Location? location, string? helpBaseUri = null, IEnumerable<Location>? additionalLocations = null)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        for (int i = 0; i < info.MessageArgs.Count; i++)
        {
            properties.Add(DiagnosticIds.ArgumentProperty(i), info.MessageArgs[i]);
        }

        var descriptor = Get(info.Id);
        if (HelpLink(helpBaseUri, info.Id) is { } link)
        {
            descriptor = WithHelpLink(descriptor, link);
        }

        return Diagnostic.Create(descriptor, location, additionalLocations, properties.ToImmutable(), [.. info.MessageArgs]);
    }

    // A copy of a catalogued descriptor (constant id, tracked above) that differs only in its help link.
#pragma warning disable RS1017 // The id is a catalogued descriptor's, not a new one.
    private static DiagnosticDescriptor WithHelpLink(DiagnosticDescriptor d, string link) =>
        new(d.Id, d.Title, d.MessageFormat, d.Category, d.DefaultSeverity, d.IsEnabledByDefault, d.Description, link, [.. d.CustomTags]);
#pragma warning restore RS1017
}
