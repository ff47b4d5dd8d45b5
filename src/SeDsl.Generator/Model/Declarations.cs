namespace SeDsl.Generator.Model;

/// <summary>A top-level class by namespace and name.</summary>
internal sealed record TypeName(string Namespace, string Name)
{
    /// <summary>The metadata name, e.g. <c>SeDsl.Zoo.Bottleneck</c>, by which blocks are looked up.</summary>
    public string MetadataName => Namespace.Length == 0 ? Name : Namespace + "." + Name;

    public override string ToString() => MetadataName;
}

/// <summary>
/// What the user declared in a <c>[Network]</c> class, as plain values: no Roslyn symbols, syntax or locations, and no
/// other class's contents (blocks are referenced by name). Equal declarations give equal specs.
/// </summary>
/// <param name="Input">The declared input shape values, as written (validated by the analysis).</param>
internal sealed record NetworkSpec(TypeName Type, EquatableArray<int> Input, EquatableArray<LayerSpec> Layers)
{
    /// <summary>A family's parameters (its <c>[Param]</c> fields, in declaration order); empty for a network.</summary>
    public EquatableArray<BlockParameter> Parameters { get; init; } = EquatableArray<BlockParameter>.Empty;

    /// <summary>For a network of a family (<c>[Network(typeof(F), arguments...)]</c>): the family and the arguments; null otherwise.</summary>
    public FamilyRef? Family { get; init; }

    /// <summary>
    /// For a network with an inline stage or use: the names of the members its class declares, which the fields its
    /// generated part declares for the inlined layers must not take; empty otherwise (so other edits stay cached).
    /// </summary>
    public EquatableArray<string> Declared { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The family as the block table holds it: its parameters and layers, as a block's would be.</summary>
    public BlockSpec AsBlock() => new(Type, Parameters, false, false, false, false, 1, 1.0, Layers);
}

/// <summary>
/// The family a network belongs to, by name (resolved in the block table where the model is combined), and the values
/// of the family's parameters, as written.
/// </summary>
/// <param name="Declared">The names of the members the network's class declares, which the fields its generated part declares must not take.</param>
internal sealed record FamilyRef(BlockRef Family, EquatableArray<Expr> Arguments, EquatableArray<string> Declared);

/// <summary>A <c>[Block]</c> class: its parameters (in declaration order) and body layers, as plain values.</summary>
/// <param name="ShortcutKernel">Kernel of the projection shortcut's convolution (odd).</param>
/// <param name="ResidualScale">The factor on the body's output before a residual addition (Inception-ResNet); 1 for none.</param>
internal sealed record BlockSpec(
    TypeName Type,
    EquatableArray<BlockParameter> Parameters,
    bool Residual,
    bool ShortcutIdentityOrNone,
    bool ReluAfterAddition,
    bool Parallel,
    int ShortcutKernel,
    double ResidualScale,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>The projection shortcut's submodule name: <c>downsample</c>, or as <c>[Block(ShortcutName = ...)]</c> says.</summary>
    public string ShortcutName { get; init; } = "downsample";

    /// <summary>Whether the projection shortcut is registered before the body's layers (<c>[Block(ShortcutFirst = true)]</c>).</summary>
    public bool ShortcutFirst { get; init; }
}

/// <summary>
/// A block as a <c>[Stage]</c> or <c>[Use]</c> names it: by metadata name, resolved against the block table when the
/// model is combined, never by reading the block's declaration.
/// </summary>
/// <param name="Assembly">The name of the referenced assembly that declares the block class; null when this compilation declares it.</param>
internal sealed record BlockRef(TypeName Type, string? Assembly)
{
    public string Name => Type.Name;
}

/// <summary>Every block of the compilation by metadata name; a block whose declaration has errors has a null spec.</summary>
internal sealed record BlockTable(EquatableArray<BlockEntry> Entries)
{
    private System.Collections.Generic.Dictionary<string, BlockEntry>? byName;

