namespace SeDsl.Generator.Model;

/// <summary>
/// Applies blocks to an input: the analysis implements it, so that the layers that use blocks can name their rule here
/// while the composition (residual shortcuts, branches, recursion) stays in one place.
/// </summary>
internal interface IBlockComposer
{
    LayerResult? Stage(StageSpec stage, Dims input, Scope scope, FindingSink sink);

    LayerResult? Use(UseSpec use, Dims input, Scope scope, FindingSink sink);
}

/// <summary>
/// <c>[Stage]</c>: <see cref="Block"/> repeated <see cref="Blocks"/> times, the first with <see cref="Stride"/>, each given
/// <see cref="Arguments"/> for the block's parameters. Generated as a <c>Sequential</c> whose children are 0, 1, ... (or <see cref="ChildKey"/>'s names)
/// </summary>
internal sealed record StageSpec(string Name, BlockRef Block, Expr Blocks, EquatableArray<Expr> Arguments, Stride Stride) : LayerSpec(Name)
{
    /// <summary>The name of each block in the stage, <c>#</c> standing for its index (<c>ChildKey</c>, checked when parsed).</summary>
    public string ChildKey { get; init; } = StateKey.Append;

    /// <summary>The block options this stage sets for its blocks (<c>Residual = false</c>, ...); none by default.</summary>
    public BlockOptions Options { get; init; } = BlockOptions.None;

    /// <summary>The first block's arguments when they differ from the others' (<c>First = new object[] { ... }</c>); null: all take <see cref="Arguments"/>.</summary>
    public EquatableArray<Expr>? First { get; init; }

    /// <summary>Whether the blocks' layers are written in the network's place of the stage (<c>Inline = true</c>): no module of its own.</summary>
    public bool Inline { get; init; }

    public override string Kind => $"{Block.Name} x{Blocks}";

    public override bool AppliesBlockStride => Stride.UsesBlockStride;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink) => scope.Composer.Stage(this, input, scope, sink);
}

/// <summary><c>[Use]</c>: one block as a layer; arguments may be expressions over the enclosing block's parameters.</summary>
internal sealed record UseSpec(string Name, BlockRef Block, EquatableArray<Expr> Arguments, Stride Stride) : LayerSpec(Name)
{
    /// <summary>The block options this use sets (<c>Residual = false</c>, ...); none by default.</summary>
    public BlockOptions Options { get; init; } = BlockOptions.None;

    /// <summary>Whether the block's layers are written in the network's place of the use (<c>Inline = true</c>): no module of its own.</summary>
    public bool Inline { get; init; }

    public override string Kind => Block.Name;

    public override bool AppliesBlockStride => Stride.UsesBlockStride;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink) => scope.Composer.Use(this, input, scope, sink);
}
