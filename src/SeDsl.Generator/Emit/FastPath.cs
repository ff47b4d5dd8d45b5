using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>Which of the two generated forward paths is being written.</summary>
internal enum ForwardPath
{
    /// <summary>Before <c>Fuse()</c>: every layer runs, in-place operations only where autograd saved nothing they overwrite.</summary>
    Training,

    /// <summary>After <c>Fuse()</c>: batch norms folded into their convolutions, activations in place on temporaries.</summary>
    Fused,
}

/// <summary>
/// The statically chosen fast forms of generated <c>forward</c> methods and <c>Fuse()</c>: which batch norms fold into
/// the convolution before them, which activations may run in place, and the squeeze-and-excitation gate as tensor
/// operations. Since the whole architecture is known at compile time, every choice is made here, once, per layer.
/// </summary>
internal static class FastPath
{
    public const string FusedField = "fused";
    public const string FusedForward = "ForwardFused";
    public const string FusedShortcut = "fusedShortcut";
    public const string ChannelsLastField = "channelsLast";
    public const string MemoryLayout = "global::SeDsl.Layers.MemoryLayout";
    public const string ConvBatchNorm = "global::SeDsl.Layers.ConvBatchNorm";

    /// <summary>Each batch norm that directly follows a convolution in <paramref name="sequence"/>, with that convolution.</summary>
    public static IReadOnlyList<(LayerSpec Conv, LayerSpec Norm)> FoldedPairs(IReadOnlyList<LayerSpec> sequence)
    {
        var pairs = new List<(LayerSpec, LayerSpec)>();
        for (int i = 1; i < sequence.Count; i++)
        {
            if (sequence[i] is BatchNormSpec && sequence[i - 1] is ConvSpec)
            {
                pairs.Add((sequence[i - 1], sequence[i]));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Writes the statements applying <paramref name="layers"/> in turn to <paramref name="variable"/>, which holds
    /// <paramref name="source"/> first (declared with <c>var</c> when <paramref name="declare"/>). Returns whether the
    /// result is a temporary of this method that nothing else reads (which in-place operations may overwrite), given
    /// whether <paramref name="source"/> is one.
    /// </summary>
    public static bool WriteChain(SourceWriter w, IReadOnlyList<LayerSpec> layers, ForwardPath path, string variable, string source, bool declare, bool sourceIsTemporary)
    {
        var folded = path == ForwardPath.Fused ? FoldedPairs(layers).ToDictionary(p => p.Norm, p => p.Conv) : new Dictionary<LayerSpec, LayerSpec>();
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

            string expression = Step(layer, previous, path, current, temporary, out bool result);
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

    /// <summary>One layer applied to <paramref name="x"/>; <paramref name="temporary"/> says whether the result may be overwritten.</summary>
    private static string Step(LayerSpec layer, LayerSpec? previous, ForwardPath path, string x, bool xIsTemporary, out bool temporary)
    {
        string call = $"this.{layer.Identifier}.forward({x})";
        switch (layer)
        {
            case ActivationSpec a when path == ForwardPath.Fused && xIsTemporary:
                temporary = true;
                return InPlace(a.Activation, x);
            case ActivationSpec { Activation: ActivationKind.ReLU } when xIsTemporary && KeepsNoOutputForBackward(previous):
                temporary = true;
                return $"{x}.relu_()";
            case SqueezeExciteSpec:
                temporary = true;
                return path == ForwardPath.Fused && xIsTemporary
                    ? $"this.{layer.Identifier}.ScaleInPlace({x})"
                    : $"this.{layer.Identifier}.Scale({x})";
            case IdentitySpec or DropoutSpec or FlattenSpec or ChannelShuffleSpec:
                // These may return their input or a view of it: whatever it was, the result is.
                temporary = xIsTemporary;
                return call;
            default:
                temporary = true;
                return call;
        }
    }

    /// <summary>
    /// Whether autograd keeps none of this layer's output for its backward pass, so that a ReLU may overwrite it:
    /// true for convolutions, batch norm, linear layers and the SE scaling, whose gradients need only their inputs.
    /// </summary>
    internal static bool KeepsNoOutputForBackward(LayerSpec? layer) =>
        layer is ConvSpec or BatchNormSpec or LinearSpec or SqueezeExciteSpec;

    /// <summary>An activation applied in place (inference only: some of these backward passes read the input).</summary>
    private static string InPlace(ActivationKind activation, string x) => activation switch
    {
        ActivationKind.ReLU => $"{x}.relu_()",
        ActivationKind.ReLU6 => $"{x}.clamp_(0.0, 6.0)",
        ActivationKind.Sigmoid => $"{x}.sigmoid_()",
        ActivationKind.Tanh => $"{x}.tanh_()",
        ActivationKind.HardSigmoid => $"{Code.Nn}.functional.hardsigmoid({x}, inplace: true)",
        _ => $"{Code.Nn}.functional.silu({x}, inplace: true)",
    };

    /// <summary>The statements of <c>Fuse()</c> for one sequence of layers: a fold per pair, and nested blocks fused in turn.</summary>
    public static void WriteFolds(SourceWriter w, IReadOnlyList<LayerSpec> layers, bool fold)
    {
        var pairs = fold ? FoldedPairs(layers) : [];
        foreach (var (conv, norm) in pairs)
        {
            w.Line($"{ConvBatchNorm}.Fold(this.{conv.Identifier}, this.{norm.Identifier});");
        }

        foreach (var layer in layers)
        {
            if (layer is UseSpec use)
            {
                w.Line($"(({use.Block.QualifiedName})this.{use.Identifier}).Fuse();");
            }
            else if (layer is StageSpec stage)
            {
                using (w.Block($"foreach (var block in this.{stage.Identifier}.children())"))
                {
                    w.Line($"(({stage.Block.QualifiedName})block).Fuse();");
                }

                w.Line();
            }
        }
    }

    /// <summary>The doc comment of <c>Fuse()</c>, naming what it folds in each of <paramref name="sequences"/>.</summary>
    public static string FuseSummary(IEnumerable<IReadOnlyList<LayerSpec>> sequences, bool nested, bool projection)
    {
        var folds = sequences.SelectMany(FoldedPairs).Select(p => $"{p.Norm.Name} into {p.Conv.Name}").ToList();
        if (projection)
        {
            folds.Add("the projection shortcut's batch norm (if any) into its convolution");
        }

        string what = folds.Count == 0 ? "no batch norm to fold here" : "folds " + string.Join(", ", folds);
        return $"/// <summary>Converts this module for inference, one way: eval mode, {what}{(nested ? "; fuses every nested block" : "")}. " +
            "<c>forward</c> then takes the fused path. Returns this module.</summary>";
    }

    /// <summary>The start of the fused path: it refuses training mode and runs under inference mode.</summary>
    public static void WriteFusedPrologue(SourceWriter w, string className)
    {
        using (w.Block("if (this.training)"))
        {
            w.Line($"throw new global::System.InvalidOperationException(nameof({className}) + \" was fused for inference and cannot train; create a new one to train.\");");
        }

        w.Line();
        w.Line($"using var inference = {Code.Torch}.inference_mode();");
        w.Line($"using var scope = {Code.Torch}.NewDisposeScope();");
    }
}
