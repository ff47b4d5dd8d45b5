using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// Blocks and stages: resolves each block's channel expressions and block stride for its arguments, then analyses the
/// resulting layers with the same <see cref="ShapeRules"/> as any network, adding the residual shortcut.
/// </summary>
internal static class BlockRules
{
    /// <summary>The name under which expressions may refer to a block's input channels.</summary>
    public const string InChannels = "inChannels";

    /// <summary>
    /// Replaces a layer's expressions and <c>Strides.OfBlock</c> with values. <paramref name="values"/> holds the block's
    /// parameters (empty outside blocks); <paramref name="blockStride"/> is null outside blocks. Returns null after a finding.
    /// </summary>
    public static LayerSpec? Resolve(LayerSpec layer, IReadOnlyDictionary<string, long> values, long? blockStride, FindingSink sink)
    {
        if (layer is UseSpec use)
        {
            var numbers = new List<string>();
            foreach (string argument in use.Arguments)
            {
                var parsed = Expr.Parse(argument, out string why);
                long? number = parsed?.Evaluate(values, out why);
                if (number is null)
                {
                    sink.Add(DiagnosticIds.InvalidExpression, "arguments", use.Name, argument, why);
                    return null;
                }

                if (number > int.MaxValue || number < int.MinValue)
                {
                    sink.Add(DiagnosticIds.CountOverflow, "arguments", use.Name, "block arguments");
                    return null;
                }

                numbers.Add(number.Value.ToString(CultureInfo.InvariantCulture));
            }

            int useStride = use.Stride == Strides.OfBlock && blockStride is { } s ? (int)s : use.Stride;
            return use with { Arguments = numbers.ToEquatableArray(), Stride = useStride };
        }

        if (layer is PoolSpec { Stride: Strides.OfBlock } pool && blockStride is { } poolStride)
        {
            return pool with { Stride = (int)poolStride };
        }

        if (layer is SqueezeExciteSpec { RExpression: { } ratio } se)
        {
            var expr = Expr.Parse(ratio, out string why);
            long? value = expr?.Evaluate(values, out why);
            if (value is null)
            {
                sink.Add(DiagnosticIds.InvalidExpression, "R", se.Name, ratio, why);
                return null;
            }

            if (value > int.MaxValue || value < int.MinValue)
            {
                sink.Add(DiagnosticIds.CountOverflow, "R", se.Name, "reduction ratio");
                return null;
            }

            return se with { R = (int)value.Value };
        }

        if (layer is not ConvSpec conv)
        {
            return layer;
        }

        if (conv.OutChannelsExpression is { } text)
        {
            var expr = Expr.Parse(text, out string error);
            long? value = expr?.Evaluate(values, out error);
            if (value is null)
            {
                sink.Add(DiagnosticIds.InvalidExpression, "OutChannels", conv.Name, text, error);
                return null;
            }

            if (value > int.MaxValue || value < int.MinValue)
            {
                sink.Add(DiagnosticIds.CountOverflow, "OutChannels", conv.Name, "output channels");
                return null;
            }

            conv = conv with { OutChannels = (int)value.Value };
        }

        if (conv.Stride == Strides.OfBlock && blockStride is { } stride)
        {
            conv = conv with { Stride = (int)stride };
        }

        return conv;
    }

    /// <summary>Shapes and counts of a stage; findings inside its blocks are reported on the stage, naming the inner layer.</summary>
    public static LayerPlan? Stage(StageSpec stage, Shape input, FindingSink sink)
    {
        var inner = new List<Finding>();
        var current = input;
        long parameters = 0, multiplyAdds = 0;
        var blockInputs = new List<long>();
        for (int b = 0; b < stage.Blocks && current is not null; b++)
        {
            blockInputs.Add(current.Channels);
            var values = new Dictionary<string, long> { [InChannels] = current.Channels };
            for (int p = 0; p < stage.Block.Parameters.Count; p++)
            {
                values[stage.Block.Parameters[p]] = stage.Arguments[p];
            }

            var block = Block(stage.Block, $"{stage.Name}.{b.ToString(CultureInfo.InvariantCulture)}.", values, b == 0 ? stage.Stride : 1, current, new FindingSink(inner, 0));
            if (block is null)
            {
                current = null;
                break;
            }

            parameters = Counting.Sum("parameters", parameters, block.Value.Parameters);
            multiplyAdds = Counting.Sum("multiply-adds", multiplyAdds, block.Value.MultiplyAdds);
            current = block.Value.Output;
        }

        foreach (var finding in inner)
        {
            sink.Add(finding.Id, null, finding.MessageArgs.ToArray());
        }

        return current is null ? null : new LayerPlan(stage, input, current, parameters, multiplyAdds, 1, 0, 0)
        {
            BlockInputs = blockInputs.ToEquatableArray(),
        };
    }

