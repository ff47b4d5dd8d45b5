using System;
using System.Collections.Generic;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// What a layer's declared sizes mean where it is applied. In a network there are no parameters. In one instance of a
/// block every parameter, <c>inChannels</c> and the block's stride are numbers. In the block's own module they stay
/// names, which the generated constructor takes. Findings inside a block name the layer with the instance's prefix
/// (<c>layer2.0.conv2</c>).
/// </summary>
internal sealed class Scope
{
    private static readonly IReadOnlyDictionary<string, DslType> NoTypes = new Dictionary<string, DslType>();
    private readonly IReadOnlyDictionary<string, Expr> values;
    private readonly IReadOnlyDictionary<string, DslType> types;

    private Scope(IReadOnlyDictionary<string, Expr> values, IReadOnlyDictionary<string, DslType> types, Expr? blockStride, string prefix, BlockTable blocks, IBlockComposer composer, ImmutableVisit visiting, Work work)
    {
        Work = work;
        this.values = values;
        this.types = types;
        Composer = composer;
        BlockStride = blockStride;
        Prefix = prefix;
        Blocks = blocks;
        Visiting = visiting;
    }

    /// <summary>The name under which expressions refer to a block's input channels.</summary>
    public const string InChannels = "inChannels";

    /// <summary>The name by which a stage's arguments refer to the position of the block being created, from 0.</summary>
    public const string StageIndex = "index";

    /// <summary>The name of a block's stride in its own module.</summary>
    public const string StrideName = "stride";

    /// <summary>The block's stride; null outside blocks.</summary>
    public Expr? BlockStride { get; }

    public string Prefix { get; }

    public BlockTable Blocks { get; }

    /// <summary>Applies the blocks that stages and used blocks name.</summary>
    public IBlockComposer Composer { get; }

    /// <summary>The blocks being applied, outermost first, to detect a block that contains itself.</summary>
    public ImmutableVisit Visiting { get; }

    /// <summary>The layer count and cancellation of the class being analysed, shared by every scope inside it.</summary>
    public Work Work { get; }

    public static Scope Network(BlockTable blocks, IBlockComposer composer, Work work) => new(new Dictionary<string, Expr>(), NoTypes, null, "", blocks, composer, ImmutableVisit.Empty, work);

    /// <summary>A block's body, with <paramref name="values"/> for its parameters and input channels.</summary>
    public Scope Enter(BlockSpec block, IReadOnlyDictionary<string, Expr> values, Expr stride, string prefix) =>
        new(values, types, stride, prefix, Blocks, Composer, Visiting.Add(block.Type.MetadataName), Work);

    /// <summary>A network family's layers in one of its networks: <paramref name="values"/> for its parameters, no block stride.</summary>
    public Scope Family(BlockSpec family, IReadOnlyDictionary<string, Expr> values) =>
        new(values, types, null, "", Blocks, Composer, Visiting.Add(family.Type.MetadataName), Work);

    /// <summary>This scope with <paramref name="name"/> given <paramref name="value"/> (a stage's <c>index</c>), unless the scope already names it.</summary>
    public Scope With(string name, Expr value)
    {
        if (values.ContainsKey(name))
        {
            return this;
        }

        var more = new Dictionary<string, Expr>(StringComparer.Ordinal) { [name] = value };
        foreach (var pair in values)
        {
            more[pair.Key] = pair.Value;
        }

        return new(more, types, BlockStride, Prefix, Blocks, Composer, Visiting, Work);
    }

    /// <summary>The type of a name that values in this scope may still contain (a block parameter in a block's own module).</summary>
    public DslType? TypeOf(string name) => types.TryGetValue(name, out var type) ? type : null;

    /// <summary>
    /// Whether a layer with the condition <paramref name="when"/> exists here: true or false when the condition is known,
    /// null when it is decided at run time (a block's own module). A condition that cannot be computed reports SEDSL106.
    /// </summary>
    public bool? Exists(Expr when, string layer, FindingSink sink, out Expr condition)
    {
        condition = Expr.Truth.True;
        if (when.IsTrue == true)
        {
            return true;
        }

        var value = Size(when, layer, "When", sink);
        condition = value ?? Expr.Truth.False;
        return value?.IsTrue ?? (value is null ? false : null);
    }

