using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// The Squeeze-and-Excitation module: <c>x * gate(fc2(relu(fc1(squeeze(x)))))</c>, with <c>fc1</c> and <c>fc2</c>
/// as 1x1 convolutions so that parameter names and shapes match timm's <c>SEModule</c>.
/// </summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly SqueezeOperator squeeze;
    private readonly ExcitationGate gate;

    /// <summary>Creates the module.</summary>
    /// <param name="channels">Channels of the input, C.</param>
    /// <param name="reducedChannels">Width of the excitation bottleneck, usually C / r.</param>
    /// <param name="squeeze">How each channel is summarised.</param>
    /// <param name="gate">The non-linearity producing channel weights.</param>
    /// <param name="bias">Whether <c>fc1</c> and <c>fc2</c> have biases.</param>
    public SqueezeExcitation(long channels, long reducedChannels, SqueezeOperator squeeze = SqueezeOperator.Average,
        ExcitationGate gate = ExcitationGate.Sigmoid, bool bias = true)
        : base(nameof(SqueezeExcitation))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reducedChannels, 1);
        Channels = channels;
        ReducedChannels = reducedChannels;
        this.squeeze = squeeze;
        this.gate = gate;
        fc1 = nn.Conv2d(channels, reducedChannels, kernel_size: 1, bias: bias);
        fc2 = nn.Conv2d(reducedChannels, channels, kernel_size: 1, bias: bias);
        register_module(nameof(fc1), fc1);
        register_module(nameof(fc2), fc2);
    }

    /// <summary>
    /// Width of the excitation bottleneck: <c>C / r</c> when <paramref name="divisor"/> is 1 (the paper), else timm's
    /// <c>make_divisible</c>, <c>max(d, floor(C/r + d/2)</c> rounded down to a multiple of d<c>)</c>. Generated blocks call
    /// this at construction; the generator applies the same rule at compile time.
    /// </summary>
    public static long ReducedWidth(long channels, long r, long divisor) =>
        divisor <= 1 ? channels / r : Math.Max(divisor, (2 * channels + r * divisor) / (2 * r) / divisor * divisor);

    /// <summary>Channels of the input and output, C.</summary>
    public long Channels { get; }

    /// <summary>Width of the excitation bottleneck.</summary>
    public long ReducedChannels { get; }

    /// <summary>Scales each channel of <paramref name="input"/> (N x C x H x W) by its excitation weight.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var descriptor = squeeze == SqueezeOperator.Max
            ? input.amax([2, 3], keepdim: true)
            : input.mean([2, 3], keepdim: true);
        var hidden = fc1.forward(descriptor).relu_();
        var logits = fc2.forward(hidden);
        var weights = gate switch
        {
            ExcitationGate.ReLU => logits.relu_(),
            ExcitationGate.Tanh => logits.tanh_(),
            ExcitationGate.HardSigmoid => nn.functional.hardsigmoid(logits, inplace: true),
            _ => logits.sigmoid_(),
        };
        return input.mul(weights).MoveToOuterDisposeScope();
    }
}
