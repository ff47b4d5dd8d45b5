using System;

namespace SeDsl;

/// <summary>
/// Declares a network: the generator turns the annotated <c>partial</c> class into a TorchSharp
/// <c>Module&lt;Tensor, Tensor&gt;</c> whose layers are the class's layer-annotated fields, in declaration order.
/// </summary>
/// <example>
/// <code>
/// [Network(3, 32, 32)]
/// public partial class TinySeNet
/// {
///     [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d conv1;
///     [BatchNorm2d] private readonly BatchNorm2d bn1;
///     [ReLU] private readonly ReLU relu;
///     [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
///     [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
///     [Flatten] private readonly Flatten flatten;
///     [Linear(10)] private readonly Linear fc;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network with the input shape of one sample: channels, height, width.</summary>
    /// <param name="input">Channels, height and width of one input sample (the batch dimension is not part of it).</param>
    public NetworkAttribute(params int[] input) => Input = input;

    /// <summary>Channels, height and width of one input sample.</summary>
    public int[] Input { get; }
}
