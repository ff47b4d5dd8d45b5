using System.Globalization;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// Output shape, parameters and multiply-adds of one layer given its input shape. The counting convention is
/// documented in docs/dsl.md: convolutions Cout*Hout*Wout*(Cin/groups)*k*k, linear in*out, SE its two fully
/// connected layers; batch norm, activations, pooling, additions and the SE scaling are not counted.
/// </summary>
internal static class ShapeRules
{
    /// <summary>Returns the layer's plan, or null after reporting why its output has no valid shape.</summary>
    public static LayerPlan? Propagate(LayerSpec layer, Shape input, FindingSink sink)
    {
        if (input.Flat && layer is not (ActivationSpec or DropoutSpec or IdentitySpec or LinearSpec))
        {
            sink.Add(DiagnosticIds.NeedsSpatialInput, null, layer.Name, layer.Kind, input.ToString());
            return null;
        }

        switch (layer)
        {
            case ConvSpec conv:
                return Convolution(conv, input, sink);

            case PoolSpec pool:
                long stride = pool.Stride == 0 ? pool.Kernel : pool.Stride;
                long h = Counting.WindowOutput(input.Height, pool.Kernel, stride, pool.Padding, 1, pool.CeilMode);
                long w = Counting.WindowOutput(input.Width, pool.Kernel, stride, pool.Padding, 1, pool.CeilMode);
                if (h < 1 || w < 1)
                {
                    sink.Add(DiagnosticIds.SpatialSizeVanishes, "Kernel", layer.Name, input.ToString(), Size(h, w));
                    return null;
                }

                return Plan(layer, input, Shape.Spatial(input.Channels, h, w), 0, 0, padding: pool.Padding);

            case BatchNormSpec:
                return Plan(layer, input, input, Counting.Product("parameters", 2, input.Channels), 0);

            case ActivationSpec or DropoutSpec or IdentitySpec:
                return Plan(layer, input, input, 0, 0);

            case GlobalPoolSpec:
                return Plan(layer, input, Shape.Spatial(input.Channels, 1, 1), 0, 0);

            case FlattenSpec:
                return Plan(layer, input, Shape.Features(Counting.Product("flattened features", input.Channels, input.Height, input.Width)), 0, 0);

            case LinearSpec linear:
                if (!input.Flat)
                {
                    sink.Add(DiagnosticIds.NeedsFlatInput, null, layer.Name, input.ToString());
                    return null;
                }

                long weights = Counting.Product("parameters", input.Channels, linear.OutFeatures);
                long parameters = linear.Bias ? Counting.Sum("parameters", weights, linear.OutFeatures) : weights;
                return Plan(layer, input, Shape.Features(linear.OutFeatures), parameters, weights);

            case ChannelShuffleSpec shuffle:
                if (input.Channels % shuffle.Groups != 0)
                {
                    sink.Add(DiagnosticIds.GroupsDoNotDivide, "Groups", layer.Name, Text(shuffle.Groups), "input", Text(input.Channels));
                    return null;
                }

                return Plan(layer, input, input, 0, 0, groups: shuffle.Groups);

            case SqueezeExciteSpec se:
                return SqueezeExcite(se, input, sink);

            case StageSpec stage:
                return BlockRules.Stage(stage, input, sink);

            case UseSpec use:
                return BlockRules.Use(use, input, sink);

            default:
                return null;
        }
    }

    private static LayerPlan? Convolution(ConvSpec conv, Shape input, FindingSink sink)
    {
        long inChannels = input.Channels;
        long outChannels = conv.Depthwise ? Counting.Product("output channels", inChannels, conv.Multiplier) : conv.OutChannels;
        long groups = conv.Depthwise ? inChannels : conv.Groups;
        if (!conv.Depthwise)
        {
            if (inChannels % groups != 0)
            {
                sink.Add(DiagnosticIds.GroupsDoNotDivide, "Groups", conv.Name, Text(groups), "input", Text(inChannels));
                return null;
            }

            if (outChannels % groups != 0)
            {
                sink.Add(DiagnosticIds.GroupsDoNotDivide, "Groups", conv.Name, Text(groups), "output", Text(outChannels));
                return null;
            }
        }

        long padding = conv.PaddingOf(height: true);
        long h = Counting.WindowOutput(input.Height, conv.Kernel, conv.Stride, padding, conv.Dilation, ceil: false);
        long w = Counting.WindowOutput(input.Width, conv.Width, conv.Stride, conv.PaddingOf(height: false), conv.Dilation, ceil: false);
        if (h < 1 || w < 1)
        {
            sink.Add(DiagnosticIds.SpatialSizeVanishes, "Kernel", conv.Name, input.ToString(), Size(h, w));
            return null;
        }

        long perOutput = Counting.Product("parameters", inChannels / groups, conv.Kernel, conv.Width);
        long weights = Counting.Product("parameters", outChannels, perOutput);
        long parameters = conv.Bias ? Counting.Sum("parameters", weights, outChannels) : weights;
        long multiplyAdds = Counting.Product("multiply-adds", outChannels, h, w, perOutput);
        return Plan(conv, input, Shape.Spatial(outChannels, h, w), parameters, multiplyAdds, groups, padding);
    }

    private static LayerPlan? SqueezeExcite(SqueezeExciteSpec se, Shape input, FindingSink sink)
    {
        long channels = input.Channels;
        long reduced = ReducedChannels(channels, se.R, se.Divisor);
        if (reduced < 1)
        {
            sink.Add(DiagnosticIds.ReductionLeavesNoChannels, "R", se.Name, Text(se.R), Text(channels));
            return null;
        }

        if (se.Divisor == 1 && channels % se.R != 0)
        {
            sink.Add(DiagnosticIds.ReductionNotExact, "R", se.Name, Text(se.R), Text(channels), Text(reduced));
        }

        long weights = Counting.Product("multiply-adds", 2, channels, reduced);
        long parameters = se.Bias ? Counting.Sum("parameters", weights, Counting.Sum("parameters", channels, reduced)) : weights;
        return Plan(se, input, input, parameters, weights, reduced: reduced);
    }

    /// <summary>
    /// Width of the excitation bottleneck: C / r with divisor 1 (the paper); otherwise timm's make_divisible,
    /// max(d, floor(C/r + d/2) rounded down to a multiple of d), computed exactly in integers.
    /// </summary>
    public static long ReducedChannels(long channels, long r, long divisor)
    {
        if (divisor <= 1)
        {
            return channels / r;
        }

        long rounded = Counting.Sum("reduced channels", Counting.Product("reduced channels", 2, channels), Counting.Product("reduced channels", r, divisor))
            / (2 * r) / divisor * divisor;
        return rounded < divisor ? divisor : rounded;
    }

    private static LayerPlan Plan(LayerSpec layer, Shape input, Shape output, long parameters, long multiplyAdds,
        long groups = 1, long padding = 0, long reduced = 0) =>
        new(layer, input, output, parameters, multiplyAdds, groups, padding, reduced);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Size(long h, long w) => $"{Text(h)}x{Text(w)}";
}
