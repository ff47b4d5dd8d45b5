namespace SeDsl;

/// <summary>
/// Stochastic depth ("drop path", torchvision's <c>StochasticDepth(p, "row")</c>, timm's <c>DropPath</c>): while
/// training, each sample of the batch passes with probability 1 - p, scaled by 1 / (1 - p), or becomes zeros; in eval
/// mode and on the fused inference path it is the identity. No parameters, no multiply-adds, shape unchanged. As the
/// last layer of a residual block's body it drops the body before the addition, as EfficientNet's MBConv does.
/// </summary>
/// <param name="p">
/// Probability of dropping a sample's path, in [0, 1): a double or, inside a block, a <see langword="double"/> parameter's
/// name (<c>nameof(dropRate)</c>), which a stage can compute for each block (<c>"0.2 * index / 16"</c>).
/// </param>
public sealed class DropPathAttribute(object p) : LayerAttribute
{
    /// <summary>Probability of dropping a sample's path: a double or a double parameter's name.</summary>
    public object P { get; } = p;
}
