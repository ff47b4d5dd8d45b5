using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SeDsl;

/// <summary>
/// Draws a <see cref="NetworkSummary"/> as a Mermaid flowchart. One node per layer that changes the data, with its
/// output shape; batch norm, activations, dropout, identity and flatten fold into the node before them. An open stage
/// is a subgraph of its blocks; an open block is a subgraph of its layers with its residual addition (the shortcut
/// dotted when it is the identity) or its branches joined by a concatenation.
/// </summary>
internal static class MermaidWriter
{
    /// <summary>Mermaid's default <c>maxEdges</c>: a diagram with more edges is refused.</summary>
    public const int MaxEdges = 500;

    /// <summary>Mermaid's default <c>maxTextSize</c> in characters.</summary>
    public const int MaxTextSize = 50_000;

    private static readonly HashSet<string> Folded = new(StringComparer.Ordinal)
    {
        "BatchNorm2d", "ReLU", "ReLU6", "Sigmoid", "Tanh", "HardSigmoid", "SiLU", "Dropout", "Identity", "Flatten",
    };

    /// <summary>The diagram at the greatest depth whose text Mermaid accepts with its default limits.</summary>
    public static string Deepest(NetworkSummary summary)
    {
        for (int depth = Height(summary.Layers); depth > 1; depth--)
        {
            string text = Write(summary, depth, out int edges);
            if (edges <= MaxEdges && text.Length <= MaxTextSize)
            {
                return text;
            }
        }

        return Write(summary, 1, out _);
    }

    public static string Write(NetworkSummary summary, int depth) => Write(summary, depth, out _);