    /// <summary>Shapes and counts of one <c>[Use]</c>d block, with its resolved (numeric) arguments.</summary>
    public static LayerPlan? Use(UseSpec use, Shape input, FindingSink sink)
    {
        var values = new Dictionary<string, long> { [InChannels] = input.Channels };
        for (int p = 0; p < use.Block.Parameters.Count; p++)
        {
            values[use.Block.Parameters[p]] = long.Parse(use.Arguments[p], CultureInfo.InvariantCulture);
        }

        var block = Block(use.Block, use.Name + ".", values, use.Stride, input, sink);
        return block is null ? null : new LayerPlan(use, input, block.Value.Output, block.Value.Parameters, block.Value.MultiplyAdds, 1, 0, 0);
    }

    private static (Shape Output, long Parameters, long MultiplyAdds)? Block(
        BlockSpec block, string prefix, IReadOnlyDictionary<string, long> values, long stride, Shape input, FindingSink sink)
    {
        long parameters = 0, multiplyAdds = 0;

        // One layer of the block, counted; null after a finding.
        Shape? Apply(LayerSpec declared, Shape current)
        {
            var layer = Resolve(declared with { Name = prefix + declared.Name }, values, stride, sink);
            if (layer is null)
            {
                return null;
            }

            var before = sink.Count;
            ArgumentRules.Check(layer, sink);
            var plan = sink.Count == before ? ShapeRules.Propagate(layer, current, sink) : null;
            if (plan is null)
            {
                return null;
            }

            parameters = Counting.Sum("parameters", parameters, plan.Parameters);
            multiplyAdds = Counting.Sum("multiply-adds", multiplyAdds, plan.MultiplyAdds);
            return plan.Output;
        }

        // The layers of one placement in sequence.
        Shape? Run(Placement placement, Shape start)
        {
            Shape? current = start;
            foreach (var layer in block.Layers.Where(l => l.Placement == placement))
            {
                current = Apply(layer, current);
                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }

        // Parallel body layers on the same input, concatenated on channels.
        Shape? Branches()
        {
            Shape? first = null;
            string firstName = "";
            long channels = 0;
            foreach (var layer in block.Layers.Where(l => l.Placement == Placement.Body))
            {
                var output = Apply(layer, input);
                if (output is null)
                {
                    return null;
                }

                if (first is not null && (output.Flat != first.Flat || output.Height != first.Height || output.Width != first.Width))
                {
                    sink.Add(DiagnosticIds.BranchSizeMismatch, null, prefix.TrimEnd('.') + " (" + block.ClassName + ")", prefix + layer.Name, output.ToString(), firstName, first.ToString());
                    return null;
                }

                if (first is null)
                {
                    first = output;
                    firstName = prefix + layer.Name;
                }

                channels = Counting.Sum("channels", channels, output.Channels);
            }

            return first is null ? input : first.Flat ? Shape.Features(channels) : Shape.Spatial(channels, first.Height, first.Width);
        }

        var body = block.Parallel ? Branches() : Run(Placement.Body, input);
        if (body is null || !block.Residual)
        {
            return body is null ? null : (body, parameters, multiplyAdds);
        }

        // Identity when nothing changes, else torchvision's projection: k x k convolution (k = 1 by default) with the
        // stride and (k - 1) / 2 padding, no bias, then batch norm.
        var projected = input;
        if (stride != 1 || input.Channels != body.Channels)
        {
            long k = block.ShortcutKernel;
            long h = Counting.WindowOutput(input.Height, k, stride, (k - 1) / 2, 1, ceil: false);
            long w = Counting.WindowOutput(input.Width, k, stride, (k - 1) / 2, 1, ceil: false);
            projected = Shape.Spatial(body.Channels, h, w);
            long weights = Counting.Product("parameters", input.Channels, body.Channels, k, k);
            parameters = Counting.Sum("parameters", parameters, Counting.Sum("parameters", weights, Counting.Product("parameters", 2, body.Channels)));
            multiplyAdds = Counting.Sum("multiply-adds", multiplyAdds, Counting.Product("multiply-adds", weights, h, w));
        }

        var shortcut = Run(Placement.Shortcut, projected);
        if (shortcut is null)
        {
            return null;
        }

        if (shortcut != body)
        {
            sink.Add(DiagnosticIds.ResidualShapeMismatch, null, prefix.TrimEnd('.') + " (" + block.ClassName + ")", body.ToString(), shortcut.ToString());
            return null;
        }

        var output = Run(Placement.AfterAddition, body);
        return output is null ? null : (output, parameters, multiplyAdds);
    }
}
