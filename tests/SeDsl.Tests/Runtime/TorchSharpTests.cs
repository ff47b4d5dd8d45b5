using System;
using System.Linq;
using SeDsl.Tests.Networks;
using SeDsl.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>End to end: the generated modules run in TorchSharp and agree with the compile-time figures.</summary>
public class TorchSharpTests
{
    [Fact]
    public void TorchSharp_loads_and_runs_a_convolution()
    {
        // Fails with a GLIBCXX_3.4.32 load error on Debian 12 unless the build patched libLibTorchSharp.so.
        using var conv = nn.Conv2d(3, 8, 3);
        using var output = conv.forward(ones(1, 3, 10, 10));

        Assert.Equal(new long[] { 1, 8, 8, 8 }, output.shape);
    }

    public static TheoryData<string> Networks => new() { nameof(TinySeNet), nameof(EveryLayer), nameof(FlatHead), nameof(ResNet50), nameof(SeResNet50),
        nameof(SeStandardNet), nameof(SePreNet), nameof(SePostNet), nameof(SeIdentityNet), nameof(Se3x3Net), nameof(SmallInception),
        nameof(SeSecondStageOnlyNet), nameof(SmallShuffle), nameof(FashionResNet), nameof(FashionSeResNet), nameof(CustomNet), nameof(GatedNet), nameof(SeMixedNet) };