    private static string Write(NetworkSummary summary, int depth, out int edgeCount)
    {
        if (depth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth is at least 1 (the network's own layers).");
        }

        var graph = new Graph();
        var input = graph.Root.Add(graph.NewNode("input", summary.Input, NodeShape.Stadium));
        graph.Sequence(graph.Root, summary.Layers, input, "", 1, depth, null);

        var text = new StringBuilder("flowchart TD\n");
        graph.Root.Write(text, 1);
        foreach (var edge in graph.Edges)
        {
            text.Append("    ").Append(edge.From.Id).Append(edge.Identity ? " -.->|identity| " : " --> ").Append(edge.To.Id).Append('\n');
        }

        edgeCount = graph.Edges.Count;
        return text.ToString();
    }

    /// <summary>The depth at which every row is open.</summary>
    private static int Height(IReadOnlyList<LayerSummary> rows) =>
        rows.Count == 0 ? 0 : 1 + rows.Max(r => Height(r.Children));

    private enum NodeShape
    {
        Box,
        Stadium,
        Hexagon,
    }

    private sealed class Node(string id, string label, IReadOnlyList<long> output, NodeShape shape)
    {
        public string Id { get; } = id;

        public string Label { get; set; } = label;

        public IReadOnlyList<long> Output { get; set; } = output;

        public NodeShape Shape { get; } = shape;

        public void Write(StringBuilder text, int indent)
        {
            string label = Escape(Label) + "<br/>" + NetworkSummary.FormatShape(Output);
            text.Append(' ', 4 * indent).Append(Id).Append(Shape switch
            {
                NodeShape.Stadium => "([\"" + label + "\"])",
                NodeShape.Hexagon => "{{\"" + label + "\"}}",
                _ => "[\"" + label + "\"]",
            }).Append('\n');
        }
    }

    private sealed class Group(string id, string title)
    {
        private readonly List<object> items = new();

        public string Id { get; } = id;

        public string Title { get; } = title;

        public Node Add(Node node)
        {
            items.Add(node);
            return node;
        }

        public Group Add(Group group)
        {
            items.Add(group);
            return group;
        }

        public void Write(StringBuilder text, int indent)
        {
            foreach (object item in items)
            {
                if (item is Node node)
                {
                    node.Write(text, indent);
                }
                else if (item is Group group)
                {
                    text.Append(' ', 4 * indent).Append("subgraph ").Append(group.Id).Append(" [\"").Append(Escape(group.Title)).Append("\"]\n");
                    group.Write(text, indent + 1);
                    text.Append(' ', 4 * indent).Append("end\n");
                }
            }
        }
    }

    private sealed record Edge(Node From, Node To, bool Identity);

    private sealed class Graph
    {
        private int nodes;
        private int groups;

        public Group Root { get; } = new("", "");

        public List<Edge> Edges { get; } = new();

        public Node NewNode(string label, IReadOnlyList<long> output, NodeShape shape) =>
            new("n" + (nodes++).ToString(CultureInfo.InvariantCulture), label, output, shape);

        public Group NewGroup(string title) => new("s" + (++groups).ToString(CultureInfo.InvariantCulture), title);

        /// <summary>
        /// Draws the rows one after another from a node, inside a group, opening rows at a level below the depth; returns
        /// the last node. A leading batch norm or activation may fold into <c>foldInto</c> (a block's addition).
        /// </summary>
        public Node Sequence(Group group, IEnumerable<LayerSummary> rows, Node from, string prefix, int level, int depth, Node? foldInto)
        {
            var current = from;
            var foldable = foldInto;
            foreach (var row in rows)
            {
                string path = prefix + row.Name;
                bool open = row.Children.Count > 0 && level < depth && row.Kind != "Projection";   // a projection reads best as one node
                if (!open && foldable is not null && Folded.Contains(row.Kind))
                {
                    foldable.Label += " + " + row.Kind;
                    foldable.Output = row.OutputShape;
                    continue;
                }

                if (!open)
                {
                    string kind = row.Block is { Shortcut: not ShortcutKind.None } b
                        ? row.Kind + " (" + (b.Shortcut == ShortcutKind.Projection ? "projection" : "identity") + " shortcut)"
                        : row.Kind;
                    var node = group.Add(NewNode(row.Name + ": " + kind, row.OutputShape, NodeShape.Box));   // the subgraph's title has the path
                    Edges.Add(new Edge(current, node, false));
                    current = foldable = node;
                }
                else if (row.Block is { } block)
                {
                    current = Block(group, row, block, current, path, level, depth);
                    foldable = null;
                }
                else
                {
                    var stage = group.Add(NewGroup(path + ": " + row.Kind));
                    current = Sequence(stage, row.Children, current, path + ".", level + 1, depth, null);
                    foldable = null;
                }
            }

            return current;
        }

        private Node Block(Group parent, LayerSummary row, BlockStructure block, Node from, string path, int level, int depth)
        {
            var group = parent.Add(NewGroup(path + ": " + row.Kind));
            string prefix = path + ".";
            var body = row.Children.Where(c => c.Placement == LayerPlacement.Body).ToList();
            Node bodyEnd;
            if (block.Parallel && body.Count > 0)
            {
                var ends = body.Select(branch => Sequence(group, new[] { branch }, from, prefix, level + 1, depth, null)).ToList();
                long channels = ends.Sum(e => e.Output[0]);
                var shape = new[] { channels }.Concat(ends[0].Output.Skip(1)).ToArray();
                bodyEnd = group.Add(NewNode("concat", shape, NodeShape.Hexagon));
                foreach (var end in ends)
                {
                    Edges.Add(new Edge(end, bodyEnd, false));
                }
            }
            else
            {
                bodyEnd = Sequence(group, body, from, prefix, level + 1, depth, null);
            }

            if (block.Parallel)
            {
                bodyEnd = Sequence(group, row.Children.Where(c => c.Placement == LayerPlacement.AfterConcatenation), bodyEnd, prefix, level + 1, depth, null);
            }

            if (block.Shortcut == ShortcutKind.None)
            {
                return Sequence(group, row.Children.Where(c => c.Placement == LayerPlacement.AfterAddition), bodyEnd, prefix, level + 1, depth, null);
            }

            var shortcut = row.Children.Where(c => c.Placement == LayerPlacement.Shortcut).ToList();
            var shortcutEnd = Sequence(group, shortcut, from, prefix, level + 1, depth, null);
            var add = group.Add(NewNode(block.ReluAfterAddition ? "add + ReLU" : "add", bodyEnd.Output, NodeShape.Hexagon));
            Edges.Add(new Edge(bodyEnd, add, false));
            Edges.Add(new Edge(shortcutEnd, add, shortcut.Count == 0 && block.Shortcut == ShortcutKind.Identity));
            return Sequence(group, row.Children.Where(c => c.Placement == LayerPlacement.AfterAddition), add, prefix, level + 1, depth, add);
        }
    }

    /// <summary>Mermaid's entity for a double quote, the one character a quoted label cannot hold.</summary>
    private static string Escape(string text) => text.Replace("\"", "#quot;");
}
