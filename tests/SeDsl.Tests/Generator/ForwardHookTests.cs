using System;
using System.Collections.Generic;
using System.Linq;
using SeDsl.Tests.Infrastructure;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Generator;

/// <summary>
/// The training path calls every registered module through <c>call</c>, so forward hooks run on a network's own layers,
/// on a block used with <c>[Use]</c> and on the layers inside it, as they do for TorchSharp's own containers.
/// </summary>
public class ForwardHookTests
{
    private const string Source = """
        [Block]
        public partial class Unit
        {
            [Param] private readonly int width;

            [Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv;
            [BatchNorm2d] private readonly BatchNorm2d bn;
            [ReLU] private readonly ReLU relu;
        }

        [Network(3, 8, 8)]
        public partial class Net
        {
            [Conv2d(8, 3, Padding = 1)] private readonly Conv2d stem;
            [Use(typeof(Unit), 8)] private readonly Unit unit;
            [Stage(typeof(Unit), 2, 16)] private readonly Sequential stage;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(4)] private readonly Linear fc;
        }

        """;

    [Fact]
    public void Forward_hooks_run_on_every_layer_and_block_in_training_and_eval()
    {
        var run = GeneratorHarness.Run(Sources.Usings + "namespace Demo;\n\n" + Source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var type = ReliabilityHarness.Load(run).GetType("Demo.Net", throwOnError: true)!;
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;

        var called = new List<string>();
        var hooked = new[] { "stem", "unit", "unit.conv", "unit.relu", "stage.1", "stage.1.bn", "fc" };
        var modules = module.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (string name in hooked)
        {
            ((nn.Module<Tensor, Tensor>)modules[name]).register_forward_hook((_, _, output) =>
            {
                called.Add(name);
                return output;
            });
        }

        using (var output = module.call(randn(2, 3, 8, 8)))
        {
            Assert.Equal(hooked.OrderBy(n => n, StringComparer.Ordinal), called.OrderBy(n => n, StringComparer.Ordinal));
        }

        called.Clear();
        module.eval();
        using (var output = module.call(randn(2, 3, 8, 8)))
        {
            Assert.Equal(hooked.Length, called.Count);
        }
    }
}
