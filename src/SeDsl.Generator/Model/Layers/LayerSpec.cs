namespace SeDsl.Generator.Model;

/// <summary>
/// One declared layer: the field name (its submodule name) and the attribute's values, typed. Each layer kind is one
/// record in one file of this folder, holding everything the generator knows about it: how it reads its attribute
/// (through <see cref="IAttributeArguments"/>), its argument checks, its shape and count rule over <see cref="Expr"/>
/// (evaluated for networks, kept symbolic for blocks), its construction, and its traits on the fast paths.
/// </summary>
internal abstract record LayerSpec(string Name)
{
    /// <summary>Where the layer sits in a residual or parallel block (<c>[OnShortcut]</c>, <c>[AfterAddition]</c>, <c>[AfterConcatenation]</c>).</summary>
    public Placement Placement { get; init; }

    /// <summary>The submodule's state_dict path when the attribute sets <c>Key</c>; null for the field name.</summary>
    public StateKey? Key { get; init; }

    /// <summary>The field's identifier as written in C#, e.g. <c>@class</c> for the submodule named <c>class</c>.</summary>
    public string Identifier { get; init; } = Name;

    /// <summary>The field's type as declared, fully qualified and without a nullable annotation (<c>global::TorchSharp.Modules.Conv2d</c>).</summary>
    public string FieldType { get; init; } = "";

    /// <summary>
    /// Whether the layer is a block's, written in a network in place of an inline stage or use: its name is the use's and
    /// the block layer's (<c>conv1_2_bn</c>), and the network's generated part declares its field.
    /// </summary>
    public bool Inlined { get; init; }

    /// <summary>Whether the field's type is a base of the layer's module (<c>Module&lt;Tensor, Tensor&gt;</c>), so members of the module itself need a cast.</summary>
    public bool FieldHoldsBase { get; init; }

    /// <summary>
    /// The layer's <c>When</c> condition over the block's parameters: the layer exists only where it holds (true when not
    /// written). Evaluated where the layer is applied (<c>LayerRunner</c>), so every kind is optional in the same way.
    /// </summary>
    public Expr When { get; init; } = Expr.Truth.True;

    /// <summary>The layer kind as users write it, e.g. <c>Conv2d</c>; also the summary's "kind" column.</summary>
    public abstract string Kind { get; }

    /// <summary>Whether the layer needs a C x H x W input (most do; activations, dropout, identity and linear do not).</summary>
    public virtual bool NeedsSpatialInput => true;

    /// <summary>Whether autograd keeps none of this layer's output for its backward pass, so a following ReLU may overwrite it.</summary>
    public virtual bool KeepsNoOutputForBackward => false;

    /// <summary>Whether the layer applies the stride of the block it is in (its stride is <c>Strides.OfBlock</c>).</summary>
    public virtual bool AppliesBlockStride => false;

    /// <summary>Whether the module may return its input or a view of it (so its result is no fresh temporary).</summary>
    public virtual bool MayReturnInput => false;

    /// <summary>
    /// The layer applied to <paramref name="input"/>: its declared sizes resolved in <paramref name="scope"/>, its
    /// arguments checked, its output shape, counts and construction. Null after reporting why it has no valid output.
    /// </summary>
    public abstract LayerResult? Apply(Dims input, Scope scope, FindingSink sink);

    /// <summary>A result with no parameters and no multiply-adds.</summary>
    protected static LayerResult Free(Dims output, Construction create) => new(output, Expr.Zero, Expr.Zero, create);
}

/// <summary>
/// The attribute's arguments, read by name whether written positionally, as <c>name:</c> or as <c>Name =</c>
/// (case-insensitively), with the attribute's defaults. Parsing implements it over Roslyn's attribute data; sizes
/// written as expression strings are parsed there, once, and a bad one is reported at its position.
/// </summary>
internal interface IAttributeArguments
{
    int Int(string name, int fallback);

    bool Bool(string name, bool fallback);

    double Double(string name, double fallback);

    /// <summary>An integer, or inside a block an expression string; null when the expression did not parse (already reported).</summary>
    Expr? Size(string name, int fallback);

    /// <summary>
    /// A value of type <paramref name="expected"/>: a constant (int, bool, double, enum member), or inside a block an
    /// expression string over its parameters; null after reporting a value of another type or an expression that did not parse.
    /// </summary>
    Expr? Value(string name, Expr fallback, DslType expected);

    /// <summary>The <c>When</c> condition: true when not written.</summary>
    Expr? Condition(string name);

    /// <summary>An integer stride, with <c>Strides.OfBlock</c> read as <see cref="Stride.OfBlock"/>.</summary>
    Stride Stride(string name, int fallback);

    /// <summary>An integer padding, with <c>Pad.Same</c> read as <see cref="Padding.Same"/>.</summary>
    Padding Padding(string name);

    /// <summary>Whether the user wrote the argument.</summary>
    bool Has(string name);

    /// <summary>Reports SEDSL102 on the argument <paramref name="name"/>: a declaration that is wrong for every use, reported once where it is read.</summary>
    void Refuse(string name, string rule, string written);
}
