using System;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// Stochastic depth in row mode (torchvision's <c>StochasticDepth(p, "row")</c>, timm's <c>DropPath</c>): while training,
/// each sample of the batch is kept with probability 1 - p and scaled by 1 / (1 - p), or zeroed; the identity in eval
/// mode. No parameters and no buffers, so state dicts are unchanged by it.
/// </summary>
public sealed class DropPath : nn.Module<Tensor, Tensor>
{
    private readonly Generator? generator;

    /// <summary>Creates the module.</summary>
    /// <param name="p">Probability of dropping a sample, in [0, 1).</param>
    /// <param name="generator">The random generator for the masks; null for torch's default one. Tests pass a seeded one.</param>
    public DropPath(double p, Generator? generator = null)
        : base(nameof(DropPath))
    {
        if (!(p >= 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The drop path probability must be in [0, 1).");
        }

        P = p;
        this.generator = generator;
    }

    /// <summary>Probability of dropping a sample.</summary>
    public double P { get; }

    /// <summary>While training: <paramref name="input"/> times a per-sample mask of 0 or 1 / (1 - p); otherwise the input itself.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || P == 0)
        {
            return input;
        }

        // One draw per sample, broadcast over its other dimensions: shape [N, 1, 1, ...].
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        double keep = 1 - P;
        using var mask = empty(shape, input.dtype, input.device).bernoulli_(keep, generator).div_(keep);
        return input.mul(mask);
    }
}
