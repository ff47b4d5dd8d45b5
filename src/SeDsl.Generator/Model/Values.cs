namespace SeDsl.Generator.Model;

/// <summary>A stride as declared: a fixed number, or the stride the enclosing block was created with.</summary>
internal abstract record Stride
{
    /// <summary>A number, or inside a block an expression over its parameters.</summary>
    public sealed record Fixed(Expr Value) : Stride;

    /// <summary><c>Strides.OfBlock</c>: the block's stride (valid inside blocks only).</summary>
    public sealed record OfBlock : Stride
    {
        public static readonly OfBlock Instance = new();
    }

    public static readonly Stride One = new Fixed(Expr.One);

    /// <summary>Whether this is the block's stride, or an expression that uses it (<c>"caffe ? stride : 1"</c>).</summary>
    public bool UsesBlockStride => this is OfBlock || (this is Fixed f && System.Linq.Enumerable.Contains(f.Value.Names(), Scope.StrideName));
}

/// <summary>Zero padding as declared: a number of rows and columns on each side, or "same" (<c>Pad.Same</c>).</summary>
internal abstract record Padding
{
    /// <summary>A number, or inside a block an expression over its parameters.</summary>
    public sealed record Explicit(Expr Value) : Padding;

    /// <summary>Keeps the input's height and width: dilation x (kernel - 1) / 2 per dimension.</summary>
    public sealed record Same : Padding
    {
        public static readonly Same Instance = new();
    }

    public static readonly Padding None = new Explicit(Expr.Zero);
}

/// <summary>
/// Where a layer of a block sits: on the body (the default; in a parallel block, a branch), on a residual block's
/// shortcut, after its addition, or after a parallel block's concatenation (part of the body, before any addition). The
/// names match <c>SeDsl.LayerPlacement</c>'s.
/// </summary>
internal enum Placement
{
    Body,
    Shortcut,
    AfterAddition,
    AfterConcatenation,
}
