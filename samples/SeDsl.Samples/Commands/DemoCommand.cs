using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using SeDsl.Zoo;
using static TorchSharp.torch;

namespace SeDsl.Samples.Commands;

/// <summary>The default job: what the compiler knows about the sample network, a forward pass, SE-ResNet-50 vs ResNet-50.</summary>
internal static class DemoCommand
{
    public static int Run()
    {
        // Print what the compiler knows about the sample network, then build it and run it once.
        Console.WriteLine("Compile-time summary (no forward pass needed):");
        Console.WriteLine(TinySeNet.Summary);
        Console.WriteLine($"ParameterCount = {TinySeNet.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)}, MultiplyAdds = {TinySeNet.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture)} per sample");
        Console.WriteLine();

        random.manual_seed(2026);
        using var model = new TinySeNet();
        model.eval();
        long runtimeParameters = model.parameters().Sum(p => p.numel());
        Console.WriteLine($"TorchSharp counts {runtimeParameters.ToString("N0", CultureInfo.InvariantCulture)} parameters: " +
            (runtimeParameters == TinySeNet.ParameterCount ? "equal to the compile-time constant." : "DIFFERENT from the compile-time constant!"));

        using var batch = randn(4, 3, 32, 32);
        var clock = Stopwatch.StartNew();
        using (no_grad())
        {
            using var logits = model.forward(batch);
            clock.Stop();
            using var classes = logits.argmax(1);
            Console.WriteLine($"Forward pass on a random batch of shape [{string.Join(", ", batch.shape)}]: output [{string.Join(", ", logits.shape)}] in {clock.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms");
            Console.WriteLine($"Predicted classes (untrained weights): {string.Join(", ", classes.data<long>().ToArray())}");
        }

        // What Squeeze-and-Excitation costs ResNet-50: the compile-time constants, and TorchSharp's count of the built modules.
        Console.WriteLine();
        Console.WriteLine("SE-ResNet-50 vs ResNet-50 at 224x224:");
        long seRuntime, plainRuntime;
        using (var se = new SeResNet50())
        {
            seRuntime = se.parameters().Sum(p => p.numel());
        }

        using (var plain = new ResNet50())
        {
            plainRuntime = plain.parameters().Sum(p => p.numel());
        }

        Console.WriteLine($"  parameters (compile time)  {Count(SeResNet50.ParameterCount),14} vs {Count(ResNet50.ParameterCount),14}  (+{Percent(SeResNet50.ParameterCount, ResNet50.ParameterCount)})");
        Console.WriteLine($"  parameters (TorchSharp)    {Count(seRuntime),14} vs {Count(plainRuntime),14}");
        Console.WriteLine($"  multiply-adds              {Count(SeResNet50.MultiplyAdds),14} vs {Count(ResNet50.MultiplyAdds),14}  (+{Percent(SeResNet50.MultiplyAdds, ResNet50.MultiplyAdds)})");
        bool countsAgree = runtimeParameters == TinySeNet.ParameterCount && seRuntime == SeResNet50.ParameterCount && plainRuntime == ResNet50.ParameterCount;

        return countsAgree ? 0 : 1;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(long value, long baseline) => ((value - baseline) * 100.0 / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
