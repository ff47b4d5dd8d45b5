using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SeDsl.Tests.Summaries;

/// <summary>
/// A strict checker of the Mermaid flowchart subset that <see cref="NetworkSummary.ToMermaid"/> writes, for machines
/// without mermaid-cli: the header, node declarations in the three shapes used (box, stadium, hexagon) with quoted labels,
/// subgraphs with quoted titles closed by <c>end</c>, solid and dotted labelled edges between declared nodes, unique ids,
/// and Mermaid's default limits (500 edges, 50,000 characters). Anything else is an error, so the writer cannot drift
/// into syntax this checker has not been shown to agree with mermaid-cli on (<see cref="MermaidTests"/> renders with both).
/// </summary>
internal static partial class MermaidSyntax
{
    public static IReadOnlyList<string> Errors(string text)
    {
        var errors = new List<string>();
        if (text.Length > 50_000)
        {
            errors.Add($"{text.Length} characters, over Mermaid's maxTextSize of 50,000");
        }

        string[] lines = text.TrimEnd('\n').Split('\n');
        if (lines[0] != "flowchart TD")
        {
            errors.Add("line 1: not 'flowchart TD'");
        }

        var nodes = new HashSet<string>();
        var groups = new HashSet<string>();
        int open = 0, edges = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            string where = "line " + (i + 1).ToString(CultureInfo.InvariantCulture);
            Match m;
            if ((m = NodeLine().Match(line)).Success)
            {
                if (!nodes.Add(m.Groups["id"].Value) || groups.Contains(m.Groups["id"].Value))
                {
                    errors.Add($"{where}: '{m.Groups["id"].Value}' declared twice");
                }
            }
            else if ((m = SubgraphLine().Match(line)).Success)
            {
                if (!groups.Add(m.Groups["id"].Value) || nodes.Contains(m.Groups["id"].Value))
                {
                    errors.Add($"{where}: subgraph '{m.Groups["id"].Value}' declared twice");
                }

                open++;
            }
            else if (EndLine().IsMatch(line))
            {
                if (--open < 0)
                {
                    errors.Add($"{where}: 'end' without a subgraph");
                }
            }
            else if ((m = EdgeLine().Match(line)).Success)
            {
                edges++;
                foreach (string end in new[] { m.Groups["from"].Value, m.Groups["to"].Value })
                {
                    if (!nodes.Contains(end))
                    {
                        errors.Add($"{where}: edge to undeclared node '{end}'");
                    }
                }
            }
            else
            {
                errors.Add($"{where}: not a node, subgraph, end or edge: {line}");
            }
        }

        if (open > 0)
        {
            errors.Add($"{open} subgraph(s) not closed");
        }

        if (edges > 500)
        {
            errors.Add($"{edges} edges, over Mermaid's maxEdges of 500");
        }

        return errors;
    }

    // A quoted label: no double quote inside (Mermaid ends the label there); HTML line breaks are allowed.
    private const string Label = "\"[^\"\\n]+\"";

    [GeneratedRegex(@"^(    )+(?<id>n[0-9]+)(\[" + Label + @"\]|\(\[" + Label + @"\]\)|\{\{" + Label + @"\}\})$")]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"^(    )+subgraph (?<id>s[0-9]+) \[" + Label + @"\]$")]
    private static partial Regex SubgraphLine();

    [GeneratedRegex(@"^(    )+end$")]
    private static partial Regex EndLine();

    [GeneratedRegex(@"^(    )+(?<from>n[0-9]+) (-->|-\.->\|[a-z]+\|) (?<to>n[0-9]+)$")]
    private static partial Regex EdgeLine();
}
