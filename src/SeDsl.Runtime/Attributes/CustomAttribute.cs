using System;

namespace SeDsl;

/// <summary>
/// A user's own TorchSharp module as a layer. The field's type is <paramref name="module"/> (or
/// <c>Module&lt;Tensor, Tensor&gt;</c>), and the generated constructor creates it as
/// <c>new Module(inChannels, arguments...)</c>, where <c>inChannels</c> (a <see langword="long"/>) is the channel count
/// of the layer's input. The declared rule keeps the compile-time summary exact: <see cref="OutChannels"/>,
/// <see cref="Stride"/>, <see cref="Parameters"/> and <see cref="MultiplyAdds"/>, each a number or an expression over
/// <c>inChannels</c> and, inside a block, the block's parameters. The generated constructor throws when the module's
/// real parameter count differs from the declared one, and forward checks the output's channels.
/// </summary>
/// <example>
/// <code>
/// [Custom(typeof(ChannelGate), 4, Parameters = "inChannels * (inChannels / 4) * 2")]
/// private readonly ChannelGate gate;
/// </code>
/// </example>
/// <param name="module">The module's type: a non-abstract class deriving from <c>Module&lt;Tensor, Tensor&gt;</c>.</param>
/// <param name="arguments">
/// The constructor's arguments after <c>inChannels</c>: integers, or expression strings over <c>inChannels</c> and the
/// block's parameters (passed as <see langword="long"/>), in order.
/// </param>
public sealed class CustomAttribute(Type module, params object[] arguments) : LayerAttribute
{
    /// <summary>The module's type.</summary>
    public Type Module { get; } = module;

    /// <summary>The constructor's arguments after <c>inChannels</c>.</summary>
    public object[] Arguments { get; } = arguments;

    /// <summary>Output channels: a number or an expression such as <c>"inChannels * 2"</c>. Default: the input's channels.</summary>
    public string OutChannels { get; set; } = "inChannels";

    /// <summary>
    /// Spatial stride: the output's height and width are the input's divided by it, rounded up (a convolution with
    /// padding kernel / 2). Inside a block, <see cref="Strides.OfBlock"/> is the block's stride. Default 1.
    /// </summary>
    public int Stride { get; set; } = 1;

    /// <summary>The module's learnable parameter count: a number or an expression. Default "0"; checked when the layer is created.</summary>
    public string Parameters { get; set; } = "0";

    /// <summary>Multiply-adds per sample, for the summary: a number or an expression. Default "0".</summary>
    public string MultiplyAdds { get; set; } = "0";
}
