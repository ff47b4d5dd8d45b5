using System;
using System.Buffers;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// The whole bfloat16 SE gate of a fused residual tail, <c>input * gate(fc2(act(fc1(mean(input))))) + identity</c>, as one
/// managed pass over the activations' memory instead of about a dozen libtorch calls. At batch 1 the gate's tensors are
/// small (an N x C descriptor, C / r hidden units) and libtorch's per-call costs and its bfloat16 one-row products, not
/// the arithmetic, are what the gate costs: about 5 % of SE-ResNet-50 against the 3 % the product allows
/// (docs/performance.md, "The SE gate as one managed pass").
/// <para>
/// The squeeze, both products and the gate run in float32 (libtorch rounds each step to bfloat16); the result is rounded
/// once, to nearest even. It runs on one thread, so it is taken only where libtorch runs on one thread too; everything it
/// does not cover (other types, strided or mixed layouts, an autograd graph, GELU, more threads, a CPU without AVX-512 BW)
/// goes through libtorch as before.
/// </para>
/// </summary>
internal static unsafe class SqueezeExcitationKernel
{
    private static long passes;

    /// <summary>How many tails the pass has computed in this process (tests check that a network's gates took it).</summary>
    internal static long Passes => Interlocked.Read(ref passes);

    private static void* Data(Tensor tensor) => (void*)TensorMemory.Pointer(tensor);

