using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SeDsl;

/// <summary>
/// The compile-time summary of a network: per-layer output shapes, parameter, buffer and multiply-add counts, stages and
/// blocks with their insides, and the estimates of memory that follow from them.
/// </summary>
/// <remarks>
/// <para>Multiply-adds (MACs) count, per sample, convolutions (Cout x Hout x Wout x Cin/groups x k x k), linear layers
/// (in x out) and the two fully connected layers of each Squeeze-and-Excitation block (C x C/r each). Biases,
/// batch normalisation, activations, pooling, additions and the SE channel scaling are not counted (fvcore's convention).
/// FLOPs, where quoted, are 2 x MACs.</para>
/// <para>Every parameter of a generated network is trainable (<c>requires_grad</c>); buffers are batch norm's running
/// statistics (float32, C each for mean and variance) and its num_batches_tracked (one int64 each).</para>
/// </remarks>
public sealed class NetworkSummary
{
    /// <summary>Creates a summary; the generator calls this with compile-time values.</summary>
    /// <param name="name">The network's class name.</param>
    /// <param name="input">Input shape of one sample.</param>
    /// <param name="layers">The layers in data-flow order.</param>
    public NetworkSummary(string name, IReadOnlyList<long> input, IReadOnlyList<LayerSummary> layers)
    {
        Name = name;
        Input = input;
        Layers = layers;
        Parameters = layers.Sum(l => l.Parameters);
        MultiplyAdds = layers.Sum(l => l.MultiplyAdds);
        Buffers = layers.Sum(l => l.Buffers);
        BatchNorms = Leaves(layers).Count(l => l.Kind == "BatchNorm2d");
        ActivationElements = Leaves(layers).Sum(l => l.OutputShape.Aggregate(1L, (p, d) => checked(p * d)));
    }

    /// <summary>The network's class name.</summary>
    public string Name { get; }

    /// <summary>Input shape of one sample, [C, H, W].</summary>
    public IReadOnlyList<long> Input { get; }

    /// <summary>The layers in data-flow order (stages and used blocks with their <see cref="LayerSummary.Children"/>).</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Output shape of one sample: the last layer's output shape.</summary>
    public IReadOnlyList<long> Output => Layers.Count == 0 ? Input : Layers[^1].OutputShape;

    /// <summary>Total learnable parameters.</summary>
    public long Parameters { get; }

    /// <summary>Parameters that train (<c>requires_grad</c>): all of them in a generated network.</summary>
    public long TrainableParameters => Parameters;

    /// <summary>Parameters that do not train: none in a generated network (buffers are not parameters).</summary>
    public long NonTrainableParameters => Parameters - TrainableParameters;

    /// <summary>Elements of all registered buffers: per batch norm 2 C running statistics and 1 num_batches_tracked.</summary>
    public long Buffers { get; }

    /// <summary>The batch norm layers, projections' included (each has one num_batches_tracked buffer).</summary>
    public int BatchNorms { get; }

    /// <summary>Total multiply-adds for one sample.</summary>
    public long MultiplyAdds { get; }

    /// <summary>Elements of every layer's output for one sample (innermost layers only, as if all were kept).</summary>
    public long ActivationElements { get; }

    /// <summary>Bytes of the parameters in float32.</summary>
    public long ParameterBytes => checked(Parameters * 4);

    /// <summary>Bytes of the buffers: running statistics in float32, num_batches_tracked in int64.</summary>
    public long BufferBytes => checked(((Buffers - BatchNorms) * 4) + (BatchNorms * 8L));

    /// <summary>Bytes of one float32 input batch.</summary>
    public long InputBytes(int batchSize) => checked(batchSize * Input.Aggregate(4L, (p, d) => p * d));

    /// <summary>
    /// Activation memory of a forward pass for inference, float32: every layer's output for the batch, as if none were
    /// freed (the convention of torchinfo's "forward pass size"; an upper bound, since inference frees each output once read).
    /// </summary>
    public long InferenceActivationBytes(int batchSize) => checked(batchSize * ActivationElements * 4);

    /// <summary>
    /// Activation memory of a training step, float32: the forward outputs, which autograd keeps (saves) for the backward
    /// pass, plus a gradient of the same size for each: twice <see cref="InferenceActivationBytes"/> (torchinfo's
    /// "forward/backward pass size").
    /// </summary>
    public long TrainingActivationBytes(int batchSize) => checked(2 * InferenceActivationBytes(batchSize));

    /// <summary>Formats a shape as <c>3x224x224</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> shape) =>
        string.Join("x", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The architecture as a Mermaid flowchart (<c>flowchart TD</c>), as deep as Mermaid's default limits allow (see
    /// <see cref="ToMermaid"/>): residual shortcuts and parallel branches drawn, blocks as subgraphs.
    /// </summary>
    public string Diagram => diagram ??= MermaidWriter.Deepest(this);

    private string? diagram;

    /// <summary>
    /// The architecture as a Mermaid flowchart to <paramref name="depth"/>: 1 draws the network's own layers (a stage or
    /// block as one node), 2 opens stages into their blocks and used blocks into their layers, and so on. Open blocks are
    /// subgraphs with their shortcut (dotted for identity) and their branches; batch norm and activations are folded
    /// into the node they follow.
    /// </summary>
    public string ToMermaid(int depth = int.MaxValue) => MermaidWriter.Write(this, depth);

    /// <summary>
    /// A table in the manner of torchinfo: one row per layer to <paramref name="depth"/> (1: the network's own layers;
    /// 2: stages open into their blocks; 3: blocks into their layers), then totals, buffers, MACs and memory for
    /// <paramref name="batchSize"/> samples, each with its convention.
    /// </summary>
    public string ToText(int depth = 1, int batchSize = 1) => SummaryTable.Write(this, depth, batchSize);

    /// <summary>The table of <see cref="ToText"/> at depth 1 for one sample.</summary>
    public override string ToString() => ToText();

    /// <summary>The rows without children, depth first.</summary>
    internal static IEnumerable<LayerSummary> Leaves(IEnumerable<LayerSummary> rows)
    {
        foreach (var row in rows)
        {
            if (row.Children.Count == 0)
            {
                yield return row;
            }
            else
            {
                foreach (var leaf in Leaves(row.Children))
                {
                    yield return leaf;
                }
            }
        }
    }
}
