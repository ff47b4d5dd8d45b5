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
    /// <summary>
    /// Declares a network with the input shape of one sample: channels, height, width. With <see cref="ParamAttribute"/>
    /// fields the class is a network family instead: a network with parameters, which generates no module of its own and
    /// whose networks are declared with <see cref="NetworkAttribute(Type, object[])"/>.
    /// </summary>
    /// <param name="input">Channels, height and width of one input sample (the batch dimension is not part of it).</param>
    public NetworkAttribute(params int[] input)
    {
        Input = input;
        Arguments = [];
    }

    /// <summary>
    /// Declares a network of a family: the family's layers with its parameters set to <paramref name="arguments"/>, its
    /// input shape and its submodule names (so keys have no prefix). The class declares no fields; the generator does.
    /// </summary>
    /// <example>
    /// <code>
    /// [Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 4, 6, 3)]
    /// public partial class ResNet50;
    /// </code>
    /// </example>
    /// <param name="family">A <c>[Network]</c> class with <see cref="ParamAttribute"/> fields.</param>
    /// <param name="arguments">The family's parameters, in the order its <see cref="ParamAttribute"/> fields are declared.</param>
    public NetworkAttribute(Type family, params object[] arguments)
    {
        Family = family;
        Input = [];
        Arguments = arguments;
    }

    /// <summary>Channels, height and width of one input sample; empty for a network of a family (the family's).</summary>
    public int[] Input { get; }

    /// <summary>The family this network belongs to; null for a network declared by its own fields.</summary>
    public Type? Family { get; }

    /// <summary>The family's parameters for this network.</summary>
    public object[] Arguments { get; }
}
