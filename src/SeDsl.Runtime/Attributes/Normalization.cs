namespace SeDsl;

/// <summary>Batch normalisation over channels (<c>torch.nn.BatchNorm2d</c>); running statistics are buffers, not parameters.</summary>
public sealed class BatchNorm2dAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability: a double or, inside a block, a double parameter's name. Default 1e-5.</summary>
    public object Eps { get; set; } = 1e-5;

    /// <summary>Momentum of the running statistics: a double or, inside a block, a double parameter's name. Default 0.1 (MobileNetV3: 0.01).</summary>
    public object Momentum { get; set; } = 0.1;
}
