using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SeDsl;

/// <summary>One row of a <see cref="NetworkSummary"/>: a layer, its output shape and its cost.</summary>
/// <param name="Name">Submodule name (the field name), as in the state_dict keys.</param>
/// <param name="Kind">Layer kind, e.g. <c>Conv2d</c>.</param>
/// <param name="OutputShape">Output shape of one sample: [C, H, W], or [F] after flattening.</param>
/// <param name="Parameters">Learnable parameters of the layer (buffers such as running statistics excluded).</param>
/// <param name="MultiplyAdds">Multiply-accumulate operations for one sample (see <see cref="NetworkSummary"/>).</param>
public sealed record LayerSummary(string Name, string Kind, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds)
{
    /// <summary><c>conv1 Conv2d [32, 32, 32]: 864 parameters, 884,736 multiply-adds</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {Kind} {TensorEntry.FormatShape(OutputShape)}: {Parameters:N0} parameters, {MultiplyAdds:N0} multiply-adds");
}

/// <summary>
/// The compile-time summary of a network: per-layer output shapes, parameter counts and multiply-adds.
/// </summary>
/// <remarks>
/// Multiply-adds (MACs) count, per sample, convolutions (Cout x Hout x Wout x Cin/groups x k x k), linear layers
/// (in x out) and the two fully connected layers of each Squeeze-and-Excitation block (C x C/r each). Biases,
/// batch normalisation, activations, pooling, additions and the SE channel scaling are not counted.
/// FLOPs, where quoted, are 2 x MACs.
/// </remarks>
public sealed class NetworkSummary
{
    /// <summary>Creates a summary; the generator calls this with compile-time values.</summary>
    /// <param name="name">The network's class name.</param>
    /// <param name="input">Input shape of one sample.</param>
    /// <param name="layers">The layers in data-flow order.</param>
    /// <param name="diagram">The architecture as a Mermaid flowchart, or empty.</param>
    public NetworkSummary(string name, IReadOnlyList<long> input, IReadOnlyList<LayerSummary> layers, string diagram = "")
    {
        Name = name;
        Input = input;
        Layers = layers;
        Diagram = diagram;
        Parameters = layers.Sum(l => l.Parameters);
        MultiplyAdds = layers.Sum(l => l.MultiplyAdds);
    }

    /// <summary>The network's class name.</summary>
    public string Name { get; }

    /// <summary>
    /// The architecture as a Mermaid flowchart (<c>flowchart TD</c>): one node per layer with its output shape, stages and
    /// blocks collapsed to one node each, batch norm and activations folded into the node they follow.
    /// </summary>
    public string Diagram { get; }

    /// <summary>Input shape of one sample, [C, H, W].</summary>
    public IReadOnlyList<long> Input { get; }

    /// <summary>The layers in data-flow order.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Output shape of one sample: the last layer's output shape.</summary>
    public IReadOnlyList<long> Output => Layers.Count == 0 ? Input : Layers[^1].OutputShape;

    /// <summary>Total learnable parameters.</summary>
    public long Parameters { get; }

    /// <summary>Total multiply-adds for one sample.</summary>
    public long MultiplyAdds { get; }

    /// <summary>Formats a shape as <c>3x224x224</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> shape) =>
        string.Join("x", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A fixed-width table: one row per layer, then the totals.</summary>
    public override string ToString()
    {
        var rows = new List<string[]> { new[] { "Layer", "Kind", "Output", "Parameters", "Mult-adds" } };
        rows.AddRange(Layers.Select(l => new[] { l.Name, l.Kind, FormatShape(l.OutputShape), Count(l.Parameters), Count(l.MultiplyAdds) }));
        rows.Add(new[] { "Total", "", FormatShape(Output), Count(Parameters), Count(MultiplyAdds) });
        int[] widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();

        var text = new StringBuilder();
        text.Append(Name).Append(": input ").Append(FormatShape(Input)).Append(", ")
            .Append(Count(Parameters)).Append(" parameters, ")
            .Append((MultiplyAdds / 1e6).ToString("0.###", CultureInfo.InvariantCulture)).Append(" M multiply-adds per sample").Append('\n');
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == 1 || r == rows.Count - 1)
            {
                text.Append(new string('-', widths.Sum() + 8)).Append('\n');
            }

            var row = rows[r];
            text.Append(row[0].PadRight(widths[0])).Append("  ")
                .Append(row[1].PadRight(widths[1])).Append("  ")
                .Append(row[2].PadRight(widths[2])).Append("  ")
                .Append(row[3].PadLeft(widths[3])).Append("  ")
                .Append(row[4].PadLeft(widths[4])).Append('\n');
        }

        return text.ToString();
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