    /// <summary>
    /// Overwrites <paramref name="input"/> (N x C x H x W, bfloat16, dense NHWC or NCHW) with <c>input * excitation + identity</c>
    /// and returns true, or returns false, having touched nothing, where the kernel does not apply and the caller computes
    /// the tail with libtorch. <paramref name="squeezed"/> is the descriptor <see cref="SqueezeExcitation.SqueezeThrough"/>
    /// already took (N x C, bfloat16), or null to squeeze <paramref name="input"/> here.
    /// </summary>
    public static bool TryScaleAddInPlace(Tensor input, Tensor identity, Tensor? squeezed, SqueezeExcitation gate, ref Weights? cache)
    {
        if (!Avx512BW.IsSupported || input.dtype != ScalarType.BFloat16 || !Supported(gate) || torch.get_num_threads() != 1
            || torch.is_grad_enabled())
        {
            return false;
        }

        long[] shape = input.shape;
        if (shape.Length != 4 || shape[1] != gate.Channels || identity.dtype != ScalarType.BFloat16 || !shape.AsSpan().SequenceEqual(identity.shape))
        {
            return false;
        }

        // Both tensors dense in the same layout: channels-last (the automatic layout of a bf16 plan) or channels-first.
        long[] inputStrides = input.stride(), identityStrides = identity.stride();
        bool channelsLast = IsDense(shape, inputStrides, ChannelsLast) && IsDense(shape, identityStrides, ChannelsLast);
        if (!channelsLast && !(IsDense(shape, inputStrides, ChannelsFirst) && IsDense(shape, identityStrides, ChannelsFirst)))
        {
            return false;
        }

        long batch = shape[0], channels = shape[1], positions = shape[2] * shape[3];
        if (squeezed is not null && (squeezed.dtype != ScalarType.BFloat16 || squeezed.numel() != batch * channels || !squeezed.is_contiguous()))
        {
            return false;
        }

        if (channels > int.MaxValue / 4)
        {
            return false;
        }

        // The pass writes over input while it reads the others, so none may share its memory. Both are dense, so each
        // spans its element count from its first element.
        var x = (ushort*)Data(input);
        var id = (ushort*)Data(identity);
        var given = squeezed is null ? null : (ushort*)Data(squeezed);
        long elements = batch * channels * positions;
        if (Overlap(x, elements, id, elements) || given is not null && Overlap(x, elements, given, batch * channels))
        {
            return false;
        }

        var weights = Weights.Of(gate, ref cache);
        if (weights is null)
        {
            return false;
        }

        float[] rented = ArrayPool<float>.Shared.Rent((int)(2 * channels + weights.Reduced));
        try
        {
            var descriptor = rented.AsSpan(0, (int)channels);
            var gates = rented.AsSpan((int)channels, (int)channels);
            var hidden = rented.AsSpan((int)(2 * channels), (int)weights.Reduced);
            for (long n = 0; n < batch; n++)
            {
                long offset = n * positions * channels;
                if (given is null)
                {
                    if (channelsLast)
                    {
                        SumRows(x + offset, positions, channels, descriptor);
                    }
                    else
                    {
                        SumPlanes(x + offset, channels, positions, descriptor);
                    }

                    Divide(descriptor, positions);
                }
                else
                {
                    Widen(given + n * channels, descriptor);
                }

                MatrixVector(weights.Fc1Weight, weights.Fc1Bias, descriptor, hidden);
                Apply(gate.Activation, hidden);
                MatrixVector(weights.Fc2Weight, weights.Fc2Bias, hidden, gates);
                Apply(gate.GateKind, gates);
                if (channelsLast)
                {
                    ScaleAddRows(x + offset, id + offset, positions, channels, gates);
                }
                else
                {
                    ScaleAddPlanes(x + offset, id + offset, channels, positions, gates);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }

        GC.KeepAlive(input);
        GC.KeepAlive(identity);
        GC.KeepAlive(squeezed);
        GC.KeepAlive(weights);
        Interlocked.Increment(ref passes);
        return true;
    }

    /// <summary>
    /// The data pointers of a gate's four parameters, checked (bfloat16, contiguous, both biases present, the sizes the gate
    /// declares) once per set of parameter objects: <c>to(...)</c> and <c>Fuse</c> replace them, <c>load_state_dict</c>
    /// copies into them in place. Each call reads the four pointers again and checks them anew if one moved (a storage
    /// swapped under the same parameter), so no pointer outlives the memory it was read from.
    /// </summary>
    internal sealed class Weights
    {
        private readonly Tensor[] parameters;

        private Weights(Tensor[] parameters, long reduced)
        {
            this.parameters = parameters;
            Reduced = reduced;
            Fc1Weight = (ushort*)Data(parameters[0]);
            Fc1Bias = (ushort*)Data(parameters[1]);
            Fc2Weight = (ushort*)Data(parameters[2]);
            Fc2Bias = (ushort*)Data(parameters[3]);
        }

        public long Reduced { get; }

        public ushort* Fc1Weight { get; }

        public ushort* Fc1Bias { get; }

        public ushort* Fc2Weight { get; }

        public ushort* Fc2Bias { get; }

        /// <summary>The cached pointers if <paramref name="gate"/>'s parameters are the same objects at the same addresses; else checked anew (null: not usable).</summary>
        public static Weights? Of(SqueezeExcitation gate, ref Weights? cache)
        {
            var (fc1, fc2) = gate.Projections;
            if (fc1.bias is not { } b1 || fc2.bias is not { } b2 || fc1.weight is not { } w1 || fc2.weight is not { } w2)
            {
                return null;
            }

            if (cache is { } known && ReferenceEquals(known.parameters[0], w1) && ReferenceEquals(known.parameters[1], b1)
                && ReferenceEquals(known.parameters[2], w2) && ReferenceEquals(known.parameters[3], b2)
                && known.Fc1Weight == Data(w1) && known.Fc1Bias == Data(b1) && known.Fc2Weight == Data(w2) && known.Fc2Bias == Data(b2))
            {
                return known;
            }

            Tensor[] parameters = [w1, b1, w2, b2];
            long reduced = gate.ReducedChannels, channels = gate.Channels;
            bool usable = parameters.All(p => p.dtype == ScalarType.BFloat16 && p.is_contiguous())
                && w1.numel() == reduced * channels && w2.numel() == reduced * channels && b1.numel() == reduced && b2.numel() == channels;
            cache = usable ? new Weights(parameters, reduced) : null;
            return cache;
        }
    }

    private static bool Overlap(ushort* a, long aLength, ushort* b, long bLength) => a < b + bLength && b < a + aLength;

    /// <summary>The dimensions of N x C x H x W from the innermost in memory out: channels-last (NHWC) and channels-first (NCHW).</summary>
    private static ReadOnlySpan<int> ChannelsLast => [1, 3, 2, 0];

    private static ReadOnlySpan<int> ChannelsFirst => [3, 2, 1, 0];

    /// <summary>
    /// Whether the tensor is dense with its dimensions in memory in <paramref name="order"/> (innermost first), as the
    /// pointer arithmetic assumes: for channels-last element (n, c, h, w) at <c>((n H + h) W + w) C + c</c>. A dimension of
    /// size 1 may have any stride (libtorch leaves them as it finds them).
    /// </summary>
    private static bool IsDense(long[] shape, long[] strides, ReadOnlySpan<int> order)
    {
        long expected = 1;
        foreach (int dimension in order)
        {
            if (shape[dimension] != 1 && strides[dimension] != expected)
            {
                return false;
            }

            expected *= shape[dimension];
        }

        return true;
    }

    /// <summary>The gates the kernel computes: the average squeeze, and an inner activation other than GELU (which needs erf).</summary>
    private static bool Supported(SqueezeExcitation gate) =>
        gate.SqueezeKind == SqueezeOperator.Average && gate.Activation != Activation.GELU && Enum.IsDefined(gate.Activation);

    /// <summary>The float32 value of a bfloat16 bit pattern: its 16 bits are a float32's high half.</summary>
    private static float ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>
    /// A float32 rounded to the nearest bfloat16, ties to even; NaN stays a (quiet) NaN. The same rounding as libtorch's
    /// <c>c10::BFloat16</c> conversion.
    /// </summary>
    private static ushort ToBFloat16(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        uint bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>Sixteen bfloat16 values widened to float32: zero-extended to 32 bits and shifted into the high half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load16(ushort* source) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Avx.LoadVector256(source)), 16).AsSingle();

    /// <summary>Sixteen float32 values rounded to bfloat16, ties to even, NaN kept a quiet NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(ushort* target, Vector512<float> value)
    {
        var bits = value.AsUInt32();
        var lsb = Avx512F.And(Avx512F.ShiftRightLogical(bits, 16), Vector512<uint>.One);
        var rounded = Avx512F.ShiftRightLogical(Avx512F.Add(Avx512F.Add(bits, Vector512.Create(0x7FFFu)), lsb), 16);
        var ordered = Vector512.Equals(value, value).AsUInt32();
        rounded = Vector512.ConditionalSelect(ordered, rounded, Vector512.Create(0x7FC0u));
        Avx.Store(target, Avx512BW.ConvertToVector256UInt16(rounded));
    }

    /// <summary>Rounds <paramref name="source"/> to bfloat16 bit patterns as the tail does: by sixteens, then one by one.</summary>
    internal static void Round(ReadOnlySpan<float> source, Span<ushort> target)
    {
        int i = 0;
        fixed (float* from = source)
        fixed (ushort* to = target)
        {
            if (Avx512BW.IsSupported)
            {
                for (; i + 16 <= source.Length; i += 16)
                {
                    Store16(to + i, Vector512.Load(from + i));
                }
            }

            for (; i < source.Length; i++)
            {
                to[i] = ToBFloat16(from[i]);
            }
        }
    }

    /// <summary><paramref name="sums"/>[c] = the sum over <paramref name="rows"/> rows of <paramref name="source"/>[p, c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumRows(ushort* source, long rows, long width, Span<float> sums)
    {
        sums.Clear();
        long vectorWidth = width - width % 16;
        fixed (float* acc = sums)
        {
            for (long p = 0; p < rows; p++)
            {
                ushort* row = source + p * width;
                long c = 0;
                for (; c < vectorWidth; c += 16)
                {
                    (Vector512.Load(acc + c) + Load16(row + c)).Store(acc + c);
                }

                for (; c < width; c++)
                {
                    acc[c] += ToSingle(row[c]);
                }
            }
        }
    }

    /// <summary><paramref name="sums"/>[c] = the sum of plane c of <paramref name="source"/> (channels x length, row-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumPlanes(ushort* source, long channels, long length, Span<float> sums)
    {
        long vectorLength = length - length % 16;
        for (long c = 0; c < channels; c++)
        {
            ushort* plane = source + c * length;
            var acc = Vector512<float>.Zero;
            long p = 0;
            for (; p < vectorLength; p += 16)
            {
                acc += Load16(plane + p);
            }

            float sum = Vector512.Sum(acc);
            for (; p < length; p++)
            {
                sum += ToSingle(plane[p]);
            }

            sums[(int)c] = sum;
        }
    }

    private static void Divide(Span<float> values, float divisor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] /= divisor;
        }
    }

    private static void Widen(ushort* source, Span<float> target)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = ToSingle(source[i]);
        }
    }

    /// <summary><paramref name="result"/> = bias + W x, for W (rows x columns, bfloat16, row-major) a 1x1 convolution's weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatrixVector(ushort* weights, ushort* bias, ReadOnlySpan<float> x, Span<float> result)
    {
        int columns = x.Length;
        int vectorColumns = columns - columns % 16;
        fixed (float* input = x)
        {
            for (int r = 0; r < result.Length; r++)
            {
                ushort* row = weights + (long)r * columns;
                var acc = Vector512<float>.Zero;
                int c = 0;
                for (; c < vectorColumns; c += 16)
                {
                    acc = Vector512.FusedMultiplyAdd(Load16(row + c), Vector512.Load(input + c), acc);
                }

                float sum = Vector512.Sum(acc);
                for (; c < columns; c++)
                {
                    sum += ToSingle(row[c]) * input[c];
                }

                result[r] = ToSingle(bias[r]) + sum;
            }
        }
    }

    private static void Apply(Activation kind, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            values[i] = kind switch
            {
                Activation.ReLU => MathF.Max(v, 0),
                Activation.ReLU6 => MathF.Min(MathF.Max(v, 0), 6),
                Activation.Sigmoid => Sigmoid(v),
                Activation.Tanh => MathF.Tanh(v),
                Activation.HardSigmoid => HardSigmoid(v),
                Activation.SiLU => v * Sigmoid(v),
                Activation.Hardswish => v * HardSigmoid(v),
                _ => v,
            };
        }
    }

    private static void Apply(ExcitationGate gate, Span<float> values) => Apply(gate switch
    {
        ExcitationGate.ReLU => Activation.ReLU,
        ExcitationGate.Tanh => Activation.Tanh,
        ExcitationGate.HardSigmoid => Activation.HardSigmoid,
        _ => Activation.Sigmoid,
    }, values);

    private static float Sigmoid(float v) => 1 / (1 + MathF.Exp(-v));

    private static float HardSigmoid(float v) => MathF.Min(MathF.Max(v + 3, 0), 6) / 6;

    /// <summary><paramref name="x"/>[p, c] becomes <paramref name="x"/>[p, c] * <paramref name="gates"/>[c] + <paramref name="identity"/>[p, c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleAddRows(ushort* x, ushort* identity, long rows, long width, ReadOnlySpan<float> gates)
    {
        long vectorWidth = width - width % 16;
        fixed (float* g = gates)
        {
            for (long p = 0; p < rows; p++)
            {
                long start = p * width;
                long c = 0;
                for (; c < vectorWidth; c += 16)
                {
                    var value = Vector512.FusedMultiplyAdd(Load16(x + start + c), Vector512.Load(g + c), Load16(identity + start + c));
                    Store16(x + start + c, value);
                }

                for (; c < width; c++)
                {
                    x[start + c] = ToBFloat16(MathF.FusedMultiplyAdd(ToSingle(x[start + c]), g[c], ToSingle(identity[start + c])));
                }
            }
        }
    }

    /// <summary><paramref name="x"/>[c, p] becomes <paramref name="x"/>[c, p] * <paramref name="gates"/>[c] + <paramref name="identity"/>[c, p], planes of <paramref name="length"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleAddPlanes(ushort* x, ushort* identity, long channels, long length, ReadOnlySpan<float> gates)
    {
        long vectorLength = length - length % 16;
        for (long c = 0; c < channels; c++)
        {
            long start = c * length;
            float scale = gates[(int)c];
            var g = Vector512.Create(scale);
            long p = 0;
            for (; p < vectorLength; p += 16)
            {
                Store16(x + start + p, Vector512.FusedMultiplyAdd(Load16(x + start + p), g, Load16(identity + start + p)));
            }

            for (; p < length; p++)
            {
                x[start + p] = ToBFloat16(MathF.FusedMultiplyAdd(ToSingle(x[start + p]), scale, ToSingle(identity[start + p])));
            }
        }
    }
}
