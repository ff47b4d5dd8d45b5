namespace SeDsl;

/// <summary>Named padding values for convolution and pooling attributes.</summary>
public static class Pad
{
    /// <summary>
    /// "Same" padding: the output keeps the input's height and width. Valid with stride 1 and an odd effective
    /// kernel (dilation x (kernel - 1) even), where it equals symmetric padding of dilation x (kernel - 1) / 2.
    /// </summary>
    public const int Same = -1;
}

/// <summary>A 2-D convolution (<c>torch.nn.Conv2d</c>). Input channels are inferred from the previous layer.</summary>
/// <param name="outChannels">Number of output channels.</param>
/// <param name="kernel">Square kernel size.</param>
public sealed class Conv2dAttribute(int outChannels, int kernel) : LayerAttribute
{
    /// <summary>Number of output channels.</summary>
    public int OutChannels { get; } = outChannels;

    /// <summary>Square kernel size.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Stride in both spatial dimensions. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero padding on each side, or <see cref="Pad.Same"/>. Default 0.</summary>
    public int Padding { get; set; }

    /// <summary>Spacing between kernel elements. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Number of channel groups; must divide both input and output channels. Default 1.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the convolution adds a learned bias. Default <see langword="true"/>, as in PyTorch.</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>
/// A depthwise 2-D convolution: one filter per channel (<c>groups</c> = input channels), output channels =
/// input channels x <see cref="Multiplier"/>.
/// </summary>
/// <param name="kernel">Square kernel size.</param>
public sealed class DepthwiseConv2dAttribute(int kernel) : LayerAttribute
{
    /// <summary>Square kernel size.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Output channels per input channel. Default 1.</summary>
    public int Multiplier { get; set; } = 1;

    /// <summary>Stride in both spatial dimensions. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero padding on each side, or <see cref="Pad.Same"/>. Default 0.</summary>
    public int Padding { get; set; }

    /// <summary>Spacing between kernel elements. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Whether the convolution adds a learned bias. Default <see langword="true"/>, as in PyTorch.</summary>
    public bool Bias { get; set; } = true;
}
