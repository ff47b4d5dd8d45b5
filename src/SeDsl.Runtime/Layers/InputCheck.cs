using System;
using System.Linq;
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

    /// <summary>
    /// The shape check of <see cref="Require(Tensor, string, string, long, long, long)"/>, then the element type and
    /// device: <paramref name="input"/> must have the dtype of the module's parameters (a float64 or integer tensor
    /// for a float32 model is rejected, not converted) and live on their device. A module without parameters
    /// accepts any dtype and device.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The module, or the input tensor, has been disposed.</exception>
    /// <param name="module">The network whose parameters set the expected dtype and device.</param>
    /// <param name="input">The batch.</param>
    /// <param name="network">The network's name, for the message.</param>
    /// <param name="layer">The layer that receives the input, for the message.</param>
    /// <param name="channels">Expected channels.</param>
    /// <param name="height">Expected height, or 0 for any.</param>
    /// <param name="width">Expected width, or 0 for any.</param>
    public static void Require(nn.Module module, Tensor input, string network, string layer, long channels, long height, long width) =>
        Require(module, input, network, layer, channels, height, width, anyFloat: false);

    /// <summary>
    /// <see cref="Require(nn.Module, Tensor, string, string, long, long, long)"/>, except that with
    /// <paramref name="anyFloat"/> an input of any floating-point dtype is accepted: a network fused with a precision
    /// plan casts its input once at the entry (<see cref="PrecisionPlan.Enter"/>). Integer and boolean inputs are still
    /// rejected, and the device must still be the parameters' device.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The module, or the input tensor, has been disposed.</exception>
    /// <param name="module">The network whose parameters set the expected dtype and device.</param>
    /// <param name="input">The batch.</param>
    /// <param name="network">The network's name, for the message.</param>
    /// <param name="layer">The layer that receives the input, for the message.</param>
    /// <param name="channels">Expected channels.</param>
    /// <param name="height">Expected height, or 0 for any.</param>
    /// <param name="width">Expected width, or 0 for any.</param>
    /// <param name="anyFloat">Whether any floating-point dtype is accepted instead of the parameters' own.</param>
    public static void Require(nn.Module module, Tensor input, string network, string layer, long channels, long height, long width, bool anyFloat)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        if (input.IsInvalid)
        {
            throw new ObjectDisposedException(nameof(input), $"{network}: layer '{layer}' received an input tensor that has been disposed.");
        }

        // The first parameter stands for all: Module.to() moves and converts them together. The enumeration is lazy.
        // A disposed module has none (TorchSharp clears them), and libtorch would report only "Tensor invalid -- empty handle".
        var parameter = module.parameters().FirstOrDefault();
        if ((parameter is null || parameter.IsInvalid) && SeDsl.ModuleGuard.IsDisposed(module))
        {
            throw new ObjectDisposedException(network, $"{network}: forward was called after the model was disposed.");
        }

        Require(input, network, layer, channels, height, width);
        if (parameter is null)
        {
            return;
        }

        if (anyFloat && !is_floating_point(input))
        {
            throw new ArgumentException(
                $"{network}: layer '{layer}' expects a floating-point input, which its precision plan casts to {parameter.dtype}, " +
                $"but received {input.dtype} [{string.Join(", ", input.shape)}].",
                nameof(input));
        }

        if (!anyFloat && input.dtype != parameter.dtype)
        {
            throw new ArgumentException(
                $"{network}: layer '{layer}' expects input of dtype {parameter.dtype}, the dtype of the model's parameters, " +
                $"but received {input.dtype} [{string.Join(", ", input.shape)}]; convert it with .to({parameter.dtype}) or convert the model.",
                nameof(input));
        }

        if (input.device_type != parameter.device_type || input.device_index != parameter.device_index)
        {
            throw new ArgumentException(
                $"{network}: layer '{layer}' expects input on device {parameter.device}, where the model's parameters are, " +
                $"but received a tensor on {input.device} [{string.Join(", ", input.shape)}].",
                nameof(input));
        }
    }
}
