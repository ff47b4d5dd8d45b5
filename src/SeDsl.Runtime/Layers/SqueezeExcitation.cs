using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// The Squeeze-and-Excitation module: <c>x * gate(fc2(act(fc1(squeeze(x)))))</c>, with <c>fc1</c> and <c>fc2</c>
/// as 1x1 convolutions so that parameter names and shapes match timm's <c>SEModule</c> and torchvision's
/// <c>SqueezeExcitation</c>; <c>act</c> is ReLU (the paper) or another activation (EfficientNet: SiLU).
/// </summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// How many times the elements <see cref="SqueezeThrough"/> saves reading must exceed the weights it reads instead,
    /// and how many it must save at least (2 MB of bfloat16, more than a core's L2 cache: smaller activations are read
    /// from cache and the extra product costs more than it saves). Both measured with <c>bench se-gate</c>
    /// (docs/performance.md).
    /// </summary>
    private const long SqueezeThroughMargin = 4;

    private const long SqueezeThroughMinimum = 1 << 20;

    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly SqueezeOperator squeeze;
    private readonly ExcitationGate gate;
    private readonly Activation activation;
    private SqueezeExcitationKernel.Weights? kernelWeights;

    /// <summary>Creates the module.</summary>
    /// <param name="channels">Channels of the input, C.</param>
    /// <param name="reducedChannels">Width of the excitation bottleneck, usually C / r.</param>
    /// <param name="squeeze">How each channel is summarised.</param>
    /// <param name="gate">The non-linearity producing channel weights.</param>
    /// <param name="bias">Whether <c>fc1</c> and <c>fc2</c> have biases.</param>
    /// <param name="activation">The activation between <c>fc1</c> and <c>fc2</c>. Default ReLU, as in the paper.</param>
    public SqueezeExcitation(long channels, long reducedChannels, SqueezeOperator squeeze = SqueezeOperator.Average,
        ExcitationGate gate = ExcitationGate.Sigmoid, bool bias = true, Activation activation = Activation.ReLU)
        : base(nameof(SqueezeExcitation))
    {
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "not a named SeDsl.Activation value");
        }

        this.activation = activation;
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
    /// this at construction; the generator applies the same rule, from the same source file, at compile time.
    /// </summary>
    /// <exception cref="OverflowException">The width does not fit in 64 bits.</exception>
    public static long ReducedWidth(long channels, long r, long divisor) => SqueezeExciteWidth.Reduced(channels, r, divisor);

    /// <summary>
    /// torchvision's <c>_make_divisible</c>: <paramref name="value"/> rounded to the nearest multiple of
    /// <paramref name="divisor"/> (at least the divisor), plus one divisor when rounding lost more than 10 %. MobileNetV3's
    /// SE width is <c>MakeDivisible(expanded / 4, 8)</c>: 72 channels give 24 (timm's SE rule gives 16).
    /// </summary>
    /// <exception cref="OverflowException">The width does not fit in 64 bits.</exception>
    public static long MakeDivisible(long value, long divisor) => SqueezeExciteWidth.MakeDivisible(value, divisor);

    /// <summary>The activation between the two excitation layers.</summary>
    public Activation Activation => activation;

    /// <summary>How each channel is summarised.</summary>
    internal SqueezeOperator SqueezeKind => squeeze;

    /// <summary>The non-linearity producing the channel weights.</summary>
    internal ExcitationGate GateKind => gate;

    /// <summary>The two excitation layers, as 1x1 convolutions.</summary>
    internal (Conv2d Fc1, Conv2d Fc2) Projections => (fc1, fc2);

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
        var hidden = Inner(fc1.forward(descriptor));
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

    /// <summary>
    /// The excitation weights of <paramref name="input"/> (N x C x H x W) as N x C x 1 x 1, computed with plain tensor
    /// operations: the squeeze, <c>addmm</c>, an in-place ReLU, <c>addmm</c> and the gate applied in place. The same math
    /// as <see cref="forward"/> without its two convolution calls; safe under autograd, since each in-place operation
    /// overwrites a result that nothing saved for the backward pass.
    /// </summary>
    public Tensor Excite(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var (descriptor, scale) = Squeeze(input);
        return Excitation(descriptor, scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The squeeze of <c>convolution(input)</c>, taken before the convolution runs, for a gate that directly follows a
    /// 1x1, stride-1, unpadded, ungrouped convolution on the fused path: the average of <c>W y + b</c> over H x W is
    /// <c>W mean(y) + b</c>, and <paramref name="input"/> (y) usually has a quarter of the output's channels, so the squeeze
    /// reads a quarter of the data. Only for bfloat16 inputs and the average squeeze (docs/performance.md has the
    /// measurements); null otherwise, and the gate then squeezes the convolution's output as before. Pass the result to
    /// <see cref="ScaleAdd(Tensor, Tensor, Tensor)"/>.
    /// </summary>
    public Tensor? SqueezeThrough(Conv2d convolution, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        ArgumentNullException.ThrowIfNull(input);
        if (squeeze != SqueezeOperator.Average || input.dtype != ScalarType.BFloat16)
        {
            return null;
        }

        bool pointwise = convolution.kernel_size.All(k => k == 1) && convolution.stride.All(s => s == 1)
            && (convolution.padding ?? []).All(p => p == 0) && convolution.groups == 1 && convolution.out_channels == Channels;
        if (!pointwise)
        {
            return null;
        }

        // Worth it only where the activations it does not read outweigh the weights it reads instead, and leave the
        // cache: in SE-ResNet-50 at batch 8 the first three stages, at batch 1 none.
        long inChannels = convolution.in_channels;
        long saved = input.shape[0] * input.shape[2] * input.shape[3] * (Channels - inChannels);
        if (saved < SqueezeThroughMinimum || saved <= SqueezeThroughMargin * inChannels * Channels)
        {
            return null;
        }

        using var scope = NewDisposeScope();
        var (sum, scale) = Squeeze(input);
        return Linear(sum, convolution, Channels, inChannels, scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="ScaleAdd(Tensor, Tensor)"/> with the squeeze already taken: <paramref name="squeezed"/> from
    /// <see cref="SqueezeThrough"/>, or null to squeeze <paramref name="input"/> here.
    /// </summary>
    public Tensor ScaleAdd(Tensor input, Tensor identity, Tensor? squeezed)
    {
        if (squeezed is null)
        {
            return ScaleAdd(input, identity);
        }

        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(identity);
        using var weights = Excitation(squeezed, 1);
        return identity.addcmul(input, weights, 1);
    }

    /// <summary>
    /// <see cref="ScaleAdd(Tensor, Tensor, Tensor)"/> for the fused inference path, where <paramref name="input"/> is the
    /// forward's own temporary and nothing reads it afterwards: a bfloat16 tail (dense NHWC or NCHW) on one libtorch thread, outside
    /// autograd, is computed by one managed pass that overwrites <paramref name="input"/> and returns it (no new tensor, and
    /// no libtorch call for the gate's small products); anything else returns <see cref="ScaleAdd(Tensor, Tensor, Tensor)"/>'s
    /// new tensor and leaves <paramref name="input"/> as it was. Use the result, not <paramref name="input"/>. The pass
    /// keeps the gate in float32 where libtorch rounds each step to bfloat16, so a bf16 network's outputs on one thread and
    /// on several differ by bfloat16 rounding (within the tolerance the precision tests hold both to).
    /// </summary>
    /// <param name="input">The tensor to scale, N x C x H x W; it may be overwritten.</param>
    /// <param name="identity">The shortcut added to the scaled input, of the same shape.</param>
    /// <param name="squeezed">The squeeze from <see cref="SqueezeThrough"/>, or null to squeeze <paramref name="input"/>.</param>
    public Tensor ScaleAddInPlace(Tensor input, Tensor identity, Tensor? squeezed = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(identity);
        return SqueezeExcitationKernel.TryScaleAddInPlace(input, identity, squeezed, this, ref kernelWeights)
            ? input
            : ScaleAdd(input, identity, squeezed);
    }

    /// <summary>fc1, the inner activation, fc2 and the gate on an N x C descriptor (times <paramref name="scale"/>), as N x C x 1 x 1.</summary>
    private Tensor Excitation(Tensor descriptor, double scale)
    {
        using var scope = NewDisposeScope();
        long batch = descriptor.shape[0];
        var hidden = Inner(Linear(descriptor, fc1, ReducedChannels, Channels, scale));
        var logits = Linear(hidden, fc2, Channels, ReducedChannels, 1);
        var weights = gate switch
        {
            ExcitationGate.ReLU => logits.relu_(),
            ExcitationGate.Tanh => logits.tanh_(),
            // hardsigmoid's backward reads its input, so it is applied out of place.
            ExcitationGate.HardSigmoid => nn.functional.hardsigmoid(logits),
            _ => logits.sigmoid_(),
        };
        return weights.view(batch, Channels, 1, 1).MoveToOuterDisposeScope();
    }

    /// <summary><c>input * Excite(input)</c>: the module's output, computed with tensor operations.</summary>
    public Tensor Scale(Tensor input)
    {
        using var weights = Excite(input);
        return input.mul(weights);
    }

    /// <summary>
    /// Scales <paramref name="input"/> in place and returns it; for inference on a tensor that nothing else reads
    /// (not under autograd: the multiplication's backward needs the unscaled input).
    /// </summary>
    public Tensor ScaleInPlace(Tensor input)
    {
        using var weights = Excite(input);
        return input.mul_(weights);
    }

    /// <summary>
    /// <c>input * Excite(input) + identity</c> as one <c>addcmul</c>: the residual tail of an SE block (the paper's Caffe
    /// "Axpy" layer) before its ReLU. Neither argument is modified, so it is safe under autograd.
    /// </summary>
    public Tensor ScaleAdd(Tensor input, Tensor identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        using var weights = Excite(input);
        return identity.addcmul(input, weights, 1);
    }

    /// <summary>
    /// The squeeze of <paramref name="input"/> as an N x C descriptor and the factor fc1's product still has to apply. An
    /// average of a bfloat16 tensor is taken as a sum (a same-type sum that libtorch accumulates in float32 and rounds
    /// once) with <c>1/(H*W)</c> left to fc1's <c>addmm</c>: libtorch's bfloat16 <c>mean</c> goes through a slower
    /// converting reduction, 2 to 10 times the sum's time at SE-ResNet-50's gate shapes (<c>bench se-gate</c>,
    /// docs/performance.md). float32 and float16 keep <c>mean</c> (float16's 65,504 range would not hold the sum).
    /// </summary>
    private (Tensor Descriptor, double Scale) Squeeze(Tensor input)
    {
        if (squeeze == SqueezeOperator.Max)
        {
            return (input.amax([2, 3]), 1);
        }

        if (input.dtype == ScalarType.BFloat16)
        {
            return (input.sum([2, 3]), 1.0 / (input.shape[2] * input.shape[3]));
        }

        return (input.mean([2, 3]), 1);
    }

    /// <summary>The inner activation: ReLU in place (nothing saved its input), the others out of place.</summary>
    private Tensor Inner(Tensor x) => activation == Activation.ReLU ? x.relu_() : ActivationLayer.Apply(activation, x);

    /// <summary>A 1x1 convolution on an N x C descriptor as a matrix product: <c>bias + scale (x W^T)</c>.</summary>
    private static Tensor Linear(Tensor x, Conv2d fc, long outFeatures, long inFeatures, double scale)
    {
        var weight = fc.weight.view(outFeatures, inFeatures).t();
        if (fc.bias is { } bias)
        {
            return scale == 1 ? bias.addmm(x, weight) : bias.addmm(x, weight, beta: 1, alpha: (float)scale);
        }

        var product = x.mm(weight);
        return scale == 1 ? product : product.mul_(scale);
    }
}
