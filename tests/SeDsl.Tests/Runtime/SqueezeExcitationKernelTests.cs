using System;
using System.Linq;
using System.Runtime.Intrinsics.X86;
using SeDsl.Layers;
using SeDsl.Tests.Samples;
using SeDsl.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// The fused bfloat16 SE tail (<see cref="SqueezeExcitation.ScaleAddInPlace"/>): where the managed pass applies it writes
/// <c>input * gate + identity</c> over its input (NHWC or NCHW), agreeing with the same arithmetic in float32 but for
/// one rounding to bfloat16; everywhere else it leaves the input alone and returns libtorch's result, as <c>ScaleAdd</c> does.
/// </summary>
[Collection(TorchSeedCollection.Name)]
public class SqueezeExcitationKernelTests
{
    /// <summary>Whether this machine runs the managed pass at all (it needs AVX-512 BW); elsewhere every call falls back.</summary>
    private static readonly bool Available = Avx512BW.IsSupported;

    private static SqueezeExcitation Gate(long channels, long reduced, ExcitationGate gate = ExcitationGate.Sigmoid,
        Activation activation = Activation.ReLU, SqueezeOperator squeeze = SqueezeOperator.Average)
    {
        manual_seed(5);
        var se = new SqueezeExcitation(channels, reduced, squeeze, gate, bias: true, activation);
        se.eval();
        return se;
    }

    private static SqueezeExcitation Bf16Gate(long channels, long reduced, ExcitationGate gate = ExcitationGate.Sigmoid,
        Activation activation = Activation.ReLU)
    {
        var se = Gate(channels, reduced, gate, activation);
        se.to(ScalarType.BFloat16);
        return se;
    }

    /// <summary>The fused tail as the generated inference path calls it, on one libtorch thread.</summary>
    private static Tensor InPlace(SqueezeExcitation se, Tensor input, Tensor identity, Tensor? squeezed = null) =>
        TrainingData.OnThreads(1, () =>
        {
            using var mode = inference_mode();
            return se.ScaleAddInPlace(input, identity, squeezed);
        });

    private static Tensor Activations(long batch, long channels, long height, long width, int seed, bool channelsLast = true)
    {
        using var values = randn(new[] { batch, channels, height, width }, generator: new torch.Generator((ulong)seed));
        using var typed = values.to(ScalarType.BFloat16);
        return channelsLast ? MemoryLayout.ToChannelsLast(typed) : typed.clone();
    }

    /// <summary>
    /// The tail in float32 from the same bfloat16 values: the gate's weights and the activations widened exactly, the squeeze
    /// (or the given descriptor), both products, the activations and the scaled sum, as libtorch computes them in float32.
    /// </summary>
    private static Tensor Reference(SqueezeExcitation bf16, Tensor input, Tensor identity, Tensor? squeezed = null)
    {
        using var scope = NewDisposeScope();
        var fp32 = Gate(bf16.Channels, bf16.ReducedChannels, bf16.GateKind, bf16.Activation, bf16.SqueezeKind);
        fp32.load_state_dict(bf16.state_dict().ToDictionary(p => p.Key, p => p.Value.to(ScalarType.Float32)));
        var x = input.to(ScalarType.Float32);
        Tensor weights;
        using (no_grad())
        {
            weights = squeezed is null
                ? fp32.Excite(x)
                : ExciteDescriptor(fp32, squeezed.to(ScalarType.Float32));
        }

        return (x * weights + identity.to(ScalarType.Float32)).MoveToOuterDisposeScope();
    }

    /// <summary>The excitation of an N x C descriptor: the gate's module forward on it as N x C x 1 x 1 (the mean of a 1x1 map is itself).</summary>
    private static Tensor ExciteDescriptor(SqueezeExcitation fp32, Tensor descriptor) =>
        fp32.Excite(descriptor.view(descriptor.shape[0], descriptor.shape[1], 1, 1));

    /// <summary>
    /// The managed pass rounds the float32 tail once, so each element is within half a bfloat16 spacing of it: within one
    /// unit of 2^-8 of its magnitude (between half a spacing and one), taken as at least 2^-8 of 1e-2. libtorch's path, where
    /// the pass does not apply, rounds every step to bfloat16 and is held to 1 % of the norm instead.
    /// </summary>
    private static void AssertTail(Tensor actual, Tensor expected, string what)
    {
        using var scope = NewDisposeScope();
        var error = (actual.to(ScalarType.Float32) - expected).abs();
        if (Available)
        {
            var spacing = expected.abs().clamp_min(1e-2) * Math.Pow(2, -8);
            double worst = (error / spacing).max().item<float>();
            Assert.True(worst <= 1.01, $"{what}: {worst:F2} units of 2^-8 of the magnitude from the float32 tail");
        }
        else
        {
            double relative = error.norm().item<float>() / expected.norm().item<float>();
            Assert.True(relative <= 0.01, $"{what}: {relative:P2} of the norm from the float32 tail");
        }
    }

