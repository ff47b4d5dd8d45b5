using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// The fused path's 1x1 convolutions. In a bfloat16 plan with channels-last activations, a 1x1 convolution whose weights
/// outnumber its output positions (N x H' x W') by at least <see cref="MatrixProductMinimum"/> runs as one matrix product
/// of the NHWC activations (each position a row of C) with the weights viewed as a C' x C matrix, plus the bias: the same
/// sum of products, which libtorch accumulates in float32 either way, without oneDNN's per-call reorder of the weights into
/// its blocked convolution layout, which dominates such a layer (SE-ResNet-50's last stage at batch 1: docs/performance.md,
/// "bench layers"). Everything else, float32 always, runs the module's own <c>forward</c>.
/// </summary>
public static class PointwiseConvolution
{
    /// <summary>
    /// The least number of weights per output position for the matrix product: measured, it wins where the ratio is
    /// 2,675 or more and ties or loses at 1,337 and below.
    /// </summary>
    public const long MatrixProductMinimum = 2048;

    /// <summary>
    /// <paramref name="module"/> applied to <paramref name="input"/>: as a matrix product where <see cref="Applies"/>
    /// holds, otherwise through <c>module.forward(input)</c> itself.
    /// </summary>
    public static Tensor Forward(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        if (module is not Conv2d convolution || !Applies(convolution, input))
        {
            return module.forward(input);
        }

        using var scope = NewDisposeScope();
        long strideH = convolution.stride[0], strideW = convolution.stride[1];
        var x = strideH == 1 && strideW == 1 ? input
            : input[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, strideH), TensorIndex.Slice(null, null, strideW)];
        var weight = convolution.weight!.reshape(convolution.out_channels, convolution.in_channels);
        // [N, H, W, C] rows times the weights' transpose: [N, H, W, C'], viewed back as N x C' x H x W with NHWC strides.
        return nn.functional.linear(x.permute(0, 2, 3, 1), weight, convolution.bias).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Whether <paramref name="convolution"/> on <paramref name="input"/> runs as a matrix product: a bfloat16 input stored
    /// channels-last, a 1x1 ungrouped unpadded convolution, and at least <see cref="MatrixProductMinimum"/> weights per
    /// output position.
    /// </summary>
    public static bool Applies(Conv2d convolution, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        ArgumentNullException.ThrowIfNull(input);
        if (input.dtype != ScalarType.BFloat16 || input.dim() != 4 || convolution.weight is not { } weight || weight.dtype != ScalarType.BFloat16)
        {
            return false;
        }

        bool pointwise = convolution.kernel_size[0] == 1 && convolution.kernel_size[1] == 1 && convolution.groups == 1
            && (convolution.padding ?? [0, 0]) is [0, 0] && convolution.padding_mode == PaddingModes.Zeros;
        if (!pointwise || !MemoryLayout.IsChannelsLast(input))
        {
            return false;
        }

        long positions = input.shape[0] * ((input.shape[2] - 1) / convolution.stride[0] + 1) * ((input.shape[3] - 1) / convolution.stride[1] + 1);
        return weight.numel() >= MatrixProductMinimum * positions;
    }
}
