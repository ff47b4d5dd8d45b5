using System;
using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Analysis;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// Writes a block's module: a constructor taking the input channels, the stride and the block's parameters, which
/// computes every layer's size from them; and <c>forward</c>, with the residual addition for residual blocks.
/// </summary>
internal static class BlockEmitter
{
    public static string HintName(BlockSpec block) =>
        ((block.Namespace.Length == 0 ? "" : block.Namespace + ".") + block.ClassName + ".SeDsl.Block.g.cs").Replace("@", "");

    public static string Emit(BlockSpec block)
    {
        var w = NetworkEmitter.Header(block.Namespace, block.ClassName, "Block");
        using (w.Block($"partial class {block.ClassName} : {Code.Module}, {Code.Fusable}"))
        {
            // Body layers change the channel count in turn (or all see the input, when parallel);
            // shortcut and after-addition layers see the block's output.
            // In the block's own constructor, parameters are read from their fields.
            var inChannels = new Expr.Name(BlockRules.InChannels);
            Func<string, Expr> own = name => name == BlockRules.InChannels ? inChannels : new Expr.Name("this." + name);
            var output = OutputChannels(block, inChannels, own);
            var creations = new List<string>();
            Expr channels = inChannels;
            foreach (var layer in block.Layers)
            {
                var input = layer.Placement != Placement.Body ? output : block.Parallel ? inChannels : channels;
                string creation = layer is UseSpec use ? Creation(use, input, own) : LayerFactory.Create(layer, Sizes(layer, input, own), Padding(layer));
                creations.Add($"{layer.Identifier} = {creation};");
                if (layer.Placement == Placement.Body)
                {
                    channels = OutChannels(layer, channels, own);
                }
            }

            if (block.Residual)
            {
                w.Line("/// <summary>The projection shortcut, created when the stride or the channel count changes; null for the identity shortcut.</summary>");
                w.Line(NetworkEmitter.GeneratedCode);
                w.Line($"private readonly {Code.Sequential}? downsample;");
                w.Line();
            }

            var parameters = new List<string> { "long inChannels", "long stride" };
            parameters.AddRange(Select(block.Parameters, p => "int " + p));
            w.Line("/// <summary>Creates the block for <paramref name=\"inChannels\"/> input channels; <paramref name=\"stride\"/> applies where the block says <c>Strides.OfBlock</c>.</summary>");
            w.Line(NetworkEmitter.GeneratedCode);
            w.Line($"public {block.ClassName}({string.Join(", ", parameters)})");
            w.Line($"    : base(nameof({block.ClassName}))");
            using (w.Block(""))
            {
                foreach (string p in block.Parameters)
                {
                    w.Line($"this.{p} = {p};");
                }

                foreach (string creation in creations)
                {
                    w.Line(creation);
                }

                w.Line();
                foreach (var layer in block.Layers)
                {
                    w.Line($"register_module(nameof({layer.Identifier}), {layer.Identifier});");
                }

                if (block.Residual)
                {
                    w.Line();
                    // When the body keeps the input's channel count by construction, only the stride can call for a projection.
                    string condition = output == inChannels ? "stride != 1" : $"stride != 1 || inChannels != {output.ToCSharp()}";
                    using (w.Block($"if ({condition})"))
                    {
                        w.Line($"downsample = {Code.Nn}.Sequential(");
                        string padding = block.ShortcutKernel == 1 ? "" : $"padding: {Code.Literal((block.ShortcutKernel - 1) / 2)}, ";
                        w.Line($"    (\"0\", {Code.Nn}.Conv2d(in_channels: inChannels, out_channels: {output.ToCSharp()}, kernel_size: {Code.Literal(block.ShortcutKernel)}, stride: stride, {padding}bias: false)),");
                        w.Line($"    (\"1\", {Code.Nn}.BatchNorm2d(num_features: {output.ToCSharp()})));");
                        w.Line("register_module(nameof(downsample), downsample);");
                    }
                }
            }

            w.Line();
            WriteFuse(w, block);
            w.Line();
            w.Line("/// <summary>Runs the block on a batch of shape [N, inChannels, H, W]; after <see cref=\"Fuse\"/>, on the fused inference path.</summary>");
            w.Line(NetworkEmitter.GeneratedCode);
            using (w.Block($"public override {Code.Tensor} forward({Code.Tensor} input)"))
            {
                using (w.Block($"if (this.{FastPath.FusedField})"))
                {
                    w.Line($"return this.{FastPath.FusedForward}(input);");
                }

                w.Line();
                w.Line($"using var scope = {Code.Torch}.NewDisposeScope();");
                WriteForwardBody(w, block, ForwardPath.Training);
            }

            w.Line();
            w.Line("/// <summary>The inference path after <see cref=\"Fuse\"/>: batch norms folded, activations in place, no autograd.</summary>");
            w.Line(NetworkEmitter.GeneratedCode);
            using (w.Block($"private {Code.Tensor} {FastPath.FusedForward}({Code.Tensor} input)"))
            {
                FastPath.WriteFusedPrologue(w, block.ClassName);
                WriteForwardBody(w, block, ForwardPath.Fused);
            }
        }

        return w.ToString();
    }

