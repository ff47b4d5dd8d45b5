namespace SeDsl;

/// <summary>How a fused network stores its activations (<c>Fuse(Precision, MemoryFormat)</c>).</summary>
public enum MemoryFormat
{
    /// <summary>
    /// The rule of <see cref="Layers.PrecisionPlan.ChannelsLast"/>: channels-last for bfloat16 and float16, where
    /// oneDNN's and cuDNN's fast kernels want it; NCHW for float32, where channels-last lost at batch 1 on the CPU
    /// (docs/performance.md has the measurements).
    /// </summary>
    Automatic,

    /// <summary>N x C x H x W, channels outermost after the batch: libtorch's default.</summary>
    Nchw,

    /// <summary>Channels-last (N x H x W x C in memory, shape unchanged), as <c>Fuse(channelsLast: true)</c> does.</summary>
    Nhwc,
}
