using System.Globalization;
using System.IO;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>What the IDE shows beside a diagnostic: its help link, and the values code fixes read from it.</summary>
public class HelpLinkTests
{
    [Fact]
    public void Every_descriptor_links_its_own_help_page_and_the_page_exists()
    {
        string root = DiagnosticTests.RepositoryRoot();

        Assert.All(DiagnosticCatalogue.All, descriptor =>
        {
            Assert.Equal($"docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(root, descriptor.HelpLinkUri)), $"{descriptor.HelpLinkUri} is missing");
            Assert.StartsWith($"# {descriptor.Id}: {descriptor.Title}", File.ReadAllText(Path.Combine(root, descriptor.HelpLinkUri)), System.StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Reported_diagnostics_carry_the_link_and_their_message_arguments_as_properties()
    {
        var run = GeneratorHarness.Run(Sources.Usings + """
            namespace Demo;

            [Network(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(24, 3)] private readonly Conv2d conv;
                [SqueezeExcite(r: 5)] private readonly SqueezeExcitation se;
            }
            """);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.ReductionNotExact, diagnostic.Id);
        Assert.Equal("docs/diagnostics/SEDSL104.md", diagnostic.Descriptor.HelpLinkUri);
        string[] expected = ["se", "5", "24", "4"];
        Assert.Equal(expected, Enumerable.Range(0, 4).Select(i => diagnostic.Properties[DiagnosticIds.ArgumentProperty(i)]));
        Assert.Equal("Layer 'se': reduction ratio r = 5 does not divide 24 channels; the excitation bottleneck is rounded down to 4",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }
}
