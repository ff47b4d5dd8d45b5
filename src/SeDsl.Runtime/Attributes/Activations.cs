namespace SeDsl;

/// <summary>Rectified linear unit, max(0, x).</summary>
public sealed class ReLUAttribute : LayerAttribute
{
}

/// <summary>ReLU clipped at 6, min(max(0, x), 6).</summary>
public sealed class ReLU6Attribute : LayerAttribute
{
}

/// <summary>Logistic sigmoid, 1 / (1 + e^-x).</summary>
public sealed class SigmoidAttribute : LayerAttribute
{
}

/// <summary>Hyperbolic tangent.</summary>
public sealed class TanhAttribute : LayerAttribute
{
}

/// <summary>Piecewise-linear sigmoid, relu6(x + 3) / 6.</summary>
public sealed class HardSigmoidAttribute : LayerAttribute
{
}

/// <summary>Sigmoid-weighted linear unit (swish), x * sigmoid(x).</summary>
public sealed class SiLUAttribute : LayerAttribute
{
}

/// <summary>Hard swish, x * relu6(x + 3) / 6 (<c>torch.nn.Hardswish</c>), as MobileNetV3 uses.</summary>
public sealed class HardswishAttribute : LayerAttribute
{
}

/// <summary>Gaussian error linear unit, x * Phi(x) (<c>torch.nn.GELU</c>, exact form).</summary>
public sealed class GELUAttribute : LayerAttribute
{
}

/// <summary>The element-wise activations the DSL knows, for <see cref="ActivationAttribute"/>, block parameters and SE blocks.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>min(max(0, x), 6).</summary>
    ReLU6,

    /// <summary>The logistic sigmoid.</summary>
    Sigmoid,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh,

    /// <summary>The piecewise-linear sigmoid, relu6(x + 3) / 6.</summary>
    HardSigmoid,

    /// <summary>x * sigmoid(x) (swish), as EfficientNet uses.</summary>
    SiLU,

    /// <summary>x * relu6(x + 3) / 6, as MobileNetV3 uses.</summary>
    Hardswish,

    /// <summary>x * Phi(x), exact.</summary>
    GELU,

    /// <summary>No activation: the input passes through (as torchvision's <c>activation_layer=None</c>).</summary>
    None,
}

/// <summary>
/// An activation chosen by value: <c>[Activation(Activation.SiLU)]</c>, or inside a block a parameter of type
/// <see cref="SeDsl.Activation"/> (<c>[Activation(nameof(activation))]</c>), so that one block serves ReLU and hard-swish
/// variants (MobileNetV3). The field's type is <c>SeDsl.Layers.ActivationLayer</c> (or <c>Module&lt;Tensor, Tensor&gt;</c>).
/// </summary>
/// <param name="activation">The activation: an <see cref="SeDsl.Activation"/> value or an expression string.</param>
public sealed class ActivationAttribute(object activation) : LayerAttribute
{
    /// <summary>The activation.</summary>
    public object Activation { get; } = activation;
}
