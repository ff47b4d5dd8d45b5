using System;
using System.IO;
using System.Linq;
using SeDsl.Zoo;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// Generated forwards free their intermediates (dispose scopes): 1,000 passes must not grow the process's
/// resident memory by more than a generous bound. A leak of the intermediates alone would grow it by gigabytes.
/// </summary>
[Collection(nameof(MemoryGrowthTests))]
public class MemoryGrowthTests(ITestOutputHelper output)
{
    private const int Iterations = 1000;
    private const long BoundBytes = 64L << 20;

    [Fact]
    public void A_thousand_forward_passes_grow_resident_memory_by_less_than_64_MiB()
    {
        using var model = new TinySeNet();
        model.eval();
        using var input = randn(4, 3, 32, 32);
        using var _ = no_grad();
        for (int i = 0; i < 50; i++)
        {
            using var warmUp = model.forward(input);
        }

        long before = ResidentBytes();
        double checksum = 0;
        for (int i = 0; i < Iterations; i++)
        {
            using var logits = model.forward(input);
            using var first = logits[0, 0];
            checksum += first.item<float>();
        }

        long after = ResidentBytes();
        long growth = after - before;
        output.WriteLine($"VmRSS {before >> 10} KiB -> {after >> 10} KiB: {growth / 1024.0 / 1024.0:F1} MiB over {Iterations} passes (checksum {checksum:F3})");

        Assert.True(growth < BoundBytes, $"resident memory grew by {growth / 1024.0 / 1024.0:F1} MiB over {Iterations} forward passes (bound 64 MiB)");
    }

    /// <summary>Runs alone: resident memory is the whole process's, and other tests allocate in parallel.</summary>
    [CollectionDefinition(nameof(MemoryGrowthTests), DisableParallelization = true)]
    public sealed class Isolated;

    /// <summary>VmRSS from /proc/self/status on Linux, the working set elsewhere.</summary>
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return Environment.WorkingSet;
        }

        string line = File.ReadLines(status).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
