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
