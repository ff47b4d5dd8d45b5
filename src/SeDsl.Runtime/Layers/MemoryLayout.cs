using System;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// Channels-last (NHWC) strides for a 4-d tensor. TorchSharp 0.107 has no memory-format API, but libtorch's
/// convolutions follow the strides of their input: an N x C x H x W tensor whose channels are its innermost dimension in
/// memory makes every convolution after it run, and return, channels-last.
/// </summary>
public static class MemoryLayout
{
    /// <summary>
    /// A copy of <paramref name="input"/> (N x C x H x W) stored channels-last; its shape and values are unchanged.
    /// </summary>
    public static Tensor ToChannelsLast(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var nhwc = input.permute(0, 2, 3, 1);
        using var stored = nhwc.contiguous();
        return stored.permute(0, 3, 1, 2);
    }

    /// <summary>
    /// <paramref name="output"/> itself where it shares no memory with <paramref name="input"/>, else a copy of it (strides
    /// kept). A fused block whose layers may all hand back their input (a dropout or an identity at inference, optional
    /// layers absent) returns through this, so that the block's caller may write over what it gets, as it does over every
    /// other block's output, without writing over its own input.
    /// </summary>
    public static Tensor Detached(Tensor output, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(input);
        return ReferenceEquals(output, input) || TensorMemory.Overlaps(output, input) ? output.clone() : output;
    }

    /// <summary>Whether <paramref name="input"/> (4-d) is stored channels-last: channels innermost, then width, height, batch.</summary>
    public static bool IsChannelsLast(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IsChannelsLast(input.shape, input.stride());
    }

    /// <summary>Whether a tensor of <paramref name="shape"/> and <paramref name="strides"/> is stored channels-last (4-d).</summary>
    internal static bool IsChannelsLast(long[] shape, long[] strides) =>
        shape.Length == 4 && strides.Length == 4 && strides[1] == 1 && strides[3] == shape[1] && strides[2] == shape[1] * shape[3];
}
