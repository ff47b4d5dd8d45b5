using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// The fused path's ungrouped convolutions. In a bfloat16 plan with channels-last activations, a convolution whose weights
/// per kernel tap (C' x C) outnumber its output positions (N x H' x W') by at least <see cref="MatrixProductMinimum"/>
/// runs as one matrix product: each output position's receptive field gathered into a row (for a 1x1 kernel the NHWC
/// activations themselves; otherwise the kh x kw shifted windows of the zero-padded NHWC map, stacked so that a row is in
/// the weights' own C x kh x kw order), times the weights viewed as a C' x (C kh kw) matrix, plus the bias. These are the
/// convolution's sums of products, which libtorch accumulates in float32 either way, without oneDNN's per-call reorder of
/// the weights into its blocked convolution layout, which dominates such a layer (SE-ResNet-50's last stage at batch 1:
/// docs/performance.md, "bench layers"). Everything else, float32 always, runs the module's own <c>forward</c>.
/// </summary>
public static class MatrixProductConvolution
{
    /// <summary>
    /// The least number of weights per kernel tap and output position for the matrix product. Measured on SE-ResNet-50's
    /// convolutions (<c>bench layers</c>): for 1x1 kernels it wins where the ratio is 2,675 or more and ties or loses at
    /// 1,337 and below; for 3x3 kernels it wins at 5,350 (layer4 at batch 1) and ties at 669 (layer4 at batch 8) and 334
    /// (layer3 at batch 1).
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
        return module is Conv2d convolution && Applies(convolution, input) ? AsMatrixProduct(convolution, input) : module.forward(input);
    }

    /// <summary>
    /// <paramref name="convolution"/> applied to <paramref name="input"/> as a matrix product, whatever the number of weights
    /// per position (<see cref="Forward"/> takes it only where <see cref="Applies"/> holds; benchmarks compare the two
    /// forms with this). The result is stored channels-last, whatever the input's layout.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The convolution is grouped or dilated or pads other than with zeros, or the input is not 4-d with the convolution's
    /// input channels.
    /// </exception>
    public static Tensor AsMatrixProduct(Conv2d convolution, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.shape;
        if (!IsPlain(convolution) || shape.Length != 4 || shape[1] != convolution.in_channels)
        {
            throw new ArgumentException(
                $"A matrix product needs a 4-d input of {convolution.in_channels} channels and an ungrouped, undilated, zero-padded convolution; got an input of shape [{string.Join(", ", shape)}], groups {convolution.groups}, dilation [{string.Join(", ", convolution.dilation ?? [1, 1])}], padding mode {convolution.padding_mode}.",
                nameof(convolution));
        }

        using var scope = NewDisposeScope();
        long kernelH = convolution.kernel_size[0], kernelW = convolution.kernel_size[1];
        long strideH = convolution.stride[0], strideW = convolution.stride[1];
        var weight = convolution.weight!.reshape(convolution.out_channels, -1);
        var nhwc = input.permute(0, 2, 3, 1);
        Tensor rows;
        if (kernelH == 1 && kernelW == 1)
        {
            rows = strideH == 1 && strideW == 1 ? nhwc
                : nhwc[TensorIndex.Colon, TensorIndex.Slice(null, null, strideH), TensorIndex.Slice(null, null, strideW)];
        }
        else
        {
            var (padH, padW) = Padding(convolution);
            var padded = padH == 0 && padW == 0 ? nhwc : nn.functional.pad(nhwc, [0, 0, padW, padW, padH, padH]);
            long outH = OutputSide(shape[2], kernelH, strideH, padH), outW = OutputSide(shape[3], kernelW, strideW, padW);
            var windows = new Tensor[kernelH * kernelW];
            for (long i = 0; i < kernelH; i++)
            {
                for (long j = 0; j < kernelW; j++)
                {
                    windows[(i * kernelW) + j] = padded[TensorIndex.Colon, TensorIndex.Slice(i, i + (strideH * (outH - 1)) + 1, strideH),
                        TensorIndex.Slice(j, j + (strideW * (outW - 1)) + 1, strideW)];
                }
            }

            // [N, H', W', C, kh x kw]: a row per output position in the order of the weights' C x kh x kw.
            rows = stack(windows, -1).flatten(3);
        }

        // [N, H', W', C'], viewed back as N x C' x H' x W' with NHWC strides.
        return nn.functional.linear(rows, weight, convolution.bias).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Whether <paramref name="convolution"/> on <paramref name="input"/> runs as a matrix product: a bfloat16 input stored
    /// channels-last, an ungrouped undilated convolution with zero (or no) padding, and at least
    /// <see cref="MatrixProductMinimum"/> weights per kernel tap and output position.
    /// </summary>
    public static bool Applies(Conv2d convolution, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        ArgumentNullException.ThrowIfNull(input);
        if (input.dtype != ScalarType.BFloat16 || convolution.weight is not { } weight || weight.dtype != ScalarType.BFloat16 || !IsPlain(convolution))
        {
            return false;
        }

        // The shape and strides are read once each (a native call apiece, about 2 us): this runs before every
        // convolution of a bfloat16 plan, and the rule, cheaper to check, rules most of them out first.
        var shape = input.shape;
        if (shape.Length != 4 || shape[1] != convolution.in_channels)
        {
            return false;
        }

        var (padH, padW) = Padding(convolution);
        long outH = OutputSide(shape[2], convolution.kernel_size[0], convolution.stride[0], padH);
        long outW = OutputSide(shape[3], convolution.kernel_size[1], convolution.stride[1], padW);
        long positions = shape[0] * outH * outW;
        return positions > 0 && convolution.out_channels * convolution.in_channels >= MatrixProductMinimum * positions
            && MemoryLayout.IsChannelsLast(shape, input.stride());
    }

    /// <summary>
    /// Ungrouped, undilated, padded with zeros by explicit amounts (a 1x1 kernel by none: libtorch's "same" and "valid"
    /// leave no amounts to read, and mean none for it).
    /// </summary>
    private static bool IsPlain(Conv2d convolution) =>
        convolution.groups == 1 && convolution.padding_mode == PaddingModes.Zeros && (convolution.dilation ?? [1, 1]) is [1, 1]
        && (IsPointwise(convolution) ? (convolution.padding ?? [0, 0]) is [0, 0] : convolution.padding is [>= 0, >= 0]);

    private static bool IsPointwise(Conv2d convolution) => convolution.kernel_size[0] == 1 && convolution.kernel_size[1] == 1;

    private static (long H, long W) Padding(Conv2d convolution) => IsPointwise(convolution) ? (0, 0) : (convolution.padding![0], convolution.padding[1]);

    private static long OutputSide(long side, long kernel, long stride, long padding) => ((side + (2 * padding) - kernel) / stride) + 1;
}
