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
        using (w.Block($"partial class {block.ClassName} : {Code.Module}"))
        {
            // Body layers change the channel count in turn; shortcut and after-addition layers see the block's output.
            string output = "inChannels";
            foreach (var layer in block.Layers.Where(l => l.Placement == Placement.Body))
            {
                output = Sizes(layer, output).Out;
            }

            var creations = new List<string>();
            string channels = "inChannels";
            foreach (var layer in block.Layers)
            {
                var sizes = Sizes(layer, layer.Placement == Placement.Body ? channels : output);
                creations.Add($"{layer.Identifier} = {LayerFactory.Create(layer, sizes, Padding(layer))};");
                if (layer.Placement == Placement.Body)
                {
                    channels = sizes.Out;
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
                    using (w.Block($"if (stride != 1 || inChannels != {output})"))
                    {
                        w.Line($"downsample = {Code.Nn}.Sequential(");
                        w.Line($"    (\"0\", {Code.Nn}.Conv2d(in_channels: inChannels, out_channels: {output}, kernel_size: 1, stride: stride, bias: false)),");
                        w.Line($"    (\"1\", {Code.Nn}.BatchNorm2d(num_features: {output})));");
                        w.Line("register_module(nameof(downsample), downsample);");
                    }
                }
            }

            w.Line();
            w.Line("/// <summary>Runs the block on a batch of shape [N, inChannels, H, W].</summary>");
            w.Line(NetworkEmitter.GeneratedCode);
            using (w.Block($"public override {Code.Tensor} forward({Code.Tensor} input)"))
            {
                w.Line($"using var scope = {Code.Torch}.NewDisposeScope();");
                var body = block.Layers.Where(l => l.Placement == Placement.Body).ToList();
                for (int i = 0; i < body.Count; i++)
                {
                    w.Line(i == 0 ? $"var x = this.{body[i].Identifier}.forward(input);" : $"x = this.{body[i].Identifier}.forward(x);");
                }

                if (body.Count == 0)
                {
                    w.Line("var x = input.alias();");
                }

                if (block.Residual)
                {
                    w.Line("var shortcut = this.downsample is null ? input : this.downsample.forward(input);");
                    foreach (var layer in block.Layers.Where(l => l.Placement == Placement.Shortcut))
                    {
                        w.Line($"shortcut = this.{layer.Identifier}.forward(shortcut);");
                    }

                    w.Line(block.ReluAfterAddition ? "x = x.add(shortcut).relu_();" : "x = x.add(shortcut);");
                    foreach (var layer in block.Layers.Where(l => l.Placement == Placement.AfterAddition))
                    {
                        w.Line($"x = this.{layer.Identifier}.forward(x);");
                    }
                }

                w.Line("return x.MoveToOuterDisposeScope();");
            }
        }

        return w.ToString();
    }

    /// <summary>Sizes as expressions over the constructor's parameters; <paramref name="input"/> is the input channel count.</summary>
    private static LayerSizes Sizes(LayerSpec layer, string input)
    {
        string output = input;
        string groups = "1";
        string stride = "1";
        if (layer is ConvSpec conv)
        {
            stride = conv.Stride == Strides.OfBlock ? "stride" : Code.Literal(conv.Stride);
            if (conv.Depthwise)
            {
                groups = input;
                output = conv.Multiplier == 1 ? input : $"{Wrap(input)} * {Code.Literal(conv.Multiplier)}";
            }
            else
            {
                groups = Code.Literal(conv.Groups);
                output = conv.OutChannelsExpression is { } text
                    ? Expr.Parse(text, out _)!.ToCSharp(name => name == BlockRules.InChannels ? name : "this." + name)
                    : Code.Literal(conv.OutChannels);
            }
        }

        string reduced = layer is SqueezeExciteSpec se
            ? $"{Code.SqueezeExcitation}.ReducedWidth({input}, {Code.Literal(se.R)}, {Code.Literal(se.Divisor)})"
            : "0";
        return new LayerSizes(input, output, groups, reduced, stride);
    }

    private static long Padding(LayerSpec layer) => layer is ConvSpec conv
        ? conv.Padding == Analysis.Padding.Same ? (long)conv.Dilation * (conv.Kernel - 1) / 2 : conv.Padding
        : 0;

    private static string Wrap(string expression) => expression.Contains(" ") ? "(" + expression + ")" : expression;

    private static IEnumerable<string> Select(EquatableArray<string> items, System.Func<string, string> map)
    {
        foreach (string item in items)
        {
            yield return map(item);
        }
    }
}