    /// <summary>The fused flag and <c>Fuse()</c>: folds each statically known conv + batch norm pair, then nested blocks.</summary>
    private static void WriteFuse(SourceWriter w, BlockSpec block)
    {
        w.Line("/// <summary>Set by <see cref=\"Fuse\"/>: batch norms are folded and <c>forward</c> takes the inference path.</summary>");
        w.Line(NetworkEmitter.GeneratedCode);
        w.Line($"private bool {FastPath.FusedField};");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line(NetworkEmitter.GeneratedCode);
        w.Line($"bool {Code.Fusable}.IsFused => this.{FastPath.FusedField};");
        w.Line();
        if (block.Residual)
        {
            w.Line("/// <summary>Set by <see cref=\"Fuse\"/>: the projection shortcut's convolution with its batch norm folded in; null for the identity shortcut.</summary>");
            w.Line(NetworkEmitter.GeneratedCode);
            w.Line($"private {Code.Module}? {FastPath.FusedShortcut};");
            w.Line();
        }

        var groups = Groups(block);
        // A parallel block's body layers each see the input: none follows another, so none folds.
        var folded = block.Parallel ? groups.Skip(1).ToList() : groups;
        w.Line(FastPath.FuseSummary(folded, groups.SelectMany(g => g).Any(l => l is UseSpec or StageSpec), block.Residual));
        w.Line(NetworkEmitter.GeneratedCode);
        using (w.Block($"public {block.ClassName} Fuse()"))
        {
            using (w.Block($"if (this.{FastPath.FusedField})"))
            {
                w.Line("return this;");
            }

            w.Line();
            w.Line("this.eval();");
            foreach (var group in groups)
            {
                FastPath.WriteFolds(w, group, fold: folded.Contains(group));
            }

            if (block.Residual)
            {
                using (w.Block("if (this.downsample is not null)"))
                {
                    w.Line($"this.{FastPath.FusedShortcut} = {FastPath.ConvBatchNorm}.Fold(this.downsample);");
                }

                w.Line();
            }

            w.Line($"this.{FastPath.FusedField} = true;");
            w.Line("return this;");
        }
    }

    /// <summary>The block's layers as the sequences forward applies: the body, the shortcut's layers, the layers after the addition.</summary>
    private static List<List<LayerSpec>> Groups(BlockSpec block) =>
        new[] { Placement.Body, Placement.Shortcut, Placement.AfterAddition }
            .Select(p => block.Layers.Where(l => l.Placement == p).ToList())
            .ToList();

    /// <summary>
    /// forward's statements after its dispose scope: the body (its last layer, an SE block of a residual block, becomes
    /// the tail: one addcmul when fused, a multiplication and an in-place addition when training), the shortcut, the
    /// addition, the layers after it.
    /// </summary>
    private static void WriteForwardBody(SourceWriter w, BlockSpec block, ForwardPath path)
    {
        var body = block.Layers.Where(l => l.Placement == Placement.Body).ToList();
        bool temporary;
        SqueezeExciteSpec? tail = null;
        if (block.Parallel && body.Count > 0)
        {
            w.Line($"var x = {Code.Torch}.cat(new[] {{ {string.Join(", ", body.Select(l => $"this.{l.Identifier}.forward(input)"))} }}, 1);");
            temporary = true;
        }
        else
        {
            if (block.Residual && block.ResidualScale == 1.0 && body.Count > 0 && body[body.Count - 1] is SqueezeExciteSpec se)
            {
                // x * gate + shortcut as one addcmul (the paper's Caffe "Axpy" layer) instead of a multiplication and an addition.
                tail = se;
                body.RemoveAt(body.Count - 1);
            }

            temporary = FastPath.WriteChain(w, body, path, "x", "input", declare: true, sourceIsTemporary: false);
        }

        if (block.Residual)
        {
            string projection = path == ForwardPath.Fused ? FastPath.FusedShortcut : "downsample";
            w.Line($"var shortcut = this.{projection} is null ? input : this.{projection}.forward(input);");
            FastPath.WriteChain(w, block.Layers.Where(l => l.Placement == Placement.Shortcut).ToList(), path, "shortcut", "shortcut", declare: false, sourceIsTemporary: false);
            string relu = block.ReluAfterAddition ? ".relu_()" : "";
            if (block.ResidualScale != 1.0)
            {
                // Inception-ResNet scales the body before the addition: shortcut + scale * x in one call.
                w.Line($"x = shortcut.add(x, alpha: {Code.Literal(block.ResidualScale)}){relu};");
            }
            else if (tail is not null && path == ForwardPath.Fused)
            {
                w.Line($"x = this.{tail.Identifier}.ScaleAdd(x, shortcut){relu};");
            }
            else if (tail is not null)
            {
                // Under autograd: the multiplication's backward is the one hand-written code gets, and the addition and
                // ReLU run in place on its result, which nothing saved (docs/performance.md has the measurements).
                w.Line($"x = this.{tail.Identifier}.Scale(x).add_(shortcut){relu};");
            }
            else
            {
                // In place only where x is this method's own temporary and, when training, autograd saved nothing of it.
                bool inPlace = temporary && (path == ForwardPath.Fused || FastPath.KeepsNoOutputForBackward(body.LastOrDefault()));
                w.Line(inPlace ? $"x = x.add_(shortcut){relu};" : $"x = x.add(shortcut){relu};");
            }

            FastPath.WriteChain(w, block.Layers.Where(l => l.Placement == Placement.AfterAddition).ToList(), path, "x", "x", declare: false, sourceIsTemporary: true);
        }

        w.Line("return x.MoveToOuterDisposeScope();");
    }

