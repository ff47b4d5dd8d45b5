using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// The sizes a layer's constructor call needs, as C# expressions: literals in a network (known at compile time),
/// expressions over the constructor's parameters in a block (known when the block is created).
/// </summary>
/// <remarks><see cref="Stride"/> is the stride of a convolution or pooling layer, already defaulted (a pool's 0 is its kernel).</remarks>
internal sealed record LayerSizes(string In, string Out, string Groups, string Reduced, string Stride);

/// <summary>The one place that knows how each layer kind is created in TorchSharp; every argument is named.</summary>
internal static class LayerFactory
{
    /// <remarks>Enum values were range-checked by the analysis, so printing their names is safe.</remarks>
    public static string Create(LayerSpec spec, LayerSizes sizes, long padding)
    {
        switch (spec)
        {
            case ConvSpec { Rectangular: true } c:
                // TorchSharp takes rectangular sizes as (height, width) pairs.
                return $"{Code.Nn}.Conv2d(in_channels: {sizes.In}, out_channels: {sizes.Out}, kernel_size: ({c.Kernel}, {c.Width}), stride: ({sizes.Stride}, {sizes.Stride}), " +
                    $"padding: ({Code.Literal(padding)}, {Code.Literal(c.PaddingOf(height: false))}), dilation: ({c.Dilation}, {c.Dilation}), groups: {sizes.Groups}, bias: {Code.Literal(c.Bias)})";
            case ConvSpec c:
                // A literal 0 also converts to the Padding enum, which makes "padding: 0" ambiguous; 0 is the default anyway.
                string pad = padding == 0 ? "" : $"padding: {Code.Literal(padding)}, ";
                return $"{Code.Nn}.Conv2d(in_channels: {sizes.In}, out_channels: {sizes.Out}, kernel_size: {c.Kernel}, stride: {sizes.Stride}, {pad}dilation: {c.Dilation}, groups: {sizes.Groups}, bias: {Code.Literal(c.Bias)})";
            case BatchNormSpec bn:
                return $"{Code.Nn}.BatchNorm2d(num_features: {sizes.In}, eps: {Code.Literal(bn.Eps)}, momentum: {Code.Literal(bn.Momentum)})";
            case ActivationSpec a:
                return a.Activation switch
                {
                    ActivationKind.ReLU => $"{Code.Nn}.ReLU()",
                    ActivationKind.ReLU6 => $"{Code.Nn}.ReLU6()",
                    ActivationKind.Sigmoid => $"{Code.Nn}.Sigmoid()",
                    ActivationKind.Tanh => $"{Code.Nn}.Tanh()",
                    ActivationKind.HardSigmoid => $"{Code.Nn}.Hardsigmoid()",
                    _ => $"{Code.Nn}.SiLU()",
                };
            case PoolSpec p:
                string pool = p.Max ? "MaxPool2d" : "AvgPool2d";
                string countPad = p.CountIncludePad ? "" : ", count_include_pad: false";
                return $"{Code.Nn}.{pool}(kernel_size: {p.Kernel}, stride: {sizes.Stride}, padding: {p.Padding}, ceil_mode: {Code.Literal(p.CeilMode)}{countPad})";
            case GlobalPoolSpec g:
                return g.Max ? $"{Code.Nn}.AdaptiveMaxPool2d(new long[] {{ 1, 1 }})" : $"{Code.Nn}.AdaptiveAvgPool2d(1)";
            case FlattenSpec:
                return $"{Code.Nn}.Flatten()";
            case LinearSpec l:
                return $"{Code.Nn}.Linear(inputSize: {sizes.In}, outputSize: {l.OutFeatures}, hasBias: {Code.Literal(l.Bias)})";
            case DropoutSpec d:
                return $"{Code.Nn}.Dropout(p: {Code.Literal(d.P)})";
            case ChannelShuffleSpec s:
                return $"{Code.Nn}.ChannelShuffle(groups: {s.Groups})";
            case SqueezeExciteSpec se:
                return $"new {Code.SqueezeExcitation}(channels: {sizes.In}, reducedChannels: {sizes.Reduced}, squeeze: {Code.SqueezeOperator}.{se.Squeeze}, gate: {Code.ExcitationGate}.{se.Gate}, bias: {Code.Literal(se.Bias)})";
            default:
                return $"{Code.Nn}.Identity()";
        }
    }
}
