using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SeDsl.Zoo;
using static TorchSharp.torch;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>memory [--model NAME] [--iterations N] [--batch B] [--size S]</c>: runs N forward passes of a zoo model and prints
/// the process's resident memory (VmRSS) before and after, and the growth per 1,000 calls. Generated forwards free
/// their intermediates in dispose scopes, so the growth should stay near zero.
/// </summary>
internal static class MemoryCommand
{
    private const int WarmUp = 20;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Zoo model (exact name).", DefaultValueFactory = _ => "TinySeNet" };
        var iterations = new Option<int>("--iterations") { Description = "Forward passes to measure.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 4 };
        var size = new Option<int?>("--size") { Description = "Input height and width; the model's declared size by default." };
        var command = new Command("memory", "Run forward passes and print resident memory before and after, and its growth per 1,000 calls.")
        {
            model,
            iterations,
            batch,
            size,
        };
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(iterations), result.GetValue(batch), result.GetValue(size), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string name, int iterations, int batch, int? size, TextWriter output, TextWriter error)
    {
        ZooModel? entry = Catalogue.Models.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (entry is null)
        {
            error.WriteLine($"No zoo model is named '{name}'. Models: {string.Join(", ", Catalogue.Models.Select(m => m.Name))}.");
            return 2;
        }

        if (iterations < 1 || batch < 1 || size is < 1)
        {
            error.WriteLine("--iterations, --batch and --size must be positive.");
            return 2;
        }

        var input = entry.Summary.Input;
        long height = size ?? input[1];
        long width = size ?? input[2];
        using var module = entry.Create();
        module.eval();
        random.manual_seed(2026);
        using var x = randn(batch, input[0], height, width);
        using var _ = no_grad();
        for (int i = 0; i < WarmUp; i++)
        {
            using var warm = module.forward(x);
        }

        long before = ResidentKiB();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            using var y = module.forward(x);
        }

        clock.Stop();
        long after = ResidentKiB();
        double perThousand = (after - before) * 1000.0 / iterations / 1024.0;
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"{entry.Name}, input [{batch}, {input[0]}, {height}, {width}], {iterations} forward passes after {WarmUp} warm-up passes ({clock.Elapsed.TotalSeconds:0.0} s):"));
        output.WriteLine(string.Create(culture, $"  resident memory (VmRSS) before {before / 1024.0:0.0} MiB, after {after / 1024.0:0.0} MiB"));
        string scaled = iterations == 1000 ? "" : string.Create(culture, $" (scaled linearly from {iterations})");
        output.WriteLine(string.Create(culture, $"  growth {(after - before) / 1024.0:0.0} MiB, {perThousand:0.00} MiB per 1,000 calls{scaled}"));
        return 0;
    }

    /// <summary>VmRSS in KiB from /proc/self/status on Linux; the working set elsewhere. Collects garbage first.</summary>
    private static long ResidentKiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return Environment.WorkingSet / 1024;
        }

        string line = File.ReadLines(status).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.AsSpan("VmRSS:".Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
    }
}