    /// <summary>A block's own module: every parameter, <c>inChannels</c> and <c>stride</c> a name.</summary>
    public static Scope Symbolic(BlockSpec block, BlockTable blocks, IBlockComposer composer, Work work)
    {
        var names = new Dictionary<string, Expr>(StringComparer.Ordinal) { [InChannels] = new Expr.Name(InChannels), [StrideName] = new Expr.Name(StrideName) };
        foreach (var parameter in block.Parameters)
        {
            names[parameter.Name] = new Expr.Name(parameter.Name);
        }

        var types = new Dictionary<string, DslType>(StringComparer.Ordinal) { [InChannels] = DslType.Int, [StrideName] = DslType.Int };
        foreach (var parameter in block.Parameters)
        {
            types[parameter.Name] = parameter.Type;
        }

        return new(names, types, new Expr.Name(StrideName), "", blocks, composer, ImmutableVisit.Empty.Add(block.Type.MetadataName), work);
    }

    /// <summary>
    /// A declared size in this scope; null after reporting SEDSL106 when it cannot be computed (division by zero,
    /// overflow). Names were checked against the block's parameters when the declaration was parsed. A size must fit an
    /// int unless <paramref name="fitsInt"/> is false (a custom layer's declared counts).
    /// </summary>
    public Expr? Size(Expr declared, string layer, string argument, FindingSink sink, bool fitsInt = true)
    {
        Expr value;
        try
        {
            value = declared.Substitute(n => values.TryGetValue(n, out var v) ? v : null);
        }
        catch (SizeException e)
        {
            sink.Add(DiagnosticIds.InvalidExpression, argument, layer, declared.ToString(), "it " + e.Reason);
            return null;
        }

        // Declared sizes are ints in the attributes and the blocks' parameters; a computed one must fit too.
        if (fitsInt && value.Constant is > int.MaxValue or < int.MinValue)
        {
            sink.Add(DiagnosticIds.CountOverflow, argument, layer, argument switch
            {
                "OutChannels" => "output channels",
                "R" => "reduction ratio",
                _ => "block arguments",
            });
            return null;
        }

        return value;
    }

    /// <summary>A declared value in this scope that must satisfy <paramref name="ok"/> (SEDSL102 otherwise, when it is a number).</summary>
    public Expr? Checked(Expr declared, string layer, string argument, FindingSink sink, Func<long, bool> ok, string rule) =>
        Size(declared, layer, argument, sink) is { } value && sink.Require(value, ok, layer, argument, rule) ? value : null;

    /// <summary>A declared stride in this scope; null after reporting <c>Strides.OfBlock</c> outside a block.</summary>
    public Expr? Stride(Stride declared, string layer, FindingSink sink)
    {
        if (declared is Stride.Fixed f)
        {
            var value = Size(f.Value, layer, "Stride", sink);
            return value is not null && sink.Require(value, v => v >= 1, layer, "Stride", "at least 1 (Strides.OfBlock only inside a block)") ? value : null;
        }

        if (BlockStride is null)
        {
            sink.Add(DiagnosticIds.InvalidArgument, "Stride", layer, "Stride", "at least 1 (Strides.OfBlock only inside a block)", "Strides.OfBlock", "Layer");
        }

        return BlockStride;
    }
}

/// <summary>An immutable set of block names, for recursion checks.</summary>
internal sealed class ImmutableVisit
{
    private readonly ImmutableVisit? parent;
    private readonly string? name;

    private ImmutableVisit(ImmutableVisit? parent, string? name)
    {
        this.parent = parent;
        this.name = name;
    }

    public static readonly ImmutableVisit Empty = new(null, null);

    public ImmutableVisit Add(string block) => new(this, block);

    public bool Contains(string block)
    {
        for (var v = this; v is not null; v = v.parent)
        {
            if (v.name == block)
            {
                return true;
            }
        }

        return false;
    }
}
