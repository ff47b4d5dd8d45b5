namespace SeDsl.Generator.Model;

/// <summary>
/// One layer for one input: its output, exact counts (numbers in a network, expressions in a block's own module), how
/// the generated constructor creates it, and for a stage or a used block its instances.
/// </summary>
/// <param name="Create">The module's construction; null for stages and used blocks, which list their <see cref="Instances"/>.</param>
internal sealed record LayerResult(Dims Output, Expr Parameters, Expr MultiplyAdds, Construction? Create)
{
    /// <summary>For a stage: one entry per block; for a used block: one entry.</summary>
    public EquatableArray<BlockInstance> Instances { get; init; }

    /// <summary>The SE width, for summaries; zero for other layers.</summary>
    public Expr ReducedChannels { get; init; } = Expr.Zero;

    /// <summary>Whether a flatten inside this layer (a used block's) sees more than one spatial position.</summary>
    public bool FlattensSpatialInput { get; init; }

    /// <summary>
    /// Where the layer exists: true for a layer that always does, else its <c>When</c> condition as the generated
    /// constructor tests it (a block's own module); a layer whose condition is false is not in the plan at all.
    /// </summary>
    public Expr Condition { get; init; } = Expr.Truth.True;

    /// <summary>Whether the layer exists only when its condition holds at run time.</summary>
    public bool Optional => Condition is not Expr.Truth { Value: true };

    /// <summary>Elements of the layer's registered buffers (batch norm's running statistics), for summaries; zero for most kinds.</summary>
    public Expr Buffers { get; init; } = Expr.Zero;

    /// <summary>For a stage: each block as applied, in order; for a used block: the one; for summaries and diagrams.</summary>
    public EquatableArray<BlockExpansion> Expansions { get; init; }
}

/// <summary>
/// One block as applied to one input: its layers with their results (nested blocks expanded in turn), its totals and its
/// residual shortcut, so that summaries and diagrams can show the block's inside.
/// </summary>
/// <param name="Projection">The projection shortcut made for this input; null for an identity shortcut or no shortcut.</param>
internal sealed record BlockExpansion(BlockSpec Block, Dims Input, Dims Output, Expr Parameters, Expr MultiplyAdds, EquatableArray<BlockLayerPlan> Layers, ProjectionPlan? Projection);

/// <summary>A residual block's projection shortcut for one input: a k x k convolution without bias, then batch norm.</summary>
internal sealed record ProjectionPlan(Dims Output, Expr ConvolutionParameters, Expr MultiplyAdds, Expr BatchNormParameters, Expr BatchNormBuffers);

/// <summary>One created block: its class, input channels, stride and parameter values, as the constructor call passes them.</summary>
internal sealed record BlockInstance(TypeName Block, Expr InChannels, Expr Stride, EquatableArray<NamedSize> Arguments)
{
    /// <summary>The block options the stage or use sets, passed to the constructor by name; none by default.</summary>
    public BlockOptions Options { get; init; } = BlockOptions.None;
}

/// <summary>A named size, such as a block argument <c>planes: 64</c>.</summary>
internal sealed record NamedSize(string Name, Expr Value);

/// <summary>One analysed layer of a network: its declaration, numeric shapes and counts, and its construction.</summary>
internal sealed record LayerPlan(LayerSpec Spec, Shape Input, Shape Output, long Parameters, long MultiplyAdds, LayerResult Result);

/// <summary>A fully analysed, valid network: everything the emitter needs, and nothing else.</summary>
/// <param name="RequiresInputSize">
/// True when a flatten (in the network or inside a used block) sees more than one spatial position, so the network
/// accepts only the declared height and width.
/// </param>
internal sealed record NetworkPlan(TypeName Type, Shape Input, EquatableArray<LayerPlan> Layers, long Parameters, long MultiplyAdds, bool RequiresInputSize)
{
    public Shape Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;

    /// <summary>The family of a network of one, whose generated part declares the layer fields too (the class has none); null otherwise.</summary>
    public TypeName? Family { get; init; }

    /// <summary>The inline stages and uses, in declaration order, whose layers <see cref="Layers"/> holds in their place.</summary>
    public EquatableArray<InlineGroup> Inlined { get; init; }
}

/// <summary>
/// An inline stage or use of a network: its field, which the generated constructor sets to the layers written in its
/// place (<see cref="LayerSpec.Inlined"/>), in order.
/// </summary>
/// <param name="FieldType">The field's type as declared, fully qualified (<c>global::TorchSharp.torch.nn.Module&lt;...&gt;[]</c>).</param>
internal sealed record InlineGroup(string Identifier, string FieldType, EquatableArray<string> Layers);

/// <summary>One layer of a block's own module, with sizes as expressions over the block's parameters.</summary>
internal sealed record BlockLayerPlan(LayerSpec Spec, Dims Input, LayerResult Result);

/// <summary>
/// A valid block, analysed symbolically for its own module: every layer's construction over the block's parameters,
/// <c>inChannels</c> and <c>stride</c>, and the residual shortcut's projection.
/// </summary>
/// <param name="Projection">The projection's output channels (the body's), when the block is residual.</param>
/// <param name="ProjectionWhenChannelsDiffer">Whether the projection also depends on the channel count (not only the stride).</param>
internal sealed record BlockPlan(BlockSpec Spec, EquatableArray<BlockLayerPlan> Layers, Expr? Projection, bool ProjectionWhenChannelsDiffer)
{
    /// <summary>The options some stage or use sets for this block: the module's constructor takes them, with the block's own as defaults.</summary>
    public UseSiteOption Options { get; init; }

    public TypeName Type => Spec.Type;
}
