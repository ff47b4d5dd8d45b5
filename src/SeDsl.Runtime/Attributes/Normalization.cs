namespace SeDsl;

/// <summary>Batch normalisation over channels (<c>torch.nn.BatchNorm2d</c>); running statistics are buffers, not parameters.</summary>
public sealed class BatchNorm2dAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability. Default 1e-5.</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Momentum of the running statistics. Default 0.1.</summary>
    public double Momentum { get; set; } = 0.1;
}