    public BlockEntry? Find(BlockRef block)
    {
        if (byName is null)
        {
            var map = new System.Collections.Generic.Dictionary<string, BlockEntry>(System.StringComparer.Ordinal);
            foreach (var entry in Entries)
            {
                map[entry.MetadataName] = entry;
            }

            byName = map;
        }

        return byName.TryGetValue(block.Type.MetadataName, out var found) ? found : null;
    }

    public bool Equals(BlockTable? other) => other is not null && Entries.Equals(other.Entries);

    public override int GetHashCode() => Entries.GetHashCode();
}

/// <summary>One row of the <see cref="BlockTable"/>.</summary>
/// <param name="Layers">Where the block's layers are declared, so that a finding inside one instance of the block is located in the block.</param>
internal sealed record BlockEntry(string MetadataName, BlockSpec? Spec, EquatableArray<LayerSource> Layers = default)
{
    /// <summary>Whether the row is a network family (a <c>[Network]</c> class with parameters), which stages and uses cannot name.</summary>
    public bool IsFamily { get; init; }

    /// <summary>A family's declared input shape, as written; empty for a block and for a family of a family.</summary>
    public EquatableArray<int> Input { get; init; } = EquatableArray<int>.Empty;

    /// <summary>
    /// For a family that is a network of another family (<c>[Network(typeof(F), ...)]</c> with <c>[Param]</c> fields): F
    /// and its arguments, written over this family's parameters; null otherwise.
    /// </summary>
    public FamilyRef? Base { get; init; }
}

/// <summary>The parse of a <c>[Network]</c> class: the spec (null when it cannot be generated), its locations, and parse diagnostics.</summary>
internal sealed record NetworkParse(TypeName Type, NetworkSpec? Spec, SourceMap Map, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>Whether the class declares <c>[Param]</c> fields, so is a network family, also when its declaration has errors.</summary>
    public bool IsFamily { get; init; }

    /// <summary>What completing the class needs if it has errors (by the parse or the analysis).</summary>
    public ClassOutline? Outline { get; init; }
}

/// <summary>The parse of a <c>[Block]</c> class.</summary>
internal sealed record BlockParse(TypeName Type, BlockSpec? Spec, SourceMap Map, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>What completing the class needs if it has errors (by the parse or the analysis).</summary>
    public ClassOutline? Outline { get; init; }
}

/// <summary>The metadata names of every network and block class, to find names that differ only in case.</summary>
internal sealed record ClassNames(EquatableArray<TypeName> Names);

/// <summary>A network's check input: its parse, the blocks it uses, a namesake in its namespace, whether its hint names need a hash.</summary>
internal sealed record NetworkInput(NetworkParse Parse, BlockTable Blocks, TypeName? Namesake, bool Disambiguate);

/// <summary>A block's check input.</summary>
internal sealed record BlockInput(BlockParse Parse, BlockTable Blocks, TypeName? Namesake, bool Disambiguate)
{
    /// <summary>The options some stage or use of the compilation sets for this block.</summary>
    public UseSiteOption Options { get; init; }
}

/// <summary>A checked network: the plan to emit (null on errors) and every located diagnostic.</summary>
/// <param name="Disambiguate">Another class's name differs from this one's only in letter case (see <c>HintNames</c>).</param>
internal sealed record NetworkCheck(NetworkPlan? Plan, bool Disambiguate, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>For a network family: the part that makes its declaration compile (<c>FamilyEmitter</c>); null otherwise.</summary>
    public FamilyPlan? Family { get; init; }

    /// <summary>The class completed on errors, when there is no plan and the class can be completed.</summary>
    public CompletionPlan? Completion { get; init; }
}

/// <summary>A checked block: the plan to emit (null on errors) and every located diagnostic.</summary>
internal sealed record BlockCheck(BlockPlan? Plan, bool Disambiguate, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>The class completed on errors, when there is no plan and the class can be completed.</summary>
    public CompletionPlan? Completion { get; init; }
}
