using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// Stages and used blocks: resolves the block by reference in the block table (not a block, recursion, errors, argument
/// count are decided here), then applies its layers with the same rules as any network's, in a scope that gives its
/// parameters values: numbers for one instance in a network, names in the block's own module.
/// </summary>
internal sealed class BlockComposer : IBlockComposer
{
    public static readonly BlockComposer Instance = new();

    public LayerResult? Stage(StageSpec stage, Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + stage.Name;
        int before = sink.Count;

        // A number in a network; in a family, a value of its parameters, known for each of its networks.
        long count = scope.Size(stage.Blocks, name, "Blocks", sink)?.Constant ?? 0;
        if (sink.Count == before)
        {
            sink.Require(count >= 1, name, "Blocks", "at least 1", count);
        }

        if (count > Work.MaxStageBlocks)
        {
            sink.Add(DiagnosticIds.StageTooLong, "Blocks", name, FindingSink.Text(count), Work.Limit(Work.MaxStageBlocks));
        }

        var stride = scope.Stride(stage.Stride, name, sink);
        var declared = Resolve(stage.Block, stage.Arguments.Count, name, scope, sink);
        var block = declared is null ? null : Effective(declared, stage.Options, name, scope, sink);
        if (block is not null && stage.Inline && !CanInline(block, "Stage", name, sink))
        {
            return null;
        }

        if (block is not null && stage.First is { } firstCount && !Accepts(block, firstCount.Count))
        {
            sink.Add(DiagnosticIds.FirstArgumentCount, "First", name, block.Type.Name, ArgumentCount(block),
                string.Join(", ", block.Parameters.Select(p => p.Name)), FindingSink.Text(firstCount.Count));
        }

        if (sink.Count != before || block is null || stride is null || input.IsUnknown)
        {
            return null;
        }

        var inner = new List<Finding>();
        var instances = new List<BlockInstance>();
        var expansions = new List<BlockExpansion>();
        var current = input;
        Expr parameters = 0, multiplyAdds = 0;
        bool flattens = false;
        // Arguments that use the stage's index (EfficientNet's drop-path rates) are computed for each block; the others once.
        var firstWritten = stage.First ?? stage.Arguments;
        bool indexed = stage.Arguments.Concat(firstWritten).Any(a => a.Names().Contains(Scope.StageIndex));
        // A stage of one block has no block at index 1, whose arguments ("0.1 / (1 - index)") may not be computable.
        bool second = count > 1 || !indexed;
        var arguments = second ? Arguments(block, stage.Arguments, "arguments", scope.With(Scope.StageIndex, 1), name, sink) : null;
        var first = stage.First is { } written ? Arguments(block, written, "First", scope.With(Scope.StageIndex, 0), name, sink) : indexed ? Arguments(block, stage.Arguments, "arguments", scope.With(Scope.StageIndex, 0), name, sink) : arguments;
        if ((second && arguments is null) || first is null)
        {
            return null;
        }

        WarnIfStrideUnused(block, stage.Stride, name, scope, sink);

        for (int b = 0; b < count; b++)
        {
            scope.Work.Check();
            var blockStride = b == 0 ? stride : Expr.One;
            var values = b == 0 ? first.Value : arguments!.Value;
            if (indexed && b > 1)
            {
                if (Arguments(block, stage.Arguments, "arguments", scope.With(Scope.StageIndex, b), name, sink) is not { } computed)
                {
                    return null;
                }

                values = computed;
            }
            var applied = Apply(block, current, blockStride, values, $"{name}.{FindingSink.Text(b)}.", scope, inner);
            if (applied is null)
            {
                break;
            }

            instances.Add(new BlockInstance(block.Type, current.Channels, blockStride, values) { Options = stage.Options });
            expansions.AddRange(applied.Expansions);
            parameters += applied.Parameters;
            multiplyAdds += applied.MultiplyAdds;
            flattens |= applied.FlattensSpatialInput;
            current = applied.Output;
        }

        // Findings inside the blocks name the inner layer; they are located in the block, with the stage as a second location.
        foreach (var finding in inner)
        {
            sink.Forward(finding, null, block.Type);
        }

        return inner.Count > 0 && inner.Any(f => !DiagnosticIds.IsWarning(f.Id))
            ? null
            : new LayerResult(current, parameters, multiplyAdds, null) { Instances = instances.ToEquatableArray(), FlattensSpatialInput = flattens, Buffers = expansions.Aggregate(Expr.Zero, (sum, e) => sum + Buffers(e)), Expansions = expansions.ToEquatableArray() };
    }

