namespace SeDsl.Generator.Model;

/// <summary>The shape of one sample between layers: C x H x W, or a flat vector of <see cref="Channels"/> features.</summary>
internal sealed record Shape(long Channels, long Height, long Width, bool Flat)
{
    public static Shape Spatial(long channels, long height, long width) => new(channels, height, width, false);

    public static Shape Features(long features) => new(features, 1, 1, true);

    public override string ToString() => Flat ? $"{Channels}" : $"{Channels}x{Height}x{Width}";
}

/// <summary>
/// One analysed layer: its declaration, shapes, exact counts, and the values the analysis resolved
/// (groups and padding of convolutions, the reduced width of an SE block).
/// </summary>
internal sealed record LayerPlan(
    LayerSpec Spec,
    Shape Input,
    Shape Output,
    long Parameters,
    long MultiplyAdds,
    long Groups,
    long Padding,
    long ReducedChannels)
{
    /// <summary>For a stage: the input channels of each of its blocks, which the generated constructor passes on.</summary>
    public EquatableArray<long> BlockInputs { get; init; }
}

/// <summary>A fully analysed, valid network: everything the emitter needs, and nothing else.</summary>
/// <param name="RequiresInputSize">
/// True when the head flattens more than one spatial position, so the network accepts only the declared height and width.
/// </param>
internal sealed record NetworkPlan(
    string Namespace,
    string ClassName,
    Shape Input,
    EquatableArray<LayerPlan> Layers,
    long Parameters,
    long MultiplyAdds,
    bool RequiresInputSize)
{
    public Shape Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;
}
