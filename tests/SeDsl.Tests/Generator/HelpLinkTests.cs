using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SeDsl.Generator;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// What the IDE shows beside a diagnostic: its help link, which must open a page offline, and the values code fixes
/// read from it. The generator takes the pages' folder from the build property SeDslHelpBaseUri.
/// </summary>
public class HelpLinkTests
{
    private const string SeRatio5 = """
        namespace Demo;

        [Network(3, 8, 8)]
        public partial class Net
        {
            [Conv2d(24, 3)] private readonly Conv2d conv;
            [SqueezeExcite(r: 5)] private readonly SqueezeExcitation se;
        }
        """;

    /// <summary>The value this repository's build gives SeDslHelpBaseUri (the test project records it as assembly metadata).</summary>
    private static string RepositoryHelpBase =>
        typeof(HelpLinkTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SeDslHelpBaseUri").Value
        ?? throw new InvalidOperationException("SeDslHelpBaseUri is not set in this repository's build");

    [Theory]
    [MemberData(nameof(DiagnosticTests.Cases), MemberType = typeof(DiagnosticTests))]
    public void Every_reported_diagnostic_links_an_existing_page_whose_heading_is_its_title(string id, string source, string underlined)
    {
        _ = underlined;
        var run = Run(source, RepositoryHelpBase);

        var diagnostic = run.GeneratorDiagnostics.First(d => d.Id == id);
        string page = OpenPage(diagnostic.Descriptor.HelpLinkUri);
        Assert.StartsWith($"# {id}: {diagnostic.Descriptor.Title}\n", page, StringComparison.Ordinal);
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal(HelpLinkOf(d.Id), d.Descriptor.HelpLinkUri));
    }

    [Fact]
    public void Every_descriptor_has_a_page_in_the_repository_whose_heading_is_its_title()
    {
        Assert.All(DiagnosticCatalogue.All, descriptor =>
        {
            string page = OpenPage(HelpLinkOf(descriptor.Id));
            Assert.StartsWith($"# {descriptor.Id}: {descriptor.Title}\n", page, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_repository_build_points_the_links_at_its_own_docs_folder()
    {
        string expected = Path.Combine(DiagnosticTests.RepositoryRoot(), "docs", "diagnostics") + Path.DirectorySeparatorChar;
        Assert.Equal(Path.GetFullPath(expected), Path.GetFullPath(RepositoryHelpBase));
    }

    [Theory]
    [InlineData("https://docs.example.com/sedsl", "https://docs.example.com/sedsl/SEDSL104.md")]
    [InlineData("https://docs.example.com/sedsl/diagnostics/", "https://docs.example.com/sedsl/diagnostics/SEDSL104.md")]
    [InlineData("/opt/company docs/sedsl", "file:///opt/company%20docs/sedsl/SEDSL104.md")]
    [InlineData("file:///opt/sedsl/", "file:///opt/sedsl/SEDSL104.md")]
    public void A_project_can_point_the_links_elsewhere(string helpBase, string expected)
    {
        var diagnostic = Assert.Single(Run(SeRatio5, helpBase).GeneratorDiagnostics);

        Assert.Equal(expected, diagnostic.Descriptor.HelpLinkUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("docs/diagnostics")]
    public void Without_an_absolute_base_a_diagnostic_has_no_link_rather_than_one_that_opens_nowhere(string? helpBase)
    {
        var diagnostic = Assert.Single(Run(SeRatio5, helpBase).GeneratorDiagnostics);

        Assert.Equal(DiagnosticIds.ReductionNotExact, diagnostic.Id);
        Assert.Equal("", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void Reported_diagnostics_carry_their_message_arguments_as_properties()
    {
        var diagnostic = Assert.Single(Run(SeRatio5, RepositoryHelpBase).GeneratorDiagnostics);

        Assert.Equal(DiagnosticIds.ReductionNotExact, diagnostic.Id);
        string[] expected = ["se", "5", "24", "4"];
        Assert.Equal(expected, Enumerable.Range(0, 4).Select(i => diagnostic.Properties[DiagnosticIds.ArgumentProperty(i)]));
        Assert.Equal("Layer 'se': reduction ratio r = 5 does not divide 24 channels; the excitation bottleneck is rounded down to 4",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    private static string HelpLinkOf(string id) =>
        DiagnosticCatalogue.HelpLink(RepositoryHelpBase, id) ?? throw new InvalidOperationException($"no help link for {id}");

    /// <summary>The text of the page a link names; the link must be an absolute file URI, as an IDE opens it offline.</summary>
    private static string OpenPage(string link)
    {
        Assert.True(Uri.TryCreate(link, UriKind.Absolute, out var uri), $"'{link}' is not an absolute URI");
        Assert.True(uri.IsFile, $"'{link}' is not a file URI");
        Assert.True(File.Exists(uri.LocalPath), $"'{link}' names no file");
        return File.ReadAllText(uri.LocalPath);
    }

    /// <summary>The generator run as a build runs it, with SeDslHelpBaseUri among the compiler-visible properties (or without it).</summary>
    private static GeneratorRun Run(string source, string? helpBase)
    {
        var properties = new Dictionary<string, string>();
        if (helpBase is not null)
        {
            properties[DiagnosticCatalogue.HelpBaseProperty] = helpBase;
        }

        var driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: new BuildProperties(properties));
        return GeneratorHarness.Run(driver, GeneratorHarness.Compile(source.StartsWith(Sources.Usings, StringComparison.Ordinal) ? source : Sources.Usings + source));
    }

    private sealed class BuildProperties(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(globals);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;
    }

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
