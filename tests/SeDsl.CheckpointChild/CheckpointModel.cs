using System;
using System.Linq;
using static TorchSharp.torch;

namespace SeDsl.CheckpointChild;

/// <summary>
/// A model of about 34 MB (eight 1024 x 1024 linear layers, float32) whose every tensor is a function of one number,
/// its state: parameter k of state s holds s + k / 16 in every element, and the buffer <c>state</c> holds s. So a file
/// that loads into it either equals one whole state or it does not, which is what a kill test needs to tell.
/// </summary>
public sealed class CheckpointModel : nn.Module
{
    /// <summary>Creates the model in state 0.</summary>
    public CheckpointModel()
        : base(nameof(CheckpointModel))
    {
        for (int i = 0; i < 8; i++)
        {
            register_module($"layer{i}", nn.Linear(1024, 1024));
        }

        register_buffer("state", zeros(new long[] { 1 }, ScalarType.Int64));
        Fill(0);
    }

    /// <summary>Sets every tensor to state <paramref name="state"/>.</summary>
    public void Fill(long state)
    {
        using var _ = no_grad();
        int k = 0;
        foreach (var parameter in parameters())
        {
            parameter.fill_(state + k++ / 16.0);
        }

        get_buffer("state")!.fill_(state);
    }

    /// <summary>The state the tensors hold, or null when they do not all hold one (a mixture, or values of no state).</summary>
    public long? State()
    {
        long state = get_buffer("state")!.item<long>();
        int k = 0;
        foreach (var parameter in parameters())
        {
            using var expected = full_like(parameter, state + k++ / 16.0);
            using var equal = parameter.eq(expected).all();
            if (!equal.item<bool>())
            {
                return null;
            }
        }

        return state;
    }
}
