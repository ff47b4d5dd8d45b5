using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using SeDsl.Tests.Networks;
using SeDsl.Zoo;
using Xunit;
using Xunit.Abstractions;

namespace SeDsl.Tests.Summaries;

/// <summary>The architecture diagrams: what they draw, at each depth, and that Mermaid accepts them.</summary>
public class MermaidTests(ITestOutputHelper output)
{
    private static int Count(string text, string part) => text.Split('\n').Count(l => l.Contains(part, StringComparison.Ordinal));

    [Fact]
    public void At_depth_1_a_resnet_is_stem_four_stages_and_head()
    {
        string[] lines = SeResNet50.Summary.ToMermaid(1).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("flowchart TD", lines[0]);
        // input, conv1 (+bn1 +relu), maxpool, four stages, avgpool (+flatten), fc: 9 nodes and 8 edges, no subgraph.
        Assert.Equal(9, lines.Count(l => l.Contains("[\"", StringComparison.Ordinal)));
        Assert.Equal(8, lines.Count(l => l.Contains("-->", StringComparison.Ordinal)));
        Assert.Contains("    n3[\"layer1: ResNetBlock x3<br/>256x56x56\"]", lines);
        Assert.DoesNotContain(lines, l => l.Contains("subgraph", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_blocks_draw_every_residual_addition_and_its_shortcut()
    {
        string diagram = SeResNet50.Diagram;

        // 16 bottlenecks: each a subgraph inside its stage's, each with an addition; the first of each stage projects,
        // the other 12 add their input itself (a dotted edge).
        Assert.Equal(4 + 16, Count(diagram, "subgraph "));
        Assert.Equal(16, Count(diagram, "{{\"add + ReLU<br/>"));
        Assert.Equal(4, Count(diagram, "downsample: Projection"));
        Assert.Equal(12, Count(diagram, "-.->|identity|"));
        Assert.Contains("subgraph s2 [\"layer1.0: ResNetBlock\"]", diagram, StringComparison.Ordinal);
        Assert.Contains("se: SqueezeExcite<br/>256x56x56", diagram, StringComparison.Ordinal);
        Assert.Equal(SeResNet50.Summary.Diagram, SeResNet50.Diagram);
        Assert.Empty(MermaidSyntax.Errors(diagram));
    }

    [Fact]
    public void Parallel_branches_leave_the_block_input_and_meet_in_a_concatenation()
    {
        string diagram = SmallInception.Summary.ToMermaid(2);
        string[] lines = diagram.Split('\n');
        string concat = lines.Single(l => l.Contains("{{\"concat<br/>", StringComparison.Ordinal)).Trim();
        string concatId = concat[..concat.IndexOf('{', StringComparison.Ordinal)];
        string stem = lines.Single(l => l.Contains("stem: Conv2d", StringComparison.Ordinal)).Trim();
        string stemId = stem[..stem.IndexOf('[', StringComparison.Ordinal)];

        // The Inception module's four branches each start from the stem and end in the concatenation.
        int branches = SmallInception.Summary.Layers.Single(l => l.Name == "mixed").Children.Count;
        Assert.Equal(4, branches);
        Assert.Equal(branches, lines.Count(l => l.TrimEnd().EndsWith(" --> " + concatId, StringComparison.Ordinal)));
        Assert.Equal(branches, lines.Count(l => l.TrimStart().StartsWith(stemId + " --> ", StringComparison.Ordinal)));
        Assert.Empty(MermaidSyntax.Errors(diagram));
    }

    [Fact]
    public void Each_depth_opens_one_more_level()
    {
        var summary = SeResNet50.Summary;
        Assert.Equal(0, Count(summary.ToMermaid(1), "subgraph "));
        Assert.Equal(4, Count(summary.ToMermaid(2), "subgraph "));                 // stages open, blocks one node each
        Assert.Equal(4, Count(summary.ToMermaid(2), "(projection shortcut)"));
        Assert.Equal(20, Count(summary.ToMermaid(3), "subgraph "));
        Assert.Equal(summary.ToMermaid(3), summary.ToMermaid(9));                   // a projection stays one node
        Assert.Throws<ArgumentOutOfRangeException>(() => summary.ToMermaid(0));
    }

    [Fact]
    public void Every_zoo_diagram_at_every_depth_passes_the_syntax_check()
    {
        foreach (var model in Catalogue.Models)
        {
            foreach (string diagram in new[] { model.Summary.Diagram, model.Summary.ToMermaid(1), model.Summary.ToMermaid(2), model.Summary.ToMermaid(3) })
            {
                var errors = MermaidSyntax.Errors(diagram);
                Assert.True(errors.Count == 0, model.Name + ": " + string.Join("; ", errors));
            }
        }
    }

    [Fact]
    public void The_default_diagram_is_the_deepest_that_mermaid_accepts()
    {
        // A stage of 200 blocks of 3 layers: all open it has over 500 edges (Mermaid's default maxEdges); blocks closed, 202.
        var layer = new LayerSummary("conv", "Conv2d", new long[] { 8, 4, 4 }, 0, 0);
        var block = new LayerSummary("b", "Block", new long[] { 8, 4, 4 }, 0, 0)
        {
            Block = new BlockStructure(ShortcutKind.Identity, false, true),
            Children = new[] { layer with { Name = "a" }, layer with { Name = "b" }, layer with { Name = "c" } },
        };
        var stage = new LayerSummary("stage", "Block x200", new long[] { 8, 4, 4 }, 0, 0)
        {
            Children = Enumerable.Range(0, 200).Select(i => block with { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray(),
        };
        var summary = new NetworkSummary("Long", new long[] { 8, 4, 4 }, new[] { stage });

        Assert.NotEmpty(MermaidSyntax.Errors(summary.ToMermaid(3)));
        Assert.Equal(summary.ToMermaid(2), summary.Diagram);
        Assert.Empty(MermaidSyntax.Errors(summary.Diagram));

        // In the zoo only Inception-ResNet-v2 (with SE or without) is too large to open whole.
        var shallower = Catalogue.Models.Where(m => m.Summary.Diagram != m.Summary.ToMermaid()).Select(m => m.Name);
        Assert.Equal(["InceptionResNetV2", "SeInceptionResNetV2"], shallower);
        var big = Catalogue.Models.Single(m => m.Name == "SeInceptionResNetV2").Summary;
        Assert.NotEmpty(MermaidSyntax.Errors(big.ToMermaid()));
        Assert.Empty(MermaidSyntax.Errors(big.Diagram));
    }

    [Theory]
    [InlineData("flowchart TD\n    n0[\"a<br/>1\"]\n    n0 --> n1\n", "undeclared")]
    [InlineData("flowchart TD\n    subgraph s1 [\"x\"]\n    n0[\"a<br/>1\"]\n", "not closed")]
    [InlineData("flowchart TD\n    n0[\"a \"b\" c\"]\n", "not a node")]
    [InlineData("flowchart TD\n    n0[\"a\"]\n    n0[\"b\"]\n", "twice")]
    [InlineData("graph LR\n    n0[\"a\"]\n", "flowchart TD")]
    public void The_syntax_check_rejects_broken_diagrams(string text, string error)
    {
        Assert.Contains(MermaidSyntax.Errors(text), e => e.Contains(error, StringComparison.Ordinal));
    }

    /// <summary>
    /// Renders the diagrams of each kind of architecture (plain, residual, the largest, branches, branches in residual
    /// blocks, grouped shuffles, each depth) with mermaid-cli in one browser session, where it is
    /// installed (tests/scripts/install-mermaid-cli.sh; found through SEDSL_MMDC or as mmdc on PATH). Without it the
    /// syntax check above stands in.
    /// </summary>
    [Fact]
    public async System.Threading.Tasks.Task Mermaid_cli_renders_every_diagram_where_it_is_installed()
    {
        string? mmdc = Environment.GetEnvironmentVariable("SEDSL_MMDC") is { Length: > 0 } configured ? configured : OnPath("mmdc");
        if (mmdc is null)
        {
            output.WriteLine("mermaid-cli not found (SEDSL_MMDC or mmdc on PATH): checked with MermaidSyntax only.");
            return;
        }

        string[] names = ["TinySeNet", "SeResNet50", "SeNet154", "SeBnInception", "SeInceptionResNetV2", "SeShuffleNet"];
        var diagrams = Catalogue.Models.Where(m => names.Contains(m.Name)).Select(m => (m.Name, m.Summary.Diagram))
            .Append(("SeResNet50 at depth 1", SeResNet50.Summary.ToMermaid(1)))
            .Append(("SeResNet50 at depth 2", SeResNet50.Summary.ToMermaid(2)))
            .Append(("SmallInception", SmallInception.Summary.Diagram))
            .ToList();
        string folder = Directory.CreateTempSubdirectory("sedsl-mermaid-").FullName;
        try
        {
            var markdown = new StringBuilder();
            foreach (var (_, diagram) in diagrams)
            {
                markdown.Append("```mermaid\n").Append(diagram).Append("```\n\n");
            }

            File.WriteAllText(Path.Combine(folder, "all.md"), markdown.ToString());
            string browser = Environment.GetEnvironmentVariable("PUPPETEER_EXECUTABLE_PATH") is { Length: > 0 } b ? b : "/usr/bin/chromium";
            File.WriteAllText(Path.Combine(folder, "puppeteer.json"), $"{{\"executablePath\": \"{browser}\", \"args\": [\"--no-sandbox\"]}}");
            var start = new ProcessStartInfo(mmdc, ["-q", "-p", "puppeteer.json", "-i", "all.md", "-o", "out.md"])
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"mermaid-cli exited with {process.ExitCode}: {await stderr}{await stdout}");

            var svgs = Directory.GetFiles(folder, "out-*.svg");
            Assert.Equal(diagrams.Count, svgs.Length);
            Assert.All(svgs, svg => Assert.DoesNotContain("Syntax error", File.ReadAllText(svg), StringComparison.Ordinal));
            output.WriteLine($"mermaid-cli rendered {svgs.Length} diagrams.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
