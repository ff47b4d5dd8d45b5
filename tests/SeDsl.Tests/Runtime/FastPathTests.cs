using System;
using System.Collections.Generic;
using System.Linq;
using SeDsl.Layers;
using SeDsl.Tests.Networks;
using SeDsl.Zoo;
using SeDsl.Zoo.HandWritten;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// The generated fast paths compute what the plain modules compute: fused inference equals the unfused module for
/// every network (every SE variant and block kind), and the training path's gradients equal those of hand-written
/// TorchSharp with separate module calls, multiplication, addition and ReLU.
/// </summary>
public class FastPathTests
{
    private static (nn.Module<Tensor, Tensor> Module, Func<nn.Module<Tensor, Tensor>> Fuse, NetworkSummary Summary) Create(string name) => name switch
    {
        nameof(TinySeNet) => With(new TinySeNet(), m => m.Fuse(), TinySeNet.Summary),
        nameof(EveryLayer) => With(new EveryLayer(), m => m.Fuse(), EveryLayer.Summary),
        nameof(FlatHead) => With(new FlatHead(), m => m.Fuse(), FlatHead.Summary),
        nameof(ResNet50) => With(new ResNet50(), m => m.Fuse(), ResNet50.Summary),
        nameof(SeResNet50) => With(new SeResNet50(), m => m.Fuse(), SeResNet50.Summary),
        nameof(SeStandardNet) => With(new SeStandardNet(), m => m.Fuse(), SeStandardNet.Summary),
        nameof(SePreNet) => With(new SePreNet(), m => m.Fuse(), SePreNet.Summary),
        nameof(SePostNet) => With(new SePostNet(), m => m.Fuse(), SePostNet.Summary),
        nameof(SeIdentityNet) => With(new SeIdentityNet(), m => m.Fuse(), SeIdentityNet.Summary),
        nameof(Se3x3Net) => With(new Se3x3Net(), m => m.Fuse(), Se3x3Net.Summary),
        nameof(SmallInception) => With(new SmallInception(), m => m.Fuse(), SmallInception.Summary),
        nameof(ResNet50Caffe) => With(new ResNet50Caffe(), m => m.Fuse(), ResNet50Caffe.Summary),
        nameof(SeSecondStageOnlyNet) => With(new SeSecondStageOnlyNet(), m => m.Fuse(), SeSecondStageOnlyNet.Summary),
        nameof(SmallShuffle) => With(new SmallShuffle(), m => m.Fuse(), SmallShuffle.Summary),
        nameof(FashionResNet) => With(new FashionResNet(), m => m.Fuse(), FashionResNet.Summary),
        nameof(FashionSeResNet) => With(new FashionSeResNet(), m => m.Fuse(), FashionSeResNet.Summary),
        nameof(CustomNet) => With(new CustomNet(), m => m.Fuse(), CustomNet.Summary),
        nameof(GatedNet) => With(new GatedNet(), m => m.Fuse(), GatedNet.Summary),
        nameof(SeMixedNet) => With(new SeMixedNet(), m => m.Fuse(), SeMixedNet.Summary),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static (nn.Module<Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>>, NetworkSummary) With<T>(T module, Func<T, nn.Module<Tensor, Tensor>> fuse, NetworkSummary summary)
        where T : nn.Module<Tensor, Tensor> => (module, () => fuse(module), summary);

    /// <summary>Gives every batch norm statistics and affine parameters far from the identity, so that folding matters.</summary>
    private static void Randomise(nn.Module module, int seed)
    {
        using var _ = no_grad();
        var generator = new torch.Generator((ulong)seed);
        foreach (var (_, child) in module.named_modules())
        {
            if (child is TorchSharp.Modules.BatchNorm2d bn)
            {
                var mean = bn.running_mean!;
                var variance = bn.running_var!;
                var weight = bn.weight!;
                var bias = bn.bias!;
                mean.copy_(randn(mean.shape, generator: generator) * 0.5);
                variance.copy_(rand(variance.shape, generator: generator) + 0.5);
                weight.copy_(rand(weight.shape, generator: generator) + 0.5);
                bias.copy_(randn(bias.shape, generator: generator) * 0.2);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TorchSharpTests.Networks), MemberType = typeof(TorchSharpTests))]
    public void Fused_inference_equals_the_unfused_module_and_leaves_the_input_unchanged(string name)
    {
        var (module, fuse, summary) = Create(name);
        using var _ = module;
        using var scope = NewDisposeScope();
        Randomise(module, seed: 7);
        module.eval();
        var input = randn(new[] { 1L }.Concat(summary.Input).ToArray(), generator: new torch.Generator(11));
        var copy = input.clone();
        Tensor expected;
        using (no_grad())
        {
            expected = module.forward(input);
        }

        var fused = fuse();
        var actual = fused.forward(input);

        Assert.Same(module, fused);
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1.0, expected.abs().max().item<float>());
        double difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-4 * scale, $"{name}: fused and unfused outputs differ by {difference} (scale {scale}).");
        Assert.True(input.allclose(copy, rtol: 0, atol: 0), $"{name}: the fused forward modified its input.");
    }

    [Fact]
    public void Channels_last_fused_inference_equals_the_unfused_module()
    {
        using var model = new SeSecondStageOnlyNet();
        Randomise(model, seed: 19);
        model.eval();
        using var scope = NewDisposeScope();
        var input = randn(new long[] { 2, 3, 32, 32 }, generator: new torch.Generator(23));
        Tensor expected;
        using (no_grad())
        {
            expected = model.forward(input);
        }

        var actual = model.Fuse(channelsLast: true).forward(input);

        AssertClose(expected, actual, "channels-last fused output", tolerance: 1e-4);
    }

    [Fact]
    public void Channels_last_strides_keep_the_values_and_carry_through_a_convolution()
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 8, 5, 7);
        using var conv = nn.Conv2d(8, 16, 3, padding: 1);

        var nhwc = MemoryLayout.ToChannelsLast(input);

        Assert.False(MemoryLayout.IsChannelsLast(input));
        Assert.True(MemoryLayout.IsChannelsLast(nhwc));
        Assert.True(nhwc.allclose(input, rtol: 0, atol: 0));
        Assert.True(MemoryLayout.IsChannelsLast(conv.forward(nhwc)));
    }

    [Fact]
    public void A_fused_network_refuses_to_train()
    {
        using var model = new TinySeNet().Fuse();
        model.train();
        using var input = randn(1, 3, 32, 32);

        var error = Assert.Throws<InvalidOperationException>(() => model.forward(input));

        Assert.Contains("TinySeNet was fused for inference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fusing_twice_folds_once()
    {
        using var model = new SeStandardNet();
        Randomise(model, seed: 3);
        model.eval();
        using var input = randn(1, 3, 32, 32);
        using var expected = model.forward(input).detach();

        model.Fuse();
        model.Fuse();
        using var actual = model.forward(input);

        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void A_thousand_fused_inference_calls_leave_no_tensor_alive()
    {
        using var model = new SeStandardNet().Fuse();
        using var input = randn(1, 3, 32, 32);
        for (int i = 0; i < 10; i++)
        {
            model.forward(input).Dispose();
        }

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 1000; i++)
        {
            model.forward(input).Dispose();
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    public static TheoryData<SqueezeOperator, ExcitationGate, bool> SqueezeExcitationKinds()
    {
        var data = new TheoryData<SqueezeOperator, ExcitationGate, bool>();
        foreach (var squeeze in Enum.GetValues<SqueezeOperator>())
        {
            foreach (var gate in Enum.GetValues<ExcitationGate>())
            {
                data.Add(squeeze, gate, true);
                data.Add(squeeze, gate, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SqueezeExcitationKinds))]
    public void The_tensor_op_gate_and_the_addcmul_tail_have_the_module_chains_values_and_gradients(SqueezeOperator squeeze, ExcitationGate gate, bool bias)
    {
        using var se = new SqueezeExcitation(channels: 24, reducedChannels: 6, squeeze, gate, bias);
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(5);
        var x = randn(new long[] { 3, 24, 5, 7 }, generator: generator);
        var identity = randn(new long[] { 3, 24, 5, 7 }, generator: generator);

        // Plain: the module's own forward (two 1x1 convolutions), then a separate addition and ReLU.
        var (plain, plainGradients) = Gradients(se, x, identity, (input, id) => (se.forward(input) + id).relu());
        var (scaled, scaledGradients) = Gradients(se, x, identity, (input, _) => se.Scale(input));
        var (plainScaled, plainScaledGradients) = Gradients(se, x, identity, (input, _) => se.forward(input));
        var (fast, fastGradients) = Gradients(se, x, identity, (input, id) => se.ScaleAdd(input, id).relu_());

        AssertClose(plain, fast, "ScaleAdd value");
        AssertClose(plainScaled, scaled, "Scale value");
        for (int i = 0; i < plainGradients.Count; i++)
        {
            AssertClose(plainGradients[i], fastGradients[i], $"ScaleAdd gradient {i}");
            AssertClose(plainScaledGradients[i], scaledGradients[i], $"Scale gradient {i}");
        }
    }

    /// <summary>The value of <paramref name="function"/> and the gradients of its sum with respect to x, the identity and the parameters.</summary>
    private static (Tensor Value, List<Tensor> Gradients) Gradients(SqueezeExcitation se, Tensor x, Tensor identity, Func<Tensor, Tensor, Tensor> function)
    {
        var input = x.detach().clone().requires_grad_(true);
        var id = identity.detach().clone().requires_grad_(true);
        se.zero_grad();
        var value = function(input, id);
        // A weighting that differs per element, so that a wrong gradient cannot hide in a sum.
        (value * torch.linspace(-1, 1, value.numel()).view(value.shape)).sum().backward();
        var gradients = new List<Tensor> { input.grad!.clone(), id.grad is { } g ? g.clone() : zeros(1) };
        gradients.AddRange(se.parameters().Select(p => p.grad!.clone()));
        return (value.detach(), gradients);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1.0, expected.abs().max().item<float>());
        double difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= tolerance * scale, $"{what}: differs by {difference} (scale {scale}).");
    }

    [Fact]
    public void The_hand_written_baseline_has_the_generated_parameter_count_and_keys()
    {
        using var generated = new SeResNet50();
        using var handWritten = new HandWrittenSeResNet50();

        Assert.Equal(SeResNet50.ParameterCount, handWritten.parameters().Sum(p => p.numel()));
        Assert.Equal(generated.state_dict().Keys.Order(), handWritten.state_dict().Keys.Order());
    }

    [Fact]
    public void Training_gradients_of_the_generated_SE_ResNet_50_equal_the_hand_written_ones()
    {
        using var generated = new SeResNet50();
        using var handWritten = new HandWrittenSeResNet50();
        Randomise(generated, seed: 13);
        handWritten.load_state_dict(generated.state_dict());
        // In float64, so that the two orders of operations (addmm for the SE gate, a multiplication and an in-place
        // addition for the tail) agree to rounding: in float32 fifty layers moved conv1's gradient by up to a few 1e-2 of
        // its norm, depending on libtorch's thread scheduling, which made a float32 comparison flaky.
        generated.to(ScalarType.Float64);
        handWritten.to(ScalarType.Float64);
        generated.train();
        handWritten.train();
        using var scope = NewDisposeScope();
        var input = randn(new long[] { 2, 3, 64, 64 }, generator: new torch.Generator(17)).to_type(ScalarType.Float64);
        var target = tensor(new long[] { 3, 997 });

        var losses = new List<double>();
        foreach (nn.Module<Tensor, Tensor> model in new nn.Module<Tensor, Tensor>[] { generated, handWritten })
        {
            model.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(input), target);
            loss.backward();
            losses.Add(loss.item<double>());
        }

        Assert.Equal(losses[1], losses[0], 9);
        var expected = handWritten.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, parameter) in generated.named_parameters())
        {
            var reference = expected[name];
            double relative = (parameter.grad! - reference).norm().item<double>() / Math.Max(1e-12, reference.norm().item<double>());
            Assert.True(relative <= 1e-9, $"{name}: gradients differ by {relative:E2} relative to their norm.");
        }

        // Running statistics moved identically too.
        var statistics = handWritten.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, buffer) in generated.named_buffers())
        {
            AssertClose(statistics[name].to_type(ScalarType.Float32), buffer.to_type(ScalarType.Float32), name);
        }
    }
}
