using System;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>Checks a tensor against a network's declared input before libtorch sees it.</summary>
public static class InputCheck
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the network, its first layer and the expected and received
    /// shapes unless <paramref name="input"/> is N x <paramref name="channels"/> x H x W, with H and W equal to
    /// <paramref name="height"/> and <paramref name="width"/> when those are positive (networks whose head flattens
    /// spatial positions need the declared size; fully convolutional ones accept any).
    /// </summary>
    public static void Require(Tensor input, string network, string layer, long channels, long height, long width)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.shape;
        bool ok = shape.Length == 4 && shape[1] == channels
            && (height <= 0 || shape[2] == height) && (width <= 0 || shape[3] == width);
        if (!ok)
        {
            string expected = $"[N, {channels}, {(height > 0 ? height : "H")}, {(width > 0 ? width : "W")}]";
            throw new ArgumentException(
                $"{network}: layer '{layer}' expects input of shape {expected} but received [{string.Join(", ", shape)}].",
                nameof(input));
        }
    }
}
