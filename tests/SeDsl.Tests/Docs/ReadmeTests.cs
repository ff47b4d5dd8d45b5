using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SeDsl.Tests.Generator;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Docs;

/// <summary>The README as product documentation: its example compiles, and its links (and those of the pages it moved text to) open.</summary>
public partial class ReadmeTests
{
    private static readonly string Root = DiagnosticTests.RepositoryRoot();

    public static TheoryData<string> Pages => new() { "README.md", "docs/summaries.md", "docs/performance.md", "docs/reliability.md" };

    [Fact]
    public void The_first_example_compiles_with_the_generator_without_a_diagnostic()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        string example = CSharpBlock().Match(readme).Groups["code"].Value;
        Assert.Contains("[Network(3, 32, 32)]", example, StringComparison.Ordinal);

        GeneratorRun run = GeneratorHarness.Run(example);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains(run.Sources.Keys, k => k.EndsWith("TinySeNet.SeDsl.Summary.g.cs", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_opens_a_file_and_its_heading(string page)
    {
        string path = Path.Combine(Root, page);
        var broken = new List<string>();
        foreach (Match link in Link().Matches(File.ReadAllText(path)))
        {
            string target = link.Groups["target"].Value;
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = target.Split('#', 2);
            string file = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                broken.Add(target + " (no such file)");
            }
            else if (parts.Length == 2 && !Headings(file).Contains(parts[1]))
            {
                broken.Add(target + " (no such heading)");
            }
        }

        Assert.True(broken.Count == 0, page + ": " + string.Join(", ", broken));
    }

    [Fact]
    public void The_link_check_finds_a_missing_heading()
    {
        Assert.Contains("the-main-jobs-timings-formerly-in-the-readme", Headings(Path.Combine(Root, "docs", "performance.md")));
        Assert.DoesNotContain("the-main-jobs-timings", Headings(Path.Combine(Root, "docs", "performance.md")));
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Headings(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.StartsWith('#')).Select(l => Slug(l.TrimStart('#').Trim())).ToHashSet()
            : new HashSet<string>();

    private static string Slug(string heading) =>
        string.Concat(heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    // [text](target), not inside code spans; images too.
    [GeneratedRegex(@"\]\((?<target>[^()\s]+)\)")]
    private static partial Regex Link();
}