    public LayerResult? Use(UseSpec use, Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + use.Name;
        int before = sink.Count;
        var stride = scope.Stride(use.Stride, name, sink);
        var declared = Resolve(use.Block, use.Arguments.Count, name, scope, sink);
        var block = declared is null ? null : Effective(declared, use.Options, name, scope, sink);
        if (block is not null && use.Inline && !CanInline(block, "Use", name, sink))
        {
            return null;
        }

        if (sink.Count != before || block is null || stride is null || input.IsUnknown)
        {
            return null;
        }

        var arguments = Arguments(block, use.Arguments, "arguments", scope, name, sink);
        if (arguments is null)
        {
            return null;
        }

        WarnIfStrideUnused(block, use.Stride, name, scope, sink);

        // Findings inside the block are reported on this layer, naming the inner layer; an argument they name is looked up
        // on this layer's attribute (a recursion found inside underlines this layer's block), else the attribute.
        var inner = new List<Finding>();
        var applied = Apply(block, input, stride, arguments.Value, name + ".", scope, inner);
        foreach (var finding in inner)
        {
            sink.Forward(finding, finding.Argument, block.Type);
        }

        return applied is null ? null : applied with { Instances = EquatableArray.Of(new BlockInstance(block.Type, input.Channels, stride, arguments.Value) { Options = use.Options }) };
    }

    /// <summary>
    /// SEDSL039 on the block: only a plain sequential block can be written out as layers of the network, since a residual
    /// block's addition and a parallel block's concatenation happen in the block's own <c>forward</c>.
    /// </summary>
    private static bool CanInline(BlockSpec block, string kind, string layer, FindingSink sink)
    {
        string? why = block.Residual ? $"block '{block.Type.Name}' is residual, and its addition needs a module of its own"
            : block.Parallel ? $"block '{block.Type.Name}' is parallel, and its concatenation needs a module of its own"
            : null;
        if (why is not null)
        {
            sink.Add(DiagnosticIds.CannotInline, "block", layer, kind, why);
        }

        return why is null;
    }

    /// <summary>The block a stage or use names; null after reporting why it cannot be used.</summary>
    private static BlockSpec? Resolve(BlockRef reference, int argumentCount, string layer, Scope scope, FindingSink sink)
    {
        if (reference.Assembly is { } assembly)
        {
            // A block's layers are private fields, which a referenced assembly does not expose (docs/reliability-diagnostics.md).
            sink.Add(DiagnosticIds.BlockFromOtherAssembly, "block", layer, reference.Type.MetadataName, assembly);
            return null;
        }

        var entry = scope.Blocks.Find(reference);
        if (entry is null || entry.IsFamily)
        {
            sink.Add(DiagnosticIds.NotABlock, "block", layer, reference.Type.MetadataName);
            return null;
        }

        if (scope.Visiting.Contains(entry.MetadataName))
        {
            sink.Add(DiagnosticIds.RecursiveBlock, "block", reference.Name, layer);
            return null;
        }

        if (entry.Spec is not { } block)
        {
            // The block's own pipeline reports its errors at its declaration; say here why this layer is missing.
            sink.Add(DiagnosticIds.BlockHasErrors, "block", reference.Name, layer);
            return null;
        }

        if (!Accepts(block, argumentCount))
        {
            sink.Add(DiagnosticIds.StageArgumentCount, null, layer, block.Type.Name, ArgumentCount(block), string.Join(", ", block.Parameters.Select(p => p.Name)), FindingSink.Text(argumentCount));
            return null;
        }

        return block;
    }

