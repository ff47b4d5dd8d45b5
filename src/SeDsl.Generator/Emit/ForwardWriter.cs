using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>Which of the two generated forward paths is being written.</summary>
internal enum ForwardPath
{
    /// <summary>Before <c>Fuse()</c>: every registered module is called; in place only where autograd saved nothing it overwrites.</summary>
    Training,

    /// <summary>After <c>Fuse()</c>: batch norms folded into their convolutions, activations in place on temporaries.</summary>
    Fused,
}

/// <summary>
/// The statically chosen forms of generated <c>forward</c> methods and <c>Fuse()</c>: which batch norms fold into the
/// convolution before them, which activations run in place, and the squeeze-and-excitation gate as tensor operations.
/// The training path calls every module it registers (hooks and module swaps work as in any TorchSharp module); a ReLU
/// that may overwrite its input is created with <c>inplace: true</c> instead. The fused path uses tensor-level in-place
/// operations.
/// </summary>
internal static class ForwardWriter
{
    public const string FusedField = "fused";
    public const string FusedForward = "ForwardFused";
    public const string FusedShortcut = "fusedShortcut";
    public const string ChannelsLastField = "channelsLast";

    /// <summary>Each batch norm that directly follows a convolution in <paramref name="sequence"/>, with that convolution.</summary>
    /// <remarks>
    /// An optional pair folds only when both exist under the same condition (the declared <c>When</c>); a batch norm after
    /// an optional convolution with another condition stays a module call.
    /// </remarks>
    public static IReadOnlyList<(LayerSpec Conv, LayerSpec Norm)> FoldedPairs(IReadOnlyList<LayerSpec> sequence, ISet<LayerSpec>? optional = null)
    {
        var pairs = new List<(LayerSpec, LayerSpec)>();
        for (int i = 1; i < sequence.Count; i++)
        {
            bool sameCondition = optional is null || (optional.Contains(sequence[i]) == optional.Contains(sequence[i - 1]) && sequence[i].When.Equals(sequence[i - 1].When));
            if (sequence[i] is BatchNormSpec && sequence[i - 1] is ConvSpec && sameCondition)
            {
                pairs.Add((sequence[i - 1], sequence[i]));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Writes the statements applying <paramref name="layers"/> in turn to <paramref name="variable"/>, which holds
    /// <paramref name="source"/> first (declared with <c>var</c> when <paramref name="declare"/>). Returns whether the
    /// result is a temporary of this method that nothing else reads, given whether <paramref name="source"/> is one.
    /// ReLUs the training path runs in place are added to <paramref name="inPlace"/>.
    /// </summary>
    /// <param name="optional">Layers that exist only when their condition holds: each is applied when its field is not null.</param>
    public static bool WriteChain(SourceWriter w, IReadOnlyList<LayerSpec> layers, ForwardPath path, string variable, string source, bool declare, bool sourceIsTemporary, ISet<string> inPlace, ISet<LayerSpec>? optional = null)
    {
        optional ??= new HashSet<LayerSpec>();
        var folded = path == ForwardPath.Fused ? FoldedPairs(layers, optional).ToDictionary(p => p.Norm, p => p.Conv) : new Dictionary<LayerSpec, LayerSpec>();
        bool temporary = sourceIsTemporary;
        string current = source;
        LayerSpec? previous = null;
        foreach (var layer in layers)
        {
            if (folded.TryGetValue(layer, out var conv))
            {
                w.Line($"// {layer.Name} is folded into {conv.Name}.");
                previous = layer;
                continue;
            }

            if (layer is DropPathSpec && path == ForwardPath.Fused)
            {
                w.Line($"// {layer.Name} (drop path) is the identity at inference.");
                previous = layer;
                continue;
            }

            if (optional.Contains(layer))
            {
                if (declare)
                {
                    w.Line($"var {variable} = {current};");
                    declare = false;
                    current = variable;
                }

                // The layer before is known only when it always exists (previous is null after an optional one); after this
                // one, x is either result.
                string applied = Step(layer, previous, path, current, temporary, inPlace, out bool whenApplied);
                using (w.Block($"if (this.{layer.Identifier} is not null)"))
                {
                    w.Line($"{variable} = {applied};");
                }

                w.Line();
                temporary &= whenApplied;
                previous = null;
                continue;
            }

            string expression = Step(layer, previous, path, current, temporary, inPlace, out bool result);
            temporary = result;
            w.Line(declare ? $"var {variable} = {expression};" : $"{variable} = {expression};");
            declare = false;
            current = variable;
            previous = layer;
        }

        if (declare)
        {
            w.Line($"var {variable} = {source}.alias();");
            return false;
        }

        return temporary;
    }

    /// <summary>
    /// A registered module applied to <paramref name="x"/>: through <c>call</c> on the training path, which runs the
    /// module's forward hooks as TorchSharp's own containers do, and <c>forward</c> directly on the fused path.
    /// </summary>
    public static string Invoke(string field, string x, ForwardPath path) =>
        path == ForwardPath.Fused ? $"this.{field}.forward({x})" : $"this.{field}.call({x})";

    /// <summary>
    /// A convolution applied to <paramref name="x"/> on the fused path: through <c>MatrixProductConvolution.Forward</c>,
    /// which runs it as one matrix product in a bfloat16 channels-last plan where its weights per kernel tap outnumber its
    /// output positions enough, and calls the module's <c>forward</c> otherwise (float32 always).
    /// </summary>
    public static string InvokeConvolution(string field, string x) => $"{Code.MatrixProductConvolution}.Forward(this.{field}, {x})";

    /// <summary>
    /// Whether <paramref name="layer"/> may run as a matrix product: a convolution that is not depthwise and whose groups
    /// and dilation are 1 or expressions of the block's parameters, which the runtime checks with the rest of the rule.
    /// </summary>
    public static bool IsMatrixProductCandidate(LayerSpec layer) =>
        layer is ConvSpec { Depthwise: false } conv && conv.Groups.Constant is null or 1 && conv.Dilation.Constant is null or 1;

    /// <summary>One layer applied to <paramref name="x"/>; <paramref name="temporary"/> says whether the result may be overwritten.</summary>
    private static string Step(LayerSpec layer, LayerSpec? previous, ForwardPath path, string x, bool xIsTemporary, ISet<string> inPlace, out bool temporary)
    {
        string call = Invoke(layer.Identifier, x, path);
        switch (layer)
        {
            case ActivationSpec a when path == ForwardPath.Fused && xIsTemporary:
                temporary = true;
                var form = a.InPlace;
                return form.Functional
                    ? $"{Code.Nn}.functional.{form.Method}({x}, {form.Arguments})"
                    : $"{x}.{form.Method}({form.Arguments})";
            case ConvSpec when path == ForwardPath.Fused && IsMatrixProductCandidate(layer):
                temporary = true;
                return InvokeConvolution(layer.Identifier, x);
            case ActivationSpec { Activation: ActivationKind.ReLU } when xIsTemporary && previous is { KeepsNoOutputForBackward: true }:
                inPlace.Add(layer.Name);
                temporary = true;
                return call;
            case SqueezeExciteSpec se:
                temporary = true;
                return path == ForwardPath.Fused && xIsTemporary ? $"{Gate(se)}.ScaleInPlace({x})" : $"{Gate(se)}.Scale({x})";
            case CustomSpec custom:
                // The declared rule, checked on the output: channels always, height and width where the stride is fixed.
                // A user's module may return its input or a tensor it keeps, so nothing after it runs in place on the result.
                temporary = false;
                long stride = custom.Stride is Stride.Fixed f ? f.Value.Constant ?? 0 : 0;
                return $"{Code.CustomLayer}.Output(this, {Code.Literal(custom.Name)}, {x}, {call}, {Code.Size(custom.OutChannels, x + ".shape[1]")}, {Code.Literal(stride)})";
            default:
                // Identity, dropout, flatten and channel shuffle may return their input or a view of it.
                temporary = !layer.MayReturnInput || xIsTemporary;
                return call;
        }
    }

    /// <summary>An SE layer's module, cast from its field's type where the field holds a base (SE's tensor methods are its own).</summary>
    public static string Gate(SqueezeExciteSpec se) =>
        se.FieldHoldsBase ? $"(({Code.SqueezeExcitation})this.{se.Identifier})" : $"this.{se.Identifier}";

    /// <summary>The statements of <c>Fuse()</c> for one sequence of layers: a fold per pair, and nested blocks fused in turn.</summary>
    public static void WriteFolds(SourceWriter w, IReadOnlyList<LayerSpec> layers, IReadOnlyDictionary<LayerSpec, TypeName> blocks, bool fold, ISet<LayerSpec>? optional = null)
    {
        optional ??= new HashSet<LayerSpec>();
        foreach (var (conv, norm) in fold ? FoldedPairs(layers, optional) : [])
        {
            string call = $"{Code.ConvBatchNorm}.Fold(this.{conv.Identifier}, this.{norm.Identifier});";
            if (optional.Contains(conv))
            {
                using (w.Block($"if (this.{conv.Identifier} is not null && this.{norm.Identifier} is not null)"))
                {
                    w.Line(call);
                }
            }
            else
            {
                w.Line(call);
            }
        }

        foreach (var layer in layers)
        {
            if (layer is UseSpec use)
            {
                string call = $"(({Code.Type(blocks[use])})this.{use.Identifier}).Fuse();";
                w.Line(optional.Contains(use) ? $"if (this.{use.Identifier} is not null) {call}" : call);
            }
            else if (layer is StageSpec stage)
            {
                if (optional.Contains(stage))
                {
                    w.Line($"if (this.{stage.Identifier} is not null)");
                }

                using (w.Block($"foreach (var block in this.{stage.Identifier}.children())"))
                {
                    w.Line($"(({Code.Type(blocks[stage])})block).Fuse();");
                }

                w.Line();
            }
        }
    }

    /// <summary>The doc comment of <c>Fuse()</c>, naming what it folds in each of <paramref name="sequences"/>.</summary>
    public static string FuseSummary(IEnumerable<IReadOnlyList<LayerSpec>> sequences, bool nested, bool projection, ISet<LayerSpec>? optional = null)
    {
        var folds = sequences.SelectMany(s => FoldedPairs(s, optional)).Select(p => $"{p.Norm.Name} into {p.Conv.Name}").ToList();
        if (projection)
        {
            folds.Add("the projection shortcut's batch norm (if any) into its convolution");
        }

        string what = folds.Count == 0 ? "no batch norm to fold here" : "folds " + string.Join(", ", folds);
        return $"/// <summary>Converts this module for inference, one way: eval mode, {what}{(nested ? "; fuses every nested block" : "")}. " +
            "<c>forward</c> then takes the fused path. Returns this module.</summary>";
    }
}
