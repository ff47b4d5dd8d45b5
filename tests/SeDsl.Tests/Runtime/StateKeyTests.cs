using System.Collections.Generic;
using System.Linq;
using SeDsl.Layers;
using SeDsl.Tests.Fidelity;
using SeDsl.Tests.Networks;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// Layers registered under <c>Key</c>s (docs/dsl.md, "State-dict keys"): the state_dict has exactly the declared paths, in
/// PyTorch's order, with each <c>#</c> numbered and no field registered a second time under its own name; forward, the
/// fused path and the runtime summary still reach the layers.
/// </summary>
public class StateKeyTests
{
    /// <summary>A convolution without bias and its batch norm under <paramref name="prefix"/> (children 0 and 1).</summary>
    private static IEnumerable<string> ConvBn(string prefix) =>
        new[] { "0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked" }.Select(k => prefix + k);

    private static IEnumerable<string> Expand(string prefix, bool downsample) =>
        ConvBn(prefix + "block.0.")
            .Concat(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }.Select(k => prefix + "block.1." + k))
            .Concat(ConvBn(prefix + "block.2."))
            .Concat(downsample ? ConvBn(prefix + "downsample.") : []);

    [Fact]
    public void State_dict_holds_the_keys_in_PyTorchs_order()
    {
        using var model = new KeyedNet();

        var expected = ConvBn("features.0.")
            .Concat(Expand("features.1.0.", downsample: false))
            .Concat(Expand("features.1.1.", downsample: false))
            .Concat(["features.2.weight", "features.2.bias"])
            .Concat(Expand("trunk.block1.block1-0.", downsample: true))
            .Concat(Expand("trunk.block1.block1-1.", downsample: false))
            .Concat(["classifier.0.weight", "classifier.0.bias"])
            .ToList();
        Assert.Equal(expected, FidelityTests.PyTorchOrder(model).Select(e => e.Key));
        Assert.Equal(expected.Order(), model.state_dict().Keys.Order());
        Assert.Equal(expected, StateDictOrder.Of(model).Select(e => e.Key));
    }

    [Fact]
    public void Children_are_the_containers_and_the_unkeyed_layers_in_order_of_first_use()
    {
        using var model = new KeyedNet();

        Assert.Equal(["features", "trunk", "relu", "avgpool", "flatten", "classifier"], model.named_children().Select(c => c.name));
        Assert.IsType<ModuleGroup>(model.named_children().First().module);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.IsType<Conv2d>(modules["features.2"]);
        Assert.IsType<Dropout>(modules["classifier.1"]);
        Assert.IsType<KeyedExpand>(modules["trunk.block1.block1-1"]);

        // No field is registered under its own name as well (TorchSharp's reflection would add stem, head, expand, conv, ...).
        Assert.DoesNotContain(modules.Keys, k => k.Split('.').Any(s => s is "stem" or "head" or "expand" or "project" or "conv" or "bn" or "se"));
    }

    [Fact]
    public void Forward_runs_through_the_registered_modules()
    {
        using var model = new KeyedNet();
        model.eval();
        using var scope = NewDisposeScope();
        var input = randn(2, 3, 16, 16);
        var before = model.forward(input);

        // Changing the module registered at features.2 changes the output: forward calls that very module.
        var head = (Conv2d)model.named_modules().Single(m => m.name == "features.2").module;
        using (no_grad())
        {
            head.bias!.add_(1.0);
        }

        var after = model.forward(input);
        Assert.Equal(new long[] { 2, 10 }, after.shape);
        Assert.False(before.allclose(after));
    }

    [Fact]
    public void Fused_inference_equals_unfused_and_the_summary_measures_by_key()
    {
        using var model = new KeyedNet();
        model.eval();
        using var scope = NewDisposeScope();
        var input = randn(2, 3, 16, 16);
        Tensor unfused;
        using (no_grad())
        {
            unfused = model.forward(input);
        }

        var measured = model.MeasureSummary();
        Assert.True(measured.Matches, measured.ToString());
        Assert.Equal(["features.0", "features.1", "trunk.block1", "features.2", "relu", "avgpool", "flatten", "classifier.1", "classifier.0"], KeyedNet.Summary.Layers.Select(l => l.Name));

        var fused = model.Fuse().forward(input);
        Assert.True(unfused.allclose(fused, rtol: 1e-4, atol: 1e-5));
    }
}
