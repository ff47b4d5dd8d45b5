using System;
using System.Collections.Generic;
using System.Globalization;

namespace SeDsl;

/// <summary>Which path of a residual or parallel block a layer is on.</summary>
public enum LayerPlacement
{
    /// <summary>The block's body (or, in a block with parallel branches, one branch).</summary>
    Body = 0,

    /// <summary>The shortcut: the projection and the layers marked <c>[OnShortcut]</c>.</summary>
    Shortcut = 1,

    /// <summary>After the residual addition (<c>[AfterAddition]</c>).</summary>
    AfterAddition = 2,

    /// <summary>After the concatenation of a parallel block's branches (<c>[AfterConcatenation]</c>).</summary>
    AfterConcatenation = 3,
}

/// <summary>How a residual block's input reaches the addition.</summary>
public enum ShortcutKind
{
    /// <summary>The block is not residual.</summary>
    None = 0,

    /// <summary>The input itself (same shape as the body's output).</summary>
    Identity = 1,

    /// <summary>A k x k convolution with the block's stride, then batch norm (torchvision's <c>downsample</c>).</summary>
    Projection = 2,
}

/// <summary>The structure of one block as applied: its shortcut and whether its body layers are parallel branches.</summary>
/// <param name="Shortcut">The residual shortcut of this instance.</param>
/// <param name="Parallel">Whether the body layers run on the same input and are concatenated on channels.</param>
/// <param name="ReluAfterAddition">Whether a ReLU follows the residual addition (part of the block, not a layer).</param>
public sealed record BlockStructure(ShortcutKind Shortcut, bool Parallel, bool ReluAfterAddition);

/// <summary>One row of a <see cref="NetworkSummary"/>: a layer, its output shape and its cost; stages and blocks have children.</summary>
/// <param name="Name">Submodule name (the field name, or a stage's block index), as in the state_dict keys.</param>
/// <param name="Kind">Layer kind, e.g. <c>Conv2d</c>; a stage reads <c>Bottleneck x3</c>.</param>
/// <param name="OutputShape">Output shape of one sample: [C, H, W], or [F] after flattening.</param>
/// <param name="Parameters">Learnable parameters of the layer and everything inside it (buffers excluded).</param>
/// <param name="MultiplyAdds">Multiply-accumulate operations for one sample (see <see cref="NetworkSummary"/>).</param>
public sealed record LayerSummary(string Name, string Kind, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds)
{
    /// <summary>Elements of the registered buffers inside the layer: per batch norm its running mean and variance (C each) and num_batches_tracked (1).</summary>
    public long Buffers { get; init; }

    /// <summary>The excitation width (reduced channels) of a Squeeze-and-Excitation layer; zero for other kinds.</summary>
    public long ReducedChannels { get; init; }

    /// <summary>Where the layer sits in the residual block that contains it.</summary>
    public LayerPlacement Placement { get; init; }

    /// <summary>For a block as applied (a stage's child, a used block): its structure; null otherwise.</summary>
    public BlockStructure? Block { get; init; }

    /// <summary>
    /// The rows inside: a stage's blocks (named 0, 1, ...), a block's layers (and its projection, <c>downsample</c>, whose
    /// children are the convolution <c>0</c> and the batch norm <c>1</c>); empty for a plain layer.
    /// </summary>
    public IReadOnlyList<LayerSummary> Children { get; init; } = Array.Empty<LayerSummary>();

    /// <summary><c>conv1 Conv2d [32, 32, 32]: 864 parameters, 884,736 multiply-adds</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {Kind} {TensorEntry.FormatShape(OutputShape)}: {Parameters:N0} parameters, {MultiplyAdds:N0} multiply-adds");
}