    private static (nn.Module<Tensor, Tensor> Module, NetworkSummary Summary, long Parameters) Create(string name) => name switch
    {
        nameof(TinySeNet) => (new TinySeNet(), TinySeNet.Summary, TinySeNet.ParameterCount),
        nameof(EveryLayer) => (new EveryLayer(), EveryLayer.Summary, EveryLayer.ParameterCount),
        nameof(FlatHead) => (new FlatHead(), FlatHead.Summary, FlatHead.ParameterCount),
        nameof(ResNet50) => (new ResNet50(), ResNet50.Summary, ResNet50.ParameterCount),
        nameof(SeResNet50) => (new SeResNet50(), SeResNet50.Summary, SeResNet50.ParameterCount),
        nameof(SeStandardNet) => (new SeStandardNet(), SeStandardNet.Summary, SeStandardNet.ParameterCount),
        nameof(SePreNet) => (new SePreNet(), SePreNet.Summary, SePreNet.ParameterCount),
        nameof(SePostNet) => (new SePostNet(), SePostNet.Summary, SePostNet.ParameterCount),
        nameof(SeIdentityNet) => (new SeIdentityNet(), SeIdentityNet.Summary, SeIdentityNet.ParameterCount),
        nameof(Se3x3Net) => (new Se3x3Net(), Se3x3Net.Summary, Se3x3Net.ParameterCount),
        nameof(SmallInception) => (new SmallInception(), SmallInception.Summary, SmallInception.ParameterCount),
        nameof(SeSecondStageOnlyNet) => (new SeSecondStageOnlyNet(), SeSecondStageOnlyNet.Summary, SeSecondStageOnlyNet.ParameterCount),
        nameof(SmallShuffle) => (new SmallShuffle(), SmallShuffle.Summary, SmallShuffle.ParameterCount),
        nameof(FashionResNet) => (new FashionResNet(), FashionResNet.Summary, FashionResNet.ParameterCount),
        nameof(FashionSeResNet) => (new FashionSeResNet(), FashionSeResNet.Summary, FashionSeResNet.ParameterCount),
        nameof(CustomNet) => (new CustomNet(), CustomNet.Summary, CustomNet.ParameterCount),
        nameof(GatedNet) => (new GatedNet(), GatedNet.Summary, GatedNet.ParameterCount),
        nameof(SeMixedNet) => (new SeMixedNet(), SeMixedNet.Summary, SeMixedNet.ParameterCount),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Runtime_parameter_count_equals_the_compile_time_constant(string name)
    {
        var (module, summary, parameters) = Create(name);
        using var _ = module;

        Assert.Equal(parameters, module.parameters().Sum(p => p.numel()));
        Assert.Equal(parameters, summary.Parameters);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_layer_has_the_parameters_its_summary_row_states(string name)
    {
        var (module, summary, _) = Create(name);
        using var __ = module;
        var children = module.named_children().ToDictionary(c => c.name, c => c.module);

        Assert.Equal(summary.Layers.Select(l => l.Name), children.Keys);
        foreach (var layer in summary.Layers)
        {
            Assert.Equal(layer.Parameters, children[layer.Name].parameters().Sum(p => p.numel()));
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_output_and_every_intermediate_shape_equal_the_inferred_shapes(string name)
    {
        var (module, summary, _) = Create(name);
        using var __ = module;
        using var scope = NewDisposeScope();
        module.eval();
        var x = randn(new[] { 2L }.Concat(summary.Input).ToArray());
        var children = module.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);

        using (no_grad())
        {
            Assert.Equal(new[] { 2L }.Concat(summary.Output), module.forward(x).shape);
            foreach (var layer in summary.Layers)
            {
                x = children[layer.Name].forward(x);
                Assert.True(new[] { 2L }.Concat(layer.OutputShape).SequenceEqual(x.shape), $"{layer.Name}: inferred {NetworkSummary.FormatShape(layer.OutputShape)}, ran [{string.Join(", ", x.shape)}]");
            }
        }
    }

    [Fact]
    public void ResNet_50_and_SE_ResNet_50_have_the_reference_parameter_counts()
    {
        // torchvision resnet50 and timm seresnet50; the constants are checked against TorchSharp above.
        Assert.Equal(25_557_032, ResNet50.ParameterCount);
        Assert.Equal(28_088_024, SeResNet50.ParameterCount);
    }

    [Fact]
    public void SE_ResNet_50_state_dict_keys_match_timm()
    {
        using var model = new SeResNet50();
        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Contains("layer1.0.conv1.weight", keys);
        Assert.Contains("layer1.0.se.fc1.weight", keys);
        Assert.Contains("layer1.0.se.fc2.bias", keys);
        Assert.Contains("layer1.0.downsample.0.weight", keys);
        Assert.Contains("layer1.0.downsample.1.running_var", keys);
        Assert.Contains("layer4.2.bn3.weight", keys);
        Assert.DoesNotContain("layer1.1.downsample.0.weight", keys);   // identity shortcut after the first block
        Assert.Equal(new long[] { 16, 256, 1, 1 }, model.state_dict()["layer1.0.se.fc1.weight"].shape);
    }

    [Fact]
    public void State_dict_keys_follow_pytorch_naming()
    {
        using var model = new TinySeNet();
        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Contains("conv1.weight", keys);
        Assert.Contains("bn1.running_mean", keys);
        Assert.Contains("bn1.num_batches_tracked", keys);
        Assert.Contains("se.fc1.weight", keys);
        Assert.Contains("se.fc2.bias", keys);
        Assert.Contains("fc.weight", keys);
    }

    [Theory]
    [InlineData(nameof(TinySeNet), new long[] { 2, 1, 32, 32 }, "TinySeNet: layer 'conv1' expects input of shape [N, 3, H, W] but received [2, 1, 32, 32].")]
    [InlineData(nameof(FlatHead), new long[] { 1, 1, 9, 8 }, "FlatHead: layer 'conv' expects input of shape [N, 1, 8, 8] but received [1, 1, 9, 8].")]
    [InlineData(nameof(FlatHead), new long[] { 1, 8, 8 }, "FlatHead: layer 'conv' expects input of shape [N, 1, 8, 8] but received [1, 8, 8].")]
    public void A_wrong_input_is_rejected_naming_the_model_the_layer_and_both_shapes(string name, long[] shape, string message)
    {
        // Wrong channels, a spatial size a flattening head cannot take, and a wrong rank, all before libtorch sees them.
        var (model, _, _) = Create(name);
        using var _ = model;
        using var input = zeros(shape);

        var error = Assert.Throws<ArgumentException>(() => model.forward(input));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, 16, (8 * 16) + 32 + (16 * 4) + 4 + (4 * 16) + 16)]
    [InlineData(true, 24, (8 * 16) + 32 + (8 * 8) + 16 + (24 * 6) + 6 + (6 * 24) + 24)]
    public void An_optional_parallel_branch_adds_its_channels_only_where_it_exists(bool wide, long channels, long parameters)
    {
        // The block's own module decides the branch at construction; the SE after it must be as wide as what is concatenated.
        using var block = new SeOverOptionalBranches(inChannels: 8, stride: 1, wide: wide);
        using var input = randn(2, 8, 5, 5);

        using var output = block.forward(input);

        Assert.Equal(new long[] { 2, channels, 5, 5 }, output.shape);
        Assert.Equal(parameters, block.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Fully_convolutional_heads_accept_any_spatial_size()
    {
        using var model = new EveryLayer();
        model.eval();
        using var input = randn(1, 4, 64, 48);
        using var _ = no_grad();

        using var output = model.forward(input);

        Assert.Equal(new long[] { 1, 7 }, output.shape);
    }
}
