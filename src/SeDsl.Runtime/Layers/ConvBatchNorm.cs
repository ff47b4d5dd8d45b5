using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>Folds a batch norm in inference mode into the convolution before it, for generated <c>Fuse()</c> methods.</summary>
public static class ConvBatchNorm
{
    /// <summary>
    /// Replaces the weight and bias of <paramref name="conv"/> so that <c>conv(x)</c> equals <c>norm(conv(x))</c> with
    /// <paramref name="norm"/>'s running statistics (<c>torch.nn.utils.fuse_conv_bn_weights</c>):
    /// <c>W' = W g / sqrt(v + eps)</c> per output channel and <c>b' = (b - m) g / sqrt(v + eps) + beta</c>. The convolution
    /// gains a bias if it had none; <paramref name="norm"/> is left unchanged and must no longer be applied.
    /// </summary>
    /// <exception cref="ArgumentException">The modules are not a <see cref="Conv2d"/> and a <see cref="BatchNorm2d"/> with running statistics.</exception>
    public static void Fold(nn.Module<Tensor, Tensor> conv, nn.Module<Tensor, Tensor> norm)
    {
        if (conv is not Conv2d convolution)
        {
            throw new ArgumentException($"Expected a Conv2d to fold into but got {conv?.GetType().Name ?? "null"}.", nameof(conv));
        }

        if (norm is not BatchNorm2d bn || bn.running_mean is not { } mean || bn.running_var is not { } variance)
        {
            throw new ArgumentException($"Expected a BatchNorm2d with running statistics but got {norm?.GetType().Name ?? "null"}.", nameof(norm));
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        bool requiresGrad = convolution.weight.requires_grad;
        var (weight, bias) = nn.utils.fuse_conv_bn_weights(convolution.weight, convolution.bias, mean, variance, bn.eps, bn.weight, bn.bias);
        // The setters take the new parameters out of the dispose scope and dispose the old ones.
        convolution.weight = nn.Parameter(weight, requiresGrad);
        convolution.bias = nn.Parameter(bias, requiresGrad);
    }

    /// <summary>
    /// Folds the second module of <paramref name="convThenNorm"/> (a batch norm) into its first (a convolution) and returns
    /// that convolution, which alone now computes what the pair computed.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Fold(Sequential convThenNorm)
    {
        ArgumentNullException.ThrowIfNull(convThenNorm);
        using var children = convThenNorm.children().GetEnumerator();
        var conv = children.MoveNext() ? children.Current as nn.Module<Tensor, Tensor> : null;
        var norm = children.MoveNext() ? children.Current as nn.Module<Tensor, Tensor> : null;
        Fold(conv!, norm!);
        return conv!;
    }
}
