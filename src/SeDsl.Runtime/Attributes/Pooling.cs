namespace SeDsl;

/// <summary>Max pooling over square windows (<c>torch.nn.MaxPool2d</c>).</summary>
/// <param name="kernel">Square window size.</param>
public sealed class MaxPool2dAttribute(object kernel) : LayerAttribute
{
    /// <summary>Square window size.</summary>
    public object Kernel { get; } = kernel;

    /// <summary>Stride; 0 (the default) means equal to <see cref="Kernel"/>, as in PyTorch; <see cref="Strides.OfBlock"/> inside a block.</summary>
    public object Stride { get; set; } = 0;

    /// <summary>Implicit negative-infinity padding on each side; at most half the kernel. Default 0.</summary>
    public object Padding { get; set; } = 0;

    /// <summary>Round the output size up instead of down. Default <see langword="false"/>.</summary>
    public bool CeilMode { get; set; }
}

/// <summary>Average pooling over square windows (<c>torch.nn.AvgPool2d</c>).</summary>
/// <param name="kernel">Square window size.</param>
public sealed class AvgPool2dAttribute(object kernel) : LayerAttribute
{
    /// <summary>Square window size.</summary>
    public object Kernel { get; } = kernel;

    /// <summary>Stride; 0 (the default) means equal to <see cref="Kernel"/>, as in PyTorch; <see cref="Strides.OfBlock"/> inside a block.</summary>
    public object Stride { get; set; } = 0;

    /// <summary>Implicit zero padding on each side; at most half the kernel. Default 0.</summary>
    public object Padding { get; set; } = 0;

    /// <summary>Round the output size up instead of down. Default <see langword="false"/>.</summary>
    public bool CeilMode { get; set; }

    /// <summary>
    /// Whether zero padding counts in the average (PyTorch's <c>count_include_pad</c>). Default <see langword="true"/>;
    /// Inception-ResNet-v2 (timm) uses <see langword="false"/>. Changes values only, not shapes or counts.
    /// </summary>
    public bool CountIncludePad { get; set; } = true;
}

/// <summary>Global average pooling to C x 1 x 1 (<c>torch.nn.AdaptiveAvgPool2d(1)</c>).</summary>
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
}

/// <summary>Global max pooling to C x 1 x 1 (<c>torch.nn.AdaptiveMaxPool2d(1)</c>).</summary>
public sealed class GlobalMaxPoolAttribute : LayerAttribute
{
}
