using System;
using System.Collections.Generic;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SeDsl.Tests.Fidelity;

/// <summary>
/// The weights of the fidelity fixtures, computed from each state_dict key: the C# twin of <c>values</c> in
/// tests/scripts/fidelity_fixtures.py. Every value is one correctly rounded float32 operation on exact operands, so the
/// two implementations agree bit for bit (<see cref="Checksum"/> proves it per tensor).
/// </summary>
internal static class WeightFormula
{
    /// <summary>The script's <c>FORMULA_VERSION</c>; a fixture of another version was made by another formula.</summary>
    public const int Version = 1;

    /// <summary>2^-23: turns the integers of <see cref="Integers"/> into [-1, 1) exactly.</summary>
    private const float Unit = 1.0f / (1 << 23);

    /// <summary>FNV-1a, 32 bits, over the key's UTF-8 bytes.</summary>
    public static uint KeySeed(string key)
    {
        uint h = 0x811C9DC5u;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            h = unchecked((h ^ b) * 0x01000193u);
        }

        return h;
    }

    /// <summary>The integer for element <paramref name="index"/> of the tensor whose key has <paramref name="seed"/> (<see cref="KeySeed"/>): a 32-bit mix of the two, its top 24 bits, in [-2^23, 2^23).</summary>
    public static int Integer(uint seed, long index)
    {
        unchecked
        {
            uint x = ((uint)index * 0x9E3779B1u) + seed;
            x ^= x >> 16;
            x *= 0x7FEB352Du;
            x ^= x >> 15;
            x *= 0x846CA68Bu;
            x ^= x >> 16;
            return (int)(x >> 8) - (1 << 23);
        }
    }

    /// <summary>The float32 values of the state_dict entry <paramref name="key"/> of shape <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The formula has no rule for the entry (as the script raises).</exception>
    public static float[] Values(string key, IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }

        string name = key[(key.LastIndexOf('.') + 1)..];
        var values = new float[count];
        uint seed = KeySeed(key);
        if (name == "running_var" || (name == "weight" && shape.Count == 1))
        {
            // Batch-norm variance and scale: 1 + u / 4, in [0.75, 1.25).
            const float step = Unit * 0.25f;
            for (long i = 0; i < count; i++)
            {
                values[i] = 1.0f + (Integer(seed, i) * step);
            }
        }
        else if (name is "running_mean" or "bias")
        {
            // Batch-norm mean and shift, convolution and linear biases: [-0.1, 0.1).
            const float step = Unit * 0.1f;
            for (long i = 0; i < count; i++)
            {
                values[i] = Integer(seed, i) * step;
            }
        }
        else if (name == "weight" && shape.Count >= 2)
        {
            // Convolution and linear weights: [-a, a) with a = sqrt(3 / fan_in), so variance 1 / fan_in.
            long fanIn = count / shape[0];
            float step = Unit * (float)Math.Sqrt(3.0 / fanIn);
            for (long i = 0; i < count; i++)
            {
                values[i] = Integer(seed, i) * step;
            }
        }
        else
        {
            throw new ArgumentException($"The fidelity formula has no rule for state_dict entry {key} of shape [{string.Join(", ", shape)}].", nameof(key));
        }

        return values;
    }

    /// <summary>The formula-made input of the given shape: uniform in [-1, 1), the integers of the key "input".</summary>
    public static Tensor Input(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }

        uint seed = KeySeed("input");
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = Integer(seed, i) * Unit;
        }

        return tensor(values, [.. shape]);
    }

    /// <summary>Sum over i of bits(x_i) · (2i + 1), modulo 2^64: the script's exact, position-sensitive fingerprint.</summary>
    public static ulong Checksum(ReadOnlySpan<float> values)
    {
        ulong sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            unchecked
            {
                sum += (ulong)BitConverter.SingleToUInt32Bits(values[i]) * (((ulong)i * 2) + 1);
            }
        }

        return sum;
    }

    /// <summary>
    /// Fills every float32 entry of <paramref name="module"/>'s state_dict in place from the formula, under
    /// <c>no_grad</c>; the integer batch counters keep their value (eval mode never reads them).
    /// </summary>
    public static void Fill(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (key, target) in module.state_dict())
        {
            if (target.dtype != ScalarType.Float32)
            {
                continue;
            }

            using var source = tensor(Values(key, target.shape), target.shape);
            target.copy_(source);
        }
    }
}
