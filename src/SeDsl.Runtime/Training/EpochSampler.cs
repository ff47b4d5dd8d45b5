using System.Collections;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace SeDsl.Training;

/// <summary>
/// The order of the training samples in one epoch: a permutation drawn from a generator of its own seeded with the
/// run's seed and the epoch, so epoch e's order is the same in a fresh run and in one resumed before it, and the
/// global generator is left alone. In order when shuffling is off.
/// </summary>
internal sealed class EpochSampler(long count, long seed, bool shuffle) : IEnumerable<long>
{
    /// <summary>The epoch whose order the next enumeration yields; set before each epoch.</summary>
    public int Epoch { get; set; } = 1;

    public IEnumerator<long> GetEnumerator()
    {
        long[] order;
        if (shuffle)
        {
            // A fixed odd multiplier spreads (seed, epoch) pairs apart; any collision would only repeat an order.
            using var generator = new Generator(unchecked((ulong)(seed * 1_000_003L) + (ulong)Epoch));
            using Tensor permutation = randperm(count, generator: generator, dtype: ScalarType.Int64);
            order = permutation.data<long>().ToArray();
        }
        else
        {
            order = new long[count];
            for (long i = 0; i < count; i++)
            {
                order[i] = i;
            }
        }

        return ((IEnumerable<long>)order).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
