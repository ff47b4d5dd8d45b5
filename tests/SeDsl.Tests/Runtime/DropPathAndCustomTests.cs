using System;
using System.Linq;
using SeDsl.Layers;
using SeDsl.Tests.Networks;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>End to end: stochastic depth and custom layers in TorchSharp, alone and in generated networks and blocks.</summary>
public class DropPathAndCustomTests
{
    /// <summary>The per-sample mask a seeded generator gives: 0 or 1 / (1 - p), one value per row.</summary>
    private static float[] ExpectedMask(long rows, double p, ulong seed)
    {
        var generator = new TorchSharp.torch.Generator(seed);
        using var draws = empty(rows, 1, 1, 1).bernoulli_(1 - p, generator);
        return draws.div(1 - p).flatten().data<float>().ToArray();
    }

    [Fact]
    public void Drop_path_is_the_identity_in_eval_mode()
    {
        using var drop = new DropPath(0.5);
        drop.eval();
        using var x = randn(8, 3, 4, 4);

        Assert.Same(x, drop.forward(x));
    }

    [Fact]
    public void Drop_path_in_training_zeroes_or_scales_whole_samples_as_the_seeded_generator_draws()
    {
        const double p = 0.25;
        using var drop = new DropPath(p, new TorchSharp.torch.Generator(1234));
        drop.train();
        using var x = randn(64, 3, 5, 5);

        using var y = drop.forward(x);
        var expected = ExpectedMask(64, p, 1234);

        Assert.Contains(expected, m => m == 0);
        Assert.Contains(expected, m => m != 0);
        for (int row = 0; row < 64; row++)
        {
            // Row mode: one draw per sample, so every element of a row is dropped or kept together.
            using var expectedRow = x[row].mul(expected[row]);
            Assert.True(y[row].allclose(expectedRow), $"row {row}: mask {expected[row]}");
        }
    }

    [Fact]
    public void Drop_path_keeps_the_expected_value_over_many_samples()
    {
        using var drop = new DropPath(0.2, new TorchSharp.torch.Generator(7));
        drop.train();
        using var x = ones(20000, 1, 1, 1);

        using var y = drop.forward(x);

        // Each kept sample is 1 / 0.8 = 1.25; the mean stays 1 (standard error about 0.0035).
        Assert.InRange(y.mean().item<float>(), 0.98f, 1.02f);
        Assert.Equal(new[] { 0f, 1.25f }, y.unique().output.data<float>().ToArray());
    }

    [Fact]
    public void Gradients_flow_through_kept_samples_only()
    {
        const double p = 0.5;
        using var drop = new DropPath(p, new TorchSharp.torch.Generator(99));
        drop.train();
        using var x = randn(16, 2, 3, 3).requires_grad_();

        using var y = drop.forward(x);
        y.sum().backward();
        var expected = ExpectedMask(16, p, 99);

        for (int row = 0; row < 16; row++)
        {
            using var expectedGrad = full(2, 3, 3, expected[row]);
            Assert.True(x.grad![row].allclose(expectedGrad), $"row {row}");
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Drop_path_rejects_a_probability_outside_zero_to_one(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropPath(p));
    }

    [Fact]
    public void A_block_with_drop_path_is_deterministic_in_eval_and_equal_on_the_fused_path()
    {
        using var model = new GatedNet();
        model.eval();
        using var x = randn(2, 3, 16, 16);

        using var first = model.forward(x);
        using var second = model.forward(x);
        model.Fuse();
        using var fused = model.forward(x);

        Assert.True(first.allclose(second, rtol: 0, atol: 0));
        Assert.True(first.allclose(fused, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void A_residual_block_with_drop_path_drops_its_body_per_sample_while_training()
    {
        // A dropped sample's body is zero, so the block gives relu(shortcut) = relu(input) for it (identity shortcut);
        // a kept one differs. Batch norm stays in eval mode so that only the drop path is random.
        manual_seed(5);
        using var block = new GatedBlock(16, 1, 16);
        block.train();
        foreach (var (_, module) in block.named_modules())
        {
            if (module is TorchSharp.Modules.BatchNorm2d)
            {
                module.eval();
            }
        }

        using var x = randn(32, 16, 6, 6);
        using var y = block.forward(x);
        using var shortcutOnly = x.relu();
        var dropped = Enumerable.Range(0, 32).Select(i => y[i].allclose(shortcutOnly[i], rtol: 0, atol: 0)).ToList();

        Assert.Contains(true, dropped);
        Assert.Contains(false, dropped);
        block.eval();
        using var evaluated = block.forward(x);
        Assert.False(evaluated.allclose(shortcutOnly));
    }

    [Fact]
    public void Custom_layers_are_registered_under_their_field_names_in_networks_and_blocks()
    {
        using var net = new CustomNet();
        using var gated = new GatedNet();

        Assert.Contains("gate.reduce.weight", net.state_dict().Keys);
        Assert.Contains("down.conv.weight", net.state_dict().Keys);
        Assert.Contains("layer1.1.gate.expand.bias", gated.state_dict().Keys);
        Assert.Equal(new long[] { 4, 16, 1, 1 }, gated.state_dict()["layer1.0.gate.reduce.weight"].shape);
    }

    [Fact]
    public void A_custom_layer_whose_declared_count_lies_throws_naming_the_model_the_layer_and_both_counts()
    {
        // ChannelGate on 8 channels, reduction 4: 8 x 2 + 2 + 2 x 8 + 8 = 42 parameters; the rule forgot the biases (32).
        var error = Assert.Throws<InvalidOperationException>(() => new LyingCustomNet());

        Assert.StartsWith("LyingCustomNet: custom layer 'gate' (ChannelGate) has 42 parameters, but its [Custom] rule declares 32;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_layer_whose_output_breaks_the_declared_shape_throws_in_forward()
    {
        using var model = new WrongShapeCustomNet();
        using var x = randn(2, 3, 8, 8);

        var error = Assert.Throws<InvalidOperationException>(() => model.forward(x));

        Assert.Equal("WrongShapeCustomNet: custom layer 'gate' returned a tensor of shape [2, 8, 8, 8] for an input of shape [2, 8, 8, 8], but its [Custom] rule declares [2, 16, 8, 8].", error.Message);
    }

    [Fact]
    public void Nothing_after_a_custom_layer_overwrites_its_output_in_place_even_when_fused()
    {
        using var model = new StoredTensorNet();
        using var x = randn(1, 2, 3, 3);
        model.eval();
        using var unfused = model.forward(x);
        model.Fuse();
        using var fused = model.forward(x);

        Assert.Equal(0f, fused.max().item<float>());
        Assert.Equal(-1f, model.Stored.max().item<float>());   // the module's own tensor, unchanged by the ReLU
    }

    [Fact]
    public void The_output_check_accepts_the_declared_shape_and_rejects_another_height()
    {
        using var input = zeros(1, 4, 7, 9);
        using var good = zeros(1, 8, 4, 5);
        using var bad = zeros(1, 8, 3, 5);
        var owner = new object();

        Assert.Same(good, CustomLayer.Output(owner, "layer", input, good, 8, 2));
        Assert.Same(bad, CustomLayer.Output(owner, "layer", input, bad, 8, 0));   // a block's stride: height and width not checked
        Assert.Throws<InvalidOperationException>(() => CustomLayer.Output(owner, "layer", input, bad, 8, 2));
    }
}
