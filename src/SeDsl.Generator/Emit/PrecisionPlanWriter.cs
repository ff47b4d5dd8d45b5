using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// A network's <c>Fuse(Precision, MemoryFormat)</c>: the folds of <c>Fuse(bool)</c> in float32 first, then the whole
/// module in the plan's type, with the plan written out layer by layer in the generated code. The fused
/// <c>forward</c> casts at the plan's two boundaries only (<see cref="Entry"/>, <see cref="Exit"/>).
/// </summary>
/// <remarks>
/// Every layer runs in the plan's type: libtorch accumulates the convolutions, matrix products and reductions (the SE
/// squeeze, global pooling) of 16-bit tensors in float32, and with the batch norms folded no normalisation is left that
/// would need float32 storage. The SE squeeze of a bfloat16 tensor is a sum with the average's 1/(H*W) in fc1's product,
/// since libtorch's bfloat16 mean is slow (the runtime's <c>SqueezeExcitation.Excite</c> does it; the plan says so), and
/// a fused block's gate after a 1x1 convolution squeezes that convolution's input (<c>SqueezeThrough</c>, BlockEmitter);
/// a convolution with many weights per kernel tap and output position runs as a matrix product (<c>MatrixProductConvolution</c>).
/// docs/performance.md has the measurements behind the rules.
/// </remarks>
internal static class PrecisionPlanWriter
{
    public const string ComputeTypeField = "computeType";
    private const string Plan = "global::SeDsl.Layers.PrecisionPlan";
    private const string ScalarType = "global::TorchSharp.torch.ScalarType";

    /// <summary>The fused state the plan adds: the element type <c>forward</c> casts its input to.</summary>
    public static (string Summary, string Declaration) State =>
        ("/// <summary>Set by <see cref=\"Fuse(global::SeDsl.Precision, global::SeDsl.MemoryFormat)\"/>: the element type of the fused path (float32 unless a precision was given).</summary>",
            $"private {ScalarType} {ComputeTypeField} = {ScalarType}.Float32;");

    /// <summary>The first statement of the fused path: the input in the plan's type and layout.</summary>
    public static string Entry => $"var x = {Plan}.Enter(input, this.{ComputeTypeField}, this.{ForwardWriter.ChannelsLastField});";

    /// <summary>The fused path's return: the output as float32.</summary>
    public static string Exit => $"return {Plan}.Exit(x).MoveToOuterDisposeScope();";

    /// <summary>Whether the input check accepts any floating-point dtype: when a 16-bit plan casts it at the entry.</summary>
    public static string AnyFloat => $"this.{ComputeTypeField} != {ScalarType}.Float32";

    /// <summary>Whether any of <paramref name="layers"/>, or of the blocks they create (nested blocks too), is an SE gate.</summary>
    public static bool HasSqueezeExcite(IEnumerable<(LayerSpec Spec, LayerResult Result)> layers) =>
        layers.Any(l => l.Spec is SqueezeExciteSpec
            || l.Result.Expansions.Any(e => HasSqueezeExcite(e.Layers.Select(b => (b.Spec, b.Result)))));

    /// <summary>
    /// Whether any of <paramref name="layers"/>, or of the blocks they create (nested blocks too), is a convolution that may
    /// run as a matrix product (<see cref="ForwardWriter.IsMatrixProductCandidate"/>).
    /// </summary>
    public static bool HasMatrixProductCandidate(IEnumerable<(LayerSpec Spec, LayerResult Result)> layers) =>
        layers.Any(l => ForwardWriter.IsMatrixProductCandidate(l.Spec)
            || l.Result.Expansions.Any(e => HasMatrixProductCandidate(e.Layers.Select(b => (b.Spec, b.Result)))));