    /// <summary>
    /// The block's output channels as an expression, given its input channels <paramref name="input"/> and what each
    /// parameter name stands for (<paramref name="parameter"/>).
    /// </summary>
    private static Expr OutputChannels(BlockSpec block, Expr input, Func<string, Expr> parameter)
    {
        var body = block.Layers.Where(l => l.Placement == Placement.Body).ToList();
        if (block.Parallel && body.Count > 0)
        {
            return body.Select(l => OutChannels(l, input, parameter)).Aggregate((a, b) => Expr.Fold('+', a, b));
        }

        var channels = input;
        foreach (var layer in body)
        {
            channels = OutChannels(layer, channels, parameter);
        }

        return channels;
    }

    /// <summary>What a used block's parameter names stand for: its input channels, or the argument expressions given to it.</summary>
    private static Func<string, Expr> ArgumentsOf(UseSpec use, Expr input, Func<string, Expr> parameter) => name =>
        name == BlockRules.InChannels
            ? input
            : Expr.Parse(use.Arguments[use.Block.Parameters.AsImmutableArray().IndexOf(name)], out _)!.Substitute(parameter);

    /// <summary>The constructor call of a used block inside this block.</summary>
    private static string Creation(UseSpec use, Expr input, Func<string, Expr> parameter)
    {
        string stride = use.Stride == Strides.OfBlock ? "stride" : Code.Literal(use.Stride);
        var arguments = new List<string> { $"inChannels: {input.ToCSharp()}", $"stride: {stride}" };
        arguments.AddRange(use.Block.Parameters.Select((p, i) =>
        {
            // Parameters are int; an argument computed from the long inChannels is narrowed, with overflow checked.
            var argument = Expr.Parse(use.Arguments[i], out _)!;
            string text = argument.Substitute(parameter).ToCSharp();
            return argument.Mentions(BlockRules.InChannels) ? $"{p}: checked((int)({text}))" : $"{p}: {text}";
        }));
        return $"new {use.Block.QualifiedName}({string.Join(", ", arguments)})";
    }

    private static Expr OutChannels(LayerSpec layer, Expr input, Func<string, Expr> parameter) => layer switch
    {
        ConvSpec { Depthwise: true } conv => conv.Multiplier == 1 ? input : Expr.Fold('*', input, new Expr.Number(conv.Multiplier)),
        ConvSpec { OutChannelsExpression: { } text } => Expr.Parse(text, out _)!.Substitute(parameter),
        ConvSpec conv => new Expr.Number(conv.OutChannels),
        UseSpec use => OutputChannels(use.Block, input, ArgumentsOf(use, input, parameter)),
        _ => input,
    };

    /// <summary>A layer's constructor sizes as C# expressions; <paramref name="input"/> is its input channel count.</summary>
    private static LayerSizes Sizes(LayerSpec layer, Expr input, Func<string, Expr> parameter)
    {
        string inText = input.ToCSharp();
        string groups = layer is ConvSpec conv ? (conv.Depthwise ? inText : Code.Literal(conv.Groups)) : "1";
        string stride = StrideOf(layer) is { } s ? (s == Strides.OfBlock ? "stride" : Code.Literal(s)) : "1";
        string reduced = layer is SqueezeExciteSpec se
            ? $"{Code.SqueezeExcitation}.ReducedWidth({inText}, {Ratio(se, parameter)}, {Code.Literal(se.Divisor)})"
            : "0";
        return new LayerSizes(inText, OutChannels(layer, input, parameter).ToCSharp(), groups, reduced, stride);
    }

    /// <summary>An SE block's reduction ratio as C#: a literal, or its expression over the block's parameters.</summary>
    private static string Ratio(SqueezeExciteSpec se, Func<string, Expr> parameter) =>
        se.RExpression is { } text ? Expr.Parse(text, out _)!.Substitute(parameter).ToCSharp() : Code.Literal(se.R);

    /// <summary>The stride of a convolution or pooling layer (a pool's 0 meaning its kernel), else null.</summary>
    internal static int? StrideOf(LayerSpec layer) => layer switch
    {
        ConvSpec c => c.Stride,
        PoolSpec p => p.Stride == 0 ? p.Kernel : p.Stride,
        _ => null,
    };

    private static long Padding(LayerSpec layer) => layer is ConvSpec conv ? conv.PaddingOf(height: true) : 0;

    private static IEnumerable<string> Select(EquatableArray<string> items, Func<string, string> map)
    {
        foreach (string item in items)
        {
            yield return map(item);
        }
    }
}