    [Theory]
    [InlineData(1, 256, 16, 7, 7, true)]
    [InlineData(2, 512, 32, 4, 3, true)]
    [InlineData(3, 40, 10, 5, 5, true)] // channels and hidden units not multiples of the 16-lane vectors
    [InlineData(1, 24, 2, 1, 1, true)]
    [InlineData(1, 256, 16, 7, 7, false)]
    [InlineData(2, 48, 12, 4, 8, false)] // planes of 32 positions: vectors only
    [InlineData(3, 40, 10, 5, 5, false)] // planes of 25: a vector and a scalar remainder
    public void Where_it_applies_it_overwrites_the_input_with_the_tail_rounded_once(long batch, long channels, long reduced, long height, long width, bool channelsLast)
    {
        using var scope = NewDisposeScope();
        using var se = Bf16Gate(channels, reduced);
        var input = Activations(batch, channels, height, width, 21, channelsLast);
        var identity = Activations(batch, channels, height, width, 22, channelsLast);
        var identityBefore = identity.clone();
        var expected = Reference(se, input, identity);

        var result = InPlace(se, input, identity);

        Assert.Equal(Available, ReferenceEquals(result, input));
        Assert.True(identity.allclose(identityBefore, rtol: 0, atol: 0), "the identity was modified");
        Assert.Equal(input.stride(), result.stride());
        AssertTail(result, expected, $"{batch} x {channels} x {height} x {width}, {(channelsLast ? "NHWC" : "NCHW")}");
    }

