using System;
using System.Linq;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// The checks generated code applies to a <c>[Custom]</c> layer, a user's own module with a declared rule: its parameter
/// count when it is created, and its output's shape in forward. A rule that does not hold must not give a silently
/// wrong summary.
/// </summary>
public static class CustomLayer
{
    /// <summary>
    /// Returns <paramref name="module"/> after checking that its learnable parameters (every registered parameter,
    /// nested modules included) number <paramref name="parameters"/>, the count its <c>[Custom]</c> rule declares.
    /// </summary>
    /// <exception cref="InvalidOperationException">The counts differ; the message names the model, the layer and both counts.</exception>
    /// <param name="owner">The network or block being created, named in the message.</param>
    /// <param name="module">The custom layer's module, just created.</param>
    /// <param name="layer">The layer's name.</param>
    /// <param name="parameters">The declared parameter count.</param>
    public static T Created<T>(object owner, T module, string layer, long parameters)
        where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(module);
        long actual = module.parameters().Sum(p => p.numel());
        if (actual != parameters)
        {
            throw new InvalidOperationException(
                $"{owner.GetType().Name}: custom layer '{layer}' ({module.GetType().Name}) has {actual} parameters, but its [Custom] rule declares " +
                $"{parameters}; correct the rule's Parameters so that the summary's counts are true.");
        }

        return module;
    }

    /// <summary>
    /// Returns <paramref name="output"/> after checking it against the declared rule: N x <paramref name="channels"/> x
    /// H' x W', where H' and W' are the input's height and width divided by <paramref name="stride"/>, rounded up
    /// (not checked when <paramref name="stride"/> is 0, a block's stride).
    /// </summary>
    /// <exception cref="InvalidOperationException">The shape differs; the message names the model, the layer and both shapes.</exception>
    /// <param name="owner">The network or block running, named in the message.</param>
    /// <param name="layer">The layer's name.</param>
    /// <param name="input">The layer's input.</param>
    /// <param name="output">The layer's output.</param>
    /// <param name="channels">The declared output channels for this input.</param>
    /// <param name="stride">The declared stride, or 0 not to check height and width.</param>
    public static Tensor Output(object owner, string layer, Tensor input, Tensor output, long channels, long stride)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var shape = output.shape;
        var inShape = input.shape;
        bool ok = shape.Length == 4 && inShape.Length == 4 && shape[0] == inShape[0] && shape[1] == channels
            && (stride <= 0 || (shape[2] == (inShape[2] + stride - 1) / stride && shape[3] == (inShape[3] + stride - 1) / stride));
        if (!ok)
        {
            string expected = stride > 0 && inShape.Length == 4
                ? $"[{inShape[0]}, {channels}, {(inShape[2] + stride - 1) / stride}, {(inShape[3] + stride - 1) / stride}]"
                : $"[N, {channels}, H, W]";
            throw new InvalidOperationException(
                $"{owner.GetType().Name}: custom layer '{layer}' returned a tensor of shape [{string.Join(", ", shape)}] for an input of shape " +
                $"[{string.Join(", ", inShape)}], but its [Custom] rule declares {expected}.");
        }

        return output;
    }
}
