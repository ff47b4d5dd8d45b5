using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>Helpers that compare and perturb module state for the weights tests.</summary>
internal static class StateDicts
{
    /// <summary>A deep copy of the module's state_dict, on the CPU, owned by the caller.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().cpu().clone());

    /// <summary>Asserts that the module's state equals <paramref name="expected"/> exactly, key by key.</summary>
    public static void AssertEqual(IReadOnlyDictionary<string, Tensor> expected, nn.Module module)
    {
        var actual = module.state_dict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, tensor) in expected)
        {
            Assert.True(Identical(tensor, actual[key]), $"'{key}' differs");
        }
    }

    /// <summary>Same shape, dtype and every element equal (no tolerance).</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape))
        {
            return false;
        }

        using var equal = a.eq(b.to(a.device));
        using var all = equal.all();
        return all.item<bool>();
    }

    /// <summary>
    /// Gives batch-norm buffers values no fresh model has (running statistics and the batch counter), so that a
    /// round trip that dropped them would change the outputs.
    /// </summary>
    public static void RandomiseBuffers(nn.Module module, int seed)
    {
        using var _ = no_grad();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        foreach (var (name, buffer) in module.named_buffers())
        {
            if (buffer.dtype == ScalarType.Int64)
            {
                buffer.fill_(7);
            }
            else if (name.EndsWith("running_var", System.StringComparison.Ordinal))
            {
                buffer.uniform_(0.5, 1.5, generator);
            }
            else
            {
                buffer.uniform_(-0.1, 0.1, generator);
            }
        }
    }
}