    [Theory]
    [InlineData(ExcitationGate.HardSigmoid, Activation.Hardswish)]
    [InlineData(ExcitationGate.Sigmoid, Activation.SiLU)]
    [InlineData(ExcitationGate.ReLU, Activation.ReLU6)]
    [InlineData(ExcitationGate.Tanh, Activation.Tanh)]
    [InlineData(ExcitationGate.Sigmoid, Activation.HardSigmoid)]
    [InlineData(ExcitationGate.Sigmoid, Activation.Sigmoid)]
    [InlineData(ExcitationGate.Sigmoid, Activation.None)]
    public void Every_gate_and_inner_activation_it_takes_agrees_with_float32(ExcitationGate gate, Activation activation)
    {
        using var scope = NewDisposeScope();
        using var se = Bf16Gate(64, 16, gate, activation);
        var input = Activations(2, 64, 6, 6, 31);
        var identity = Activations(2, 64, 6, 6, 32);
        var expected = Reference(se, input, identity);

        var result = InPlace(se, input, identity);

        Assert.Equal(Available, ReferenceEquals(result, input));
        AssertTail(result, expected, $"{gate}/{activation}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_given_squeeze_is_used_instead_of_the_inputs_own(bool channelsLast)
    {
        using var scope = NewDisposeScope();
        using var se = Bf16Gate(48, 12);
        var input = Activations(2, 48, 5, 5, 41, channelsLast);
        var identity = Activations(2, 48, 5, 5, 42, channelsLast);

        // A descriptor that is not the input's mean: the result must follow it.
        var squeezed = randn(new long[] { 2, 48 }, generator: new torch.Generator(43)).to(ScalarType.BFloat16);
        var expected = Reference(se, input, identity, squeezed);

        var result = InPlace(se, input, identity, squeezed);

        Assert.Equal(Available, ReferenceEquals(result, input));
        AssertTail(result, expected, "given squeeze");
    }

    public static TheoryData<string> Fallbacks() => new()
    {
        "float32", "strided", "autograd", "two threads", "GELU", "max squeeze", "no bias", "identity channels first",
        "input channels first", "identity is the input", "squeeze of another size",
    };

    [Theory]
    [MemberData(nameof(Fallbacks))]
    public void Elsewhere_it_leaves_the_input_alone_and_returns_libtorchs_tail(string reason)
    {
        using var scope = NewDisposeScope();
        using var se = reason switch
        {
            "GELU" => Gate(32, 8, activation: Activation.GELU),
            "max squeeze" => Gate(32, 8, squeeze: SqueezeOperator.Max),
            "no bias" => new SqueezeExcitation(32, 8, bias: false),
            _ => Gate(32, 8),
        };
        if (reason != "float32")
        {
            se.to(ScalarType.BFloat16);
        }

        var type = reason == "float32" ? ScalarType.Float32 : ScalarType.BFloat16;
        var input = reason == "strided"
            ? Activations(2, 32, 8, 4, 51)[.., .., TensorIndex.Slice(step: 2), ..]
            : Activations(2, 32, 4, 4, 51, channelsLast: reason != "input channels first").to(type);
        var identity = reason == "identity is the input" ? input
            : Activations(2, 32, 4, 4, 52, channelsLast: reason != "identity channels first").to(type);
        var squeezed = reason == "squeeze of another size" ? zeros(new long[] { 1, 32 }, dtype: ScalarType.BFloat16) : null;
        var before = input.clone();
        var identityBefore = identity.clone();
        int threads = reason == "two threads" ? 2 : 1;
        Tensor Run(Func<Tensor> tail)
        {
            if (reason == "autograd")
            {
                return TrainingData.OnThreads(threads, tail);
            }

            using var mode = inference_mode();
            return TrainingData.OnThreads(threads, tail);
        }

        // A squeeze of one sample is broadcast over the batch by libtorch's tail; the pass, which reads one per sample, declines it.
        var expected = Run(() => se.ScaleAdd(input, identity, squeezed));
        var result = Run(() => se.ScaleAddInPlace(input, identity, squeezed));


        Assert.False(ReferenceEquals(result, input));
        Assert.True(before.allclose(input, rtol: 0, atol: 0) && identityBefore.allclose(identity, rtol: 0, atol: 0), $"{reason}: an argument was modified");
        Assert.True(result.allclose(expected, rtol: 0, atol: 0), $"{reason}: not ScaleAdd's result");
    }

    [Fact]
    public void A_wrong_channel_count_is_refused_by_libtorch_not_read_past_the_weights()
    {
        using var scope = NewDisposeScope();
        using var se = Bf16Gate(32, 8);
        var input = Activations(1, 48, 4, 4, 61);
        var identity = Activations(1, 48, 4, 4, 62);

        Assert.ThrowsAny<Exception>(() => InPlace(se, input, identity));
    }

    [Fact]
    public void New_parameters_and_values_copied_into_them_are_both_seen()
    {
        using var scope = NewDisposeScope();
        using var se = Bf16Gate(64, 16);
        var identity = Activations(1, 64, 3, 3, 72);
        Tensor Tail(Tensor input) => InPlace(se, input, identity);
        Tail(Activations(1, 64, 3, 3, 71));

        // Values copied into the same parameters (load_state_dict copies in place)...
        using (no_grad())
        {
            foreach (var (_, p) in se.named_parameters())
            {
                p.copy_(randn(p.shape, generator: new torch.Generator(73)).to(ScalarType.BFloat16));
            }
        }

        var input = Activations(1, 64, 3, 3, 71);
        var expected = Reference(se, input, identity);
        AssertTail(Tail(input), expected, "copied values");

        // ...and parameters replaced by a conversion round trip, with new values.
        se.to(ScalarType.Float32);
        using (no_grad())
        {
            foreach (var (_, p) in se.named_parameters())
            {
                p.mul_(-1);
            }
        }

        se.to(ScalarType.BFloat16);
        input = Activations(1, 64, 3, 3, 71);
        expected = Reference(se, input, identity);
        AssertTail(Tail(input), expected, "replaced parameters");
    }

    [Fact]
    public void Its_rounding_to_bfloat16_is_libtorchs_bit_for_bit()
    {
        using var scope = NewDisposeScope();

        // Ties (a float32 whose low 16 bits are exactly 0x8000) both ways, values just off them, signed zeros,
        // infinities, NaN, the largest finite values and subnormals, then random values; 67 in all, so both the
        // 16-lane vectors and the scalar remainder round some of them.
        uint[] bits =
        [
            0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0xBF808000, 0xBF818000, 0x00000000, 0x80000000,
            0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001, 0xFFFFFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x00008000,
            0x00018000, 0x00000001, 0x807FFFFF, 0x7F7F8000,
        ];
        var random = randn(new long[] { 47 }, generator: new torch.Generator(81)).mul_(1000).data<float>().ToArray();
        float[] values = bits.Select(BitConverter.UInt32BitsToSingle).Concat(random).ToArray();
        var rounded = new ushort[values.Length];

        SqueezeExcitationKernel.Round(values, rounded);

        var expected = tensor(values).to(ScalarType.BFloat16).to(ScalarType.Float32).data<float>().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            float actual = BitConverter.Int32BitsToSingle(rounded[i] << 16);
            Assert.True(float.IsNaN(expected[i]) ? float.IsNaN(actual) : BitConverter.SingleToInt32Bits(actual) == BitConverter.SingleToInt32Bits(expected[i]),
                $"0x{BitConverter.SingleToUInt32Bits(values[i]):X8}: rounded to 0x{rounded[i]:X4}, libtorch gives {expected[i]}");
        }
    }
}