    /// <summary>
    /// The block as the stage or use makes it (its options replaced by the ones set there); null after an error. SEDSL120: a
    /// block with [OnShortcut] or [AfterAddition] layers needs its projection shortcut; SEDSL037: a block member that has the
    /// name the constructor's option parameter needs; SEDSL121 (a warning): an option that changes nothing.
    /// </summary>
    private static BlockSpec? Effective(BlockSpec block, BlockOptions options, string layer, Scope scope, FindingSink sink)
    {
        if (options.Set == UseSiteOption.None)
        {
            return block;
        }

        var effective = options.ApplyTo(block);
        bool placed = block.Layers.Any(l => l.Placement is Placement.Shortcut or Placement.AfterAddition);
        if (placed && (!effective.Residual || effective.ShortcutIdentityOrNone))
        {
            string argument = !effective.Residual ? "Residual" : "Shortcut";
            sink.Add(DiagnosticIds.UseSiteOptionConflict, argument, layer, argument + (!effective.Residual ? " = false" : " = ShortcutPolicy.IdentityOrNone"), block.Type.Name,
                string.Join(", ", block.Layers.Where(l => l.Placement is Placement.Shortcut or Placement.AfterAddition).Select(l => l.Name)));
            return null;
        }

        foreach (var (option, argument, parameter) in BlockOptions.Names)
        {
            if ((options.Set & BlockOptions.Taken(block) & option) != 0)
            {
                sink.Add(DiagnosticIds.UseSiteOptionNameTaken, argument, layer, argument, block.Type.Name, parameter);
                return null;
            }
        }

        // The warning is reported where the stage or use is declared, not again in every block instance that contains it.
        foreach (var (option, argument, _) in BlockOptions.Names)
        {
            if ((options.Set & option) == 0 || scope.Prefix.Length > 0)
            {
                continue;
            }

            string? why = option switch
            {
                UseSiteOption.Residual when effective.Residual == block.Residual => "it is the block's own",
                UseSiteOption.Shortcut when effective.ShortcutIdentityOrNone == block.ShortcutIdentityOrNone => "it is the block's own",
                UseSiteOption.ShortcutKernel when effective.ShortcutKernel == block.ShortcutKernel => "it is the block's own",
                UseSiteOption.AfterAddition when effective.ReluAfterAddition == block.ReluAfterAddition => "it is the block's own",
                UseSiteOption.ResidualScale when effective.ResidualScale == block.ResidualScale => "it is the block's own",
                not UseSiteOption.Residual when !effective.Residual => "the block is not residual here",
                UseSiteOption.ShortcutKernel when effective.ShortcutIdentityOrNone => "an IdentityOrNone shortcut has no projection",
                _ => null,
            };
            if (why is not null)
            {
                sink.Add(DiagnosticIds.UseSiteOptionHasNoEffect, argument, layer, argument, block.Type.Name, why);
            }
        }

        return effective;
    }

    /// <summary>
    /// SEDSL108: a stride other than 1 for a block that applies it nowhere (not residual, no layer with <c>Strides.OfBlock</c>).
    /// Reported where the stage or use is declared, not again in every block instance that contains it.
    /// </summary>
    private static void WarnIfStrideUnused(BlockSpec block, Stride declared, string layer, Scope scope, FindingSink sink)
    {
        if (scope.Prefix.Length > 0 || declared is Stride.Fixed { Value: Expr.Number { Value: 1 } } || block.Residual || block.Layers.Any(l => l.AppliesBlockStride))
        {
            return;
        }

        string written = declared is Stride.Fixed f ? f.Value.ToString() : "Strides.OfBlock";
        sink.Add(DiagnosticIds.StrideHasNoEffect, "Stride", layer, "Stride = " + written, block.Type.Name);
    }

    /// <summary>Whether <paramref name="count"/> arguments fit the parameters: each one without a default, and at most all.</summary>
    public static bool Accepts(BlockSpec block, int count) => count <= block.Parameters.Count && count >= block.Parameters.Count(p => p.Default is null);

