using System;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>Where a tensor's elements lie in memory: its data pointer and the bytes its strides reach.</summary>
internal static class TensorMemory
{
    /// <summary>The data pointer of a tensor (its first element), from TorchSharp's own native library.</summary>
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);

    /// <summary>The address of the first element of <paramref name="tensor"/>.</summary>
    public static IntPtr Pointer(Tensor tensor) => THSTensor_data(tensor.Handle);

    /// <summary>
    /// Whether the byte ranges <paramref name="a"/> and <paramref name="b"/> reach overlap: each from its first element to
    /// its last (strides are never negative in libtorch), so a view of a tensor overlaps it, and two tensors that share no
    /// memory do not. An empty tensor overlaps nothing.
    /// </summary>
    public static bool Overlaps(Tensor a, Tensor b)
    {
        var (aStart, aEnd) = Range(a);
        var (bStart, bEnd) = Range(b);
        return aStart < aEnd && bStart < bEnd && aStart < bEnd && bStart < aEnd;
    }

    private static (long Start, long End) Range(Tensor tensor)
    {
        if (tensor.numel() == 0)
        {
            return (0, 0);
        }

        long[] shape = tensor.shape, strides = tensor.stride();
        long last = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            last += (shape[i] - 1) * strides[i];
        }

        long start = Pointer(tensor).ToInt64();
        return (start, start + (last + 1) * tensor.ElementSize);
    }
}
