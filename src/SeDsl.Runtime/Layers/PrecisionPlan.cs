using System;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// The run-time side of a generated precision plan: the libtorch dtype of a <see cref="Precision"/>, the layout rule of
/// <see cref="MemoryFormat.Automatic"/>, and the two casts at the plan's boundaries (the input once at the entry, the
/// logits once at the exit). Which layers run in which type is decided by the generator and written into each
/// network's <c>Fuse(Precision, MemoryFormat)</c>.
/// </summary>
public static class PrecisionPlan
{
    /// <summary>The libtorch element type of <paramref name="precision"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="Precision"/>.</exception>
    public static ScalarType ScalarTypeOf(Precision precision) => precision switch
    {
        Precision.Float32 => ScalarType.Float32,
        Precision.BFloat16 => ScalarType.BFloat16,
        Precision.Float16 => ScalarType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Not a precision."),
    };

    /// <summary>
    /// Whether the fused path runs channels-last: as asked for <see cref="MemoryFormat.Nchw"/> and
    /// <see cref="MemoryFormat.Nhwc"/>; for <see cref="MemoryFormat.Automatic"/>, exactly when
    /// <paramref name="precision"/> is a 16-bit type.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="MemoryFormat"/> or <see cref="Precision"/>.</exception>
    public static bool ChannelsLast(Precision precision, MemoryFormat layout)
    {
        ScalarTypeOf(precision);
        return layout switch
        {
            MemoryFormat.Nchw => false,
            MemoryFormat.Nhwc => true,
            MemoryFormat.Automatic => precision != Precision.Float32,
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Not a memory format."),
        };
    }

    /// <summary>
    /// The plan's entry: <paramref name="input"/> cast to <paramref name="compute"/> (when it is of another type) and
    /// stored channels-last when <paramref name="channelsLast"/>; <paramref name="input"/> itself when neither applies.
    /// The caller's tensor is never modified.
    /// </summary>
    public static Tensor Enter(Tensor input, ScalarType compute, bool channelsLast)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dtype == compute)
        {
            return channelsLast ? MemoryLayout.ToChannelsLast(input) : input;
        }

        if (!channelsLast)
        {
            return input.to(compute);
        }

        using var cast = input.to(compute);
        return MemoryLayout.ToChannelsLast(cast);
    }

    /// <summary>The plan's exit: <paramref name="output"/> as float32 (itself when it is float32 already).</summary>
    public static Tensor Exit(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.dtype == ScalarType.Float32 ? output : output.to(ScalarType.Float32);
    }
}