    /// <summary>How many arguments the parameters take, for messages: <c>3</c>, or <c>1 to 3</c> with defaults.</summary>
    public static string ArgumentCount(BlockSpec block)
    {
        int required = block.Parameters.Count(p => p.Default is null);
        return required == block.Parameters.Count ? FindingSink.Text(required) : FindingSink.Text(required) + " to " + FindingSink.Text(block.Parameters.Count);
    }

    /// <summary>
    /// The arguments in the enclosing scope, each a block parameter's value, the defaults of those left out after them;
    /// null after a finding.
    /// </summary>
    /// <param name="argument">The attribute argument that holds them (<c>arguments</c>, or a stage's <c>First</c>), whose element i is located as <c>argument#i</c>.</param>
    public static EquatableArray<NamedSize>? Arguments(BlockSpec block, EquatableArray<Expr> declared, string argument, Scope scope, string layer, FindingSink sink)
    {
        var arguments = new NamedSize[block.Parameters.Count];
        for (int i = declared.Count; i < arguments.Length; i++)
        {
            arguments[i] = new NamedSize(block.Parameters[i].Name, block.Parameters[i].Default!);
        }

        for (int i = 0; i < declared.Count; i++)
        {
            var value = scope.Size(declared[i], layer, argument, sink);
            if (value is null)
            {
                return null;
            }

            var parameter = block.Parameters[i];
            var type = DslTypes.Of(value, scope.TypeOf, out _);
            if (type is not null && !DslTypes.Accepts(parameter.Type, type))
            {
                sink.Add(DiagnosticIds.InvalidArgument, argument + "#" + FindingSink.Text(i), layer, $"block argument {FindingSink.Text(i + 1)} ({parameter.Name})",
                    "of type " + parameter.Type.Written, $"{declared[i]} ({type.Written})", "Layer");
                return null;
            }

            if (parameter.Type.Kind == ValueKind.Enum && value is Expr.Member m && parameter.Type.MemberOf(m.Value) is null)
            {
                sink.Add(DiagnosticIds.InvalidArgument, argument + "#" + FindingSink.Text(i), layer, $"block argument {FindingSink.Text(i + 1)} ({parameter.Name})",
                    "a named " + parameter.Type.Written + " value", m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "Layer");
                return null;
            }

            arguments[i] = new NamedSize(parameter.Name, parameter.Type.Kind == ValueKind.Real && value is Expr.Number n ? new Expr.Real(n.Value) : value);
        }

        return arguments.ToEquatableArray();
    }

    /// <summary>One block applied to <paramref name="input"/>: its totals and output.</summary>
    /// <param name="findings">Where findings go, each with the index of the block's layer that made it (-1: the block itself).</param>
    private static LayerResult? Apply(BlockSpec block, Dims input, Expr stride, EquatableArray<NamedSize> arguments, string prefix, Scope scope, List<Finding> findings)
    {
        var values = arguments.ToDictionary(a => a.Name, a => a.Value);
        values[Scope.InChannels] = input.Channels;
        values[Scope.StrideName] = stride;
        var body = BlockBody.Apply(block, input, scope.Enter(block, values, stride, prefix), i => new FindingSink(findings, i));
        if (body is null)
        {
            return null;
        }

        var expansion = new BlockExpansion(block, input, body.Output, body.Parameters, body.MultiplyAdds, body.Layers, body.Projected);
        return new LayerResult(body.Output, body.Parameters, body.MultiplyAdds, null)
        {
            FlattensSpatialInput = body.FlattensSpatialInput,
            Buffers = Buffers(expansion),
            Expansions = EquatableArray.Of(expansion),
        };
    }

    /// <summary>The buffer elements of one block as applied: its layers' and its projection's.</summary>
    private static Expr Buffers(BlockExpansion expansion) =>
        expansion.Layers.Aggregate(expansion.Projection?.BatchNormBuffers ?? Expr.Zero, (sum, l) => sum + l.Result.Buffers);
}