    /// <summary>
    /// Writes the overload into the open class of network <paramref name="className"/> with <paramref name="layers"/>;
    /// <paramref name="squeezeExcite"/>: whether the network has an SE gate (<see cref="HasSqueezeExcite"/>), whose
    /// bfloat16 squeeze the plan then describes; <paramref name="matrixProduct"/>: whether it has a convolution that may
    /// run as a matrix product (<see cref="HasMatrixProductCandidate"/>), whose bfloat16 form the plan then describes.
    /// </summary>
    public static void WriteFuse(SourceWriter w, string className, IReadOnlyList<LayerSpec> layers, IReadOnlyDictionary<LayerSpec, TypeName> blocks, bool squeezeExcite, bool matrixProduct)
    {
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Converts this network for inference in <paramref name=\"precision\"/>, one way: folds every batch norm as");
        w.Line("/// <see cref=\"Fuse(bool)\"/> does, in float32, then converts the module to the plan's type (the plan is written out in");
        w.Line("/// the body). <c>forward</c> then casts an input of any floating-point dtype once at the entry and returns float32.");
        w.Line("/// Returns this network.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"precision\">The element type of every layer on the fused path.</param>");
        w.Line("/// <param name=\"layout\">NCHW, NHWC, or <see cref=\"global::SeDsl.MemoryFormat.Automatic\"/> (NHWC exactly for the 16-bit types). A later call sets it again.</param>");
        w.Line("/// <exception cref=\"global::System.InvalidOperationException\">The network was fused in another 16-bit precision already.</exception>");
        w.Line(Code.GeneratedCode);
        using (w.Block($"public {className} Fuse(global::SeDsl.Precision precision, global::SeDsl.MemoryFormat layout = global::SeDsl.MemoryFormat.Automatic)"))
        {
            w.Line($"var compute = {Plan}.ScalarTypeOf(precision);");
            using (w.Block($"if (this.{ComputeTypeField} != {ScalarType}.Float32 && compute != this.{ComputeTypeField})"))
            {
                w.Line($"throw new global::System.InvalidOperationException(nameof({className}) + \" was fused in \" + this.{ComputeTypeField} + \" already; create a new one for another precision.\");");
            }

            w.Line();
            w.Line($"this.Fuse({Plan}.ChannelsLast(precision, layout));");
            w.Line($"// The precision plan of {className}: every layer below in the plan's type, the batch norms folded first in float32.");
            w.Line("// libtorch accumulates the convolutions, matrix products and reductions of 16-bit tensors in float32.");
            if (squeezeExcite)
            {
                w.Line("// An SE gate's average squeeze of a bfloat16 tensor is a sum over H x W with 1/(H*W) applied in fc1's addmm");
                w.Line("// (SqueezeExcitation.Excite): libtorch's bfloat16 mean is several times slower; float32 keeps the mean. A gate");
                w.Line("// right after a 1x1 convolution squeezes that convolution's narrower input and carries it through the weights");
                w.Line("// (SqueezeExcitation.SqueezeThrough, bfloat16 only): mean(W y + b) = W mean(y) + b.");
            }

            if (matrixProduct)
            {
                w.Line("// An ungrouped convolution on a bfloat16 channels-last input whose weights per kernel tap (C' x C) number at least");
                w.Line("// 2048 per output position (N x H' x W': the late, small maps at small batches) runs as one matrix product of the");
                w.Line("// NHWC receptive fields, one row per position, with the weights (MatrixProductConvolution.Forward): the same sums,");
                w.Line("// without oneDNN's per-call reorder of the weights.");
            }

            int width = layers.Select(l => l.Name.Length).DefaultIfEmpty(0).Max();
            w.Line($"//   {"(entry)".PadRight(System.Math.Max(width, 7))}  the input, of any floating-point dtype, cast once (PrecisionPlan.Enter in the fused path)");
            var folded = ForwardWriter.FoldedPairs(layers).ToDictionary(p => p.Conv, p => p.Norm);
            var foldedNorms = new HashSet<LayerSpec>(folded.Values);
            foreach (var layer in layers.Where(l => !foldedNorms.Contains(l)))
            {
                w.Line($"//   {layer.Name.PadRight(System.Math.Max(width, 7))}  {Describe(layer, folded, blocks)}");
            }

            w.Line($"//   {"(exit)".PadRight(System.Math.Max(width, 7))}  the output cast once to float32 (PrecisionPlan.Exit)");
            using (w.Block($"if (compute != this.{ComputeTypeField})"))
            {
                w.Line("global::TorchSharp.ModuleExtensionMethods.to(this, compute);");
                w.Line($"this.{ComputeTypeField} = compute;");
            }

            w.Line();
            w.Line("return this;");
        }
    }

    private static string Describe(LayerSpec layer, IReadOnlyDictionary<LayerSpec, LayerSpec> folded, IReadOnlyDictionary<LayerSpec, TypeName> blocks) => layer switch
    {
        ConvSpec when folded.TryGetValue(layer, out var norm) => $"{layer.Kind}, {norm.Name} folded in",
        BatchNormSpec => $"{layer.Kind}, not folded: statistics and affine parameters in the plan's type",
        StageSpec stage when blocks.TryGetValue(stage, out var block) => $"{stage.Blocks} x {block.Name}, every layer of each block (its batch norms folded)",
        UseSpec when blocks.TryGetValue(layer, out var block) => $"{block.Name}, every layer of the block (its batch norms folded)",
        SqueezeExciteSpec => $"{layer.Kind}: squeeze, excitation and gate",
        _ => layer.Kind,
    };
}
