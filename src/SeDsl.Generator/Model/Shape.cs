namespace SeDsl.Generator.Model;

/// <summary>
/// The shape of one sample between layers, as sizes: C x H x W, or a flat vector of <see cref="Channels"/> features.
/// In a network every size is a number; in a block's own module the channels are expressions over its parameters and
/// height and width are unknown.
/// </summary>
internal sealed record Dims(Expr Channels, Expr Height, Expr Width, bool Flat)
{
    public static Dims Spatial(Expr channels, Expr height, Expr width) => new(channels, height, width, false);

    public static Dims Features(Expr features) => new(features, Expr.One, Expr.One, true);

    /// <summary>An input not known at all: applying a layer to it checks only the layer's own arguments.</summary>
    public static readonly Dims Unknown = new(Expr.Unknown.Instance, Expr.Unknown.Instance, Expr.Unknown.Instance, false);

    public bool IsUnknown => Channels is Expr.Unknown;

    /// <summary>The numbers, when all three sizes are known.</summary>
    public Shape? Known => Channels.Constant is { } c && Height.Constant is { } h && Width.Constant is { } w ? new Shape(c, h, w, Flat) : null;

    public override string ToString() => Known?.ToString() ?? (Flat ? "features" : "C x H x W");
}

/// <summary>A shape in numbers: C x H x W, or a flat vector of <see cref="Channels"/> features.</summary>
internal sealed record Shape(long Channels, long Height, long Width, bool Flat)
{
    public static Shape Spatial(long channels, long height, long width) => new(channels, height, width, false);

    public static Shape Features(long features) => new(features, 1, 1, true);

    public Dims ToDims() => new(Channels, Height, Width, Flat);

    public override string ToString() => Flat ? $"{Channels}" : $"{Channels}x{Height}x{Width}";
}
