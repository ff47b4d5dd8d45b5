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

/// <summary>Named stride values for convolution attributes.</summary>
public static class Strides
{
    /// <summary>
    /// Inside a <see cref="BlockAttribute"/> class: the block's stride, which a <see cref="StageAttribute"/> sets to its
    /// <see cref="StageAttribute.Stride"/> for the first block and to 1 for the others (the projection shortcut uses it too).
    /// </summary>
    public const int OfBlock = -2;
}

/// <summary>
/// A 2-D convolution (<c>torch.nn.Conv2d</c>). Input channels are inferred from the previous layer. Every size is an
/// <see langword="int"/>, or inside a <see cref="BlockAttribute"/> class an expression string over the block's parameters
/// and <c>inChannels</c>, such as <c>nameof(planes)</c>, <c>"planes * 4"</c> or <c>"width / groupWidth"</c>.
/// </summary>
public sealed class Conv2dAttribute : LayerAttribute
{
    /// <summary>A convolution with a square kernel.</summary>
    /// <param name="outChannels">Number of output channels: an int or an expression string.</param>
    /// <param name="kernel">Square kernel size: an int or an expression string.</param>
    public Conv2dAttribute(object outChannels, object kernel)
    {
        OutChannels = outChannels;
        Kernel = kernel;
        KernelWidth = kernel;
    }

    /// <summary>A convolution with a rectangular kernel, such as Inception's 1x7 and 7x1 factorised convolutions.</summary>
    /// <param name="outChannels">Number of output channels: an int or an expression string.</param>
    /// <param name="kernel">Kernel height.</param>
    /// <param name="kernelWidth">Kernel width.</param>
    public Conv2dAttribute(object outChannels, object kernel, object kernelWidth)
        : this(outChannels, kernel)
    {
        KernelWidth = kernelWidth;
    }

    /// <summary>Number of output channels.</summary>
    public object OutChannels { get; }

    /// <summary>Kernel size: the height and, unless a kernel width is given, the width.</summary>
    public object Kernel { get; }

    /// <summary>Kernel width of a rectangular kernel; equal to <see cref="Kernel"/> for a square one.</summary>
    public object KernelWidth { get; }

    /// <summary>Stride in both spatial dimensions, or <see cref="Strides.OfBlock"/> inside a block. Default 1.</summary>
    public object Stride { get; set; } = 1;

    /// <summary>
    /// Zero padding on each side, or <see cref="Pad.Same"/> (with a rectangular kernel, "same" pads each dimension
    /// by its own half-kernel: 1x7 gets (0, 3)). Default 0.
    /// </summary>
    public object Padding { get; set; } = 0;

    /// <summary>Spacing between kernel elements. Default 1.</summary>
    public object Dilation { get; set; } = 1;

    /// <summary>Number of channel groups; must divide both input and output channels, e.g. <c>"width / 8"</c>. Default 1.</summary>
    public object Groups { get; set; } = 1;

    /// <summary>Whether the convolution adds a learned bias. Default <see langword="true"/>, as in PyTorch.</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>
/// A depthwise 2-D convolution: one filter per channel (<c>groups</c> = input channels), output channels =
/// input channels x <see cref="Multiplier"/>. Sizes are ints or, inside a block, expression strings.
/// </summary>
/// <param name="kernel">Square kernel size, e.g. <c>3</c> or <c>nameof(kernel)</c>.</param>
public sealed class DepthwiseConv2dAttribute(object kernel) : LayerAttribute
{
    /// <summary>Square kernel size.</summary>
    public object Kernel { get; } = kernel;

    /// <summary>Output channels per input channel. Default 1.</summary>
    public object Multiplier { get; set; } = 1;

    /// <summary>Stride in both spatial dimensions, or <see cref="Strides.OfBlock"/> inside a block. Default 1.</summary>
    public object Stride { get; set; } = 1;

    /// <summary>Zero padding on each side, or <see cref="Pad.Same"/>. Default 0.</summary>
    public object Padding { get; set; } = 0;

    /// <summary>Spacing between kernel elements. Default 1.</summary>
    public object Dilation { get; set; } = 1;

    /// <summary>Whether the convolution adds a learned bias. Default <see langword="true"/>, as in PyTorch.</summary>
    public bool Bias { get; set; } = true;
}
