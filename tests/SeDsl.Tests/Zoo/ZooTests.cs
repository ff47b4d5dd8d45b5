using System.Collections.Generic;
using System.Linq;
using SeDsl.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Zoo;

/// <summary>Every zoo model, built in TorchSharp and run once, agrees with its compile-time summary.</summary>
public class ZooTests
{
    public static TheoryData<string> Models => new(Catalogue.Models.Select(m => m.Name));

    private static ZooModel Find(string name) => Catalogue.Models.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(Models))]
    public void TorchSharp_counts_the_compile_time_parameters_and_the_forward_pass_has_the_inferred_shape(string name)
    {
        var model = Find(name);
        using var module = model.Create();
        module.eval();

        Assert.Equal(model.Summary.Parameters, module.parameters().Sum(p => p.numel()));

        // One sample. Networks that pool globally accept any size large enough, so the big ones run at a reduced size
        // (a quarter of the multiply-adds or less) to keep the test quick; the rest run at their declared size.
        var input = model.Summary.Input.ToArray();
        bool anySize = model.Summary.Layers.Any(l => l.Kind is "GlobalAvgPool" or "GlobalMaxPool");
        if (anySize && model.Summary.MultiplyAdds > 3_000_000_000)
        {
            input[1] = input[2] = input[1] / 2;
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = module.forward(randn(new[] { 1L }.Concat(input).ToArray()));
        Assert.Equal(new[] { 1L }.Concat(model.Summary.Output), output.shape);
    }

    [Fact]
    public void Model_names_are_unique_and_equal_to_the_class_names()
    {
        Assert.Equal(Catalogue.Models.Count, Catalogue.Models.Select(m => m.Name.ToUpperInvariant()).Distinct().Count());
        Assert.All(Catalogue.Models, m => Assert.Equal(m.Name, m.Summary.Name));
    }

    [Fact]
    public void Every_network_class_of_the_zoo_assembly_is_in_the_catalogue()
    {
        // A network family (ResNet) is not a module: its networks are.
        var networks = typeof(Catalogue).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(NetworkAttribute), inherit: false).Length > 0 && typeof(TorchSharp.torch.nn.Module).IsAssignableFrom(t))
            .Select(t => t.Name)
            .Order();

        Assert.Equal(networks, Catalogue.Models.Select(m => m.Name).Order());
    }

    /// <summary>
    /// Parameter counts of the reference PyTorch implementations (torchvision's model documentation, timm, and the
    /// converted Caffe BN-Inception), which the zoo reproduces exactly.
    /// </summary>
    public static TheoryData<string, long> ReferenceCounts => new()
    {
        { nameof(ResNet18), 11_689_512 },         // torchvision resnet18
        { nameof(EfficientNetB0), 5_288_548 },    // torchvision efficientnet_b0
        { nameof(MobileNetV3Large), 5_483_032 },  // torchvision mobilenet_v3_large
        { nameof(MobileNetV3Small), 2_542_856 },  // torchvision mobilenet_v3_small
        { nameof(RegNetY400MF), 4_344_144 },      // torchvision regnet_y_400mf
        { nameof(ResNet34), 21_797_672 },         // torchvision resnet34
        { nameof(SeResNet18), 11_779_624 },       // timm seresnet18
        { nameof(SeResNet34), 21_960_416 },       // timm seresnet34
        { nameof(ResNet50), 25_557_032 },         // torchvision resnet50
        { nameof(ResNet101), 44_549_160 },        // torchvision resnet101
        { nameof(ResNet152), 60_192_808 },        // torchvision resnet152
        { nameof(SeResNet50), 28_088_024 },       // timm seresnet50
        { nameof(SeResNet101), 49_326_872 },      // timm seresnet101
        { nameof(SeResNet152), 66_821_848 },      // timm seresnet152
        { nameof(ResNeXt50), 25_028_904 },        // torchvision resnext50_32x4d
        { nameof(ResNeXt101), 44_177_704 },       // timm resnext101_32x4d
        { nameof(SeResNeXt50), 27_559_896 },      // timm seresnext50_32x4d
        { nameof(SeResNeXt101), 48_955_416 },     // timm seresnext101_32x4d
        { nameof(SeNet154), 115_088_984 },        // timm legacy_senet154
        { nameof(Vgg16), 138_365_992 },           // torchvision vgg16_bn
        { nameof(BnInception), 11_295_240 },      // converted Caffe bninception
        { nameof(InceptionResNetV2), 55_843_464 }, // timm inception_resnet_v2
        { nameof(MobileNet), 4_231_976 },         // MobileNet v1 1.0-224
    };

    [Theory]
    [MemberData(nameof(ReferenceCounts))]
    public void Compile_time_parameters_equal_the_reference_implementation(string name, long reference)
    {
        Assert.Equal(reference, Find(name).Summary.Parameters);
    }

    /// <summary>Each SE block of SE-ResNet-50 by its channel count C and its output's spatial size: (C, H x W, blocks).</summary>
    private static readonly (long Channels, long Positions, long Blocks)[] ResNet50SeBlocks =
        { (256, 56 * 56, 3), (512, 28 * 28, 4), (1024, 14 * 14, 6), (2048, 7 * 7, 3) };

    [Fact]
    public void Caffe_layout_models_have_the_papers_gflops_and_parameters()
    {
        // The paper's Table 2: ResNet-50 3.86 GFLOPs (multiply-adds). Its SE-ResNet-50 figure, 3.87, also counts the
        // SE blocks' channel scaling (one multiplication per element), which our convention leaves out.
        long scaling = ResNet50SeBlocks.Sum(b => b.Channels * b.Positions * b.Blocks);
        Assert.Equal(3.86, System.Math.Round(ResNet50Caffe.MultiplyAdds / 1e9, 2));
        Assert.Equal(3.86, System.Math.Round(SeResNet50Caffe.MultiplyAdds / 1e9, 2));
        Assert.Equal(3.87, System.Math.Round((SeResNet50Caffe.MultiplyAdds + scaling) / 1e9, 2));
        Assert.Equal(ResNet50.ParameterCount, ResNet50Caffe.ParameterCount);
        Assert.Equal(SeResNet50.ParameterCount, SeResNet50Caffe.ParameterCount);
    }

    [Theory]
    [InlineData(2, SeResNet50R2.ParameterCount)]
    [InlineData(4, SeResNet50R4.ParameterCount)]
    [InlineData(8, SeResNet50R8.ParameterCount)]
    [InlineData(16, SeResNet50R16.ParameterCount)]
    [InlineData(32, SeResNet50R32.ParameterCount)]
    public void The_ratio_ablation_adds_the_papers_2C2_over_r_plus_biases(long r, long parameters)
    {
        // Per SE block: fc1 (C x C/r weights, C/r biases) and fc2 (C/r x C weights, C biases).
        long added = ResNet50SeBlocks.Sum(b => b.Blocks * ((2 * b.Channels * (b.Channels / r)) + (b.Channels / r) + b.Channels));
        Assert.Equal(ResNet50.ParameterCount + added, parameters);
    }

    [Fact]
    public void Single_stage_ablations_add_up_to_SE_everywhere_but_the_last_stage()
    {
        long Added(long parameters) => parameters - ResNet50.ParameterCount;
        long seEverywhere = Added(SeResNet50R16.ParameterCount);
        long stages234 = Added(SeResNet50Stage2.ParameterCount) + Added(SeResNet50Stage3.ParameterCount) + Added(SeResNet50Stage4.ParameterCount);

        // What is left is SE in layer4: three blocks of 2048 channels reduced to 128, weights and biases.
        Assert.Equal(3 * ((2 * 2048 * 128) + 128 + 2048), seEverywhere - stages234);
        Assert.Equal(SeResNet50Stage2.MultiplyAdds - ResNet50.MultiplyAdds, Added(SeResNet50Stage2.ParameterCount) - (3 * 256) - (3 * 16));
    }
}
