using System;
using System.Collections.Generic;
using System.Linq;

namespace SeDsl.Zoo;

/// <summary>Every model of the zoo, in the order of the paper's tables.</summary>
public static class Catalogue
{
    /// <summary>All models.</summary>
    public static IReadOnlyList<ZooModel> Models { get; } = new ZooModel[]
    {
        new("TinySeNet", "Samples", TinySeNet.Summary, () => new TinySeNet(), null, "Not in the paper: the samples app's small network."),
        new("FashionResNet", "Samples", FashionResNet.Summary, () => new FashionResNet(), null, "Not in the paper: the plain twin the samples app trains on Fashion-MNIST."),
        new("FashionSeResNet", "Samples", FashionSeResNet.Summary, () => new FashionSeResNet(), null, "Not in the paper: the small SE-ResNet the samples app trains on Fashion-MNIST."),
        new("ResNet18", "ResNet", ResNet18.Summary, () => new ResNet18(), null, "Not in the paper: torchvision's resnet18, with basic blocks (two 3x3 convolutions)."),
        new("SeResNet18", "ResNet", SeResNet18.Summary, () => new SeResNet18(), null, "Not in the paper: timm's seresnet18 (SE r = 16, widths rounded to multiples of 8)."),
        new("ResNet34", "ResNet", ResNet34.Summary, () => new ResNet34(), null, "Not in the paper: torchvision's resnet34, with basic blocks (two 3x3 convolutions)."),
        new("SeResNet34", "ResNet", SeResNet34.Summary, () => new SeResNet34(), null, "Not in the paper: timm's seresnet34 (SE r = 16, widths rounded to multiples of 8)."),
        new("EfficientNetB0", "EfficientNet", EfficientNetB0.Summary, () => new EfficientNetB0(), null, "Not in the paper: torchvision's efficientnet_b0 (MBConv with SE of width in / 4, SiLU inside; stochastic depth not declared: identity in eval)."),
        new("MobileNetV3Large", "MobileNetV3", MobileNetV3Large.Summary, () => new MobileNetV3Large(), null, "Not in the paper: torchvision's mobilenet_v3_large (SE of width make_divisible(expanded / 4, 8), hard-sigmoid gate)."),
        new("MobileNetV3Small", "MobileNetV3", MobileNetV3Small.Summary, () => new MobileNetV3Small(), null, "Not in the paper: torchvision's mobilenet_v3_small."),
        new("RegNetY400MF", "RegNet", RegNetY400MF.Summary, () => new RegNetY400MF(), null, "Not in the paper: torchvision's regnet_y_400mf (SE of width in / 4 in every bottleneck)."),
        new("ResNet50", "ResNet", ResNet50.Summary, () => new ResNet50(), new(null, 3.86, "Table 2"), Differences.StrideOn3x3),
        new("SeResNet50", "ResNet", SeResNet50.Summary, () => new SeResNet50(), new(28.1, 3.87, "Table 2; params: ablation on r"), Differences.StrideOn3x3),
        new("ResNet50Caffe", "ResNet", ResNet50Caffe.Summary, () => new ResNet50Caffe(), new(null, 3.86, "Table 2"), Differences.None),
        new("SeResNet50Caffe", "ResNet", SeResNet50Caffe.Summary, () => new SeResNet50Caffe(), new(28.1, 3.87, "Table 2; params: ablation on r"), Differences.SeScalingResNet),
        new("ResNet101", "ResNet", ResNet101.Summary, () => new ResNet101(), new(null, 7.58, "Table 2"), Differences.StrideOn3x3),
        new("SeResNet101", "ResNet", SeResNet101.Summary, () => new SeResNet101(), new(null, 7.6, "Table 2"), Differences.StrideOn3x3),
        new("ResNet152", "ResNet", ResNet152.Summary, () => new ResNet152(), new(null, 11.3, "Table 2"), Differences.StrideOn3x3),
        new("SeResNet152", "ResNet", SeResNet152.Summary, () => new SeResNet152(), new(null, 11.32, "Table 2"), Differences.StrideOn3x3),
        new("ResNeXt50", "ResNeXt", ResNeXt50.Summary, () => new ResNeXt50(), new(null, 4.24, "Table 2"), Differences.ResNeXt),
        new("SeResNeXt50", "ResNeXt", SeResNeXt50.Summary, () => new SeResNeXt50(), new(null, 4.25, "Table 2"), Differences.ResNeXt),
        new("ResNeXt101", "ResNeXt", ResNeXt101.Summary, () => new ResNeXt101(), new(null, 7.99, "Table 2"), Differences.ResNeXt),
        new("SeResNeXt101", "ResNeXt", SeResNeXt101.Summary, () => new SeResNeXt101(), new(null, 8.0, "Table 2"), Differences.ResNeXt),
        new("SeNet154", "SENet", SeNet154.Summary, () => new SeNet154(), null, Differences.NotPrinted),
        new("Vgg16", "VGG", Vgg16.Summary, () => new Vgg16(), new(null, 15.47, "Table 2"), Differences.None),
        new("SeVgg16", "VGG", SeVgg16.Summary, () => new SeVgg16(), new(null, 15.48, "Table 2"), Differences.None),
        new("BnInception", "Inception", BnInception.Summary, () => new BnInception(), new(null, 2.03, "Table 2"), Differences.None),
        new("SeBnInception", "Inception", SeBnInception.Summary, () => new SeBnInception(), new(null, 2.04, "Table 2"), Differences.None),
        new("InceptionResNetV2", "Inception-ResNet", InceptionResNetV2.Summary, () => new InceptionResNetV2(), new(null, 11.75, "Table 2"), Differences.InceptionResNet),
        new("SeInceptionResNetV2", "Inception-ResNet", SeInceptionResNetV2.Summary, () => new SeInceptionResNetV2(), new(null, 11.76, "Table 2"), Differences.InceptionResNet),
        new("MobileNet", "MobileNet", MobileNet.Summary, () => new MobileNet(), new(4.2, 0.569, "Table 3"), Differences.None),
        new("SeMobileNet", "MobileNet", SeMobileNet.Summary, () => new SeMobileNet(), new(4.7, 0.572, "Table 3"), Differences.SeScaling),
        new("ShuffleNet", "ShuffleNet", ShuffleNet.Summary, () => new ShuffleNet(), new(1.8, 0.14, "Table 3"), Differences.ShuffleNet),
        new("SeShuffleNet", "ShuffleNet", SeShuffleNet.Summary, () => new SeShuffleNet(), new(2.4, 0.142, "Table 3"), Differences.SeShuffleNet),
        new("SeResNet50R2", "Ablation: reduction ratio", SeResNet50R2.Summary, () => new SeResNet50R2(), new(45.7, null, "ablation on r"), Differences.Ablation),
        new("SeResNet50R4", "Ablation: reduction ratio", SeResNet50R4.Summary, () => new SeResNet50R4(), new(35.7, null, "ablation on r"), Differences.Ablation),
        new("SeResNet50R8", "Ablation: reduction ratio", SeResNet50R8.Summary, () => new SeResNet50R8(), new(30.7, null, "ablation on r"), Differences.Ablation),
        new("SeResNet50R16", "Ablation: reduction ratio", SeResNet50R16.Summary, () => new SeResNet50R16(), new(28.1, null, "ablation on r"), Differences.Ablation),
        new("SeResNet50R32", "Ablation: reduction ratio", SeResNet50R32.Summary, () => new SeResNet50R32(), new(26.9, null, "ablation on r"), Differences.Ablation),
        new("SeResNet50MaxSqueeze", "Ablation: squeeze", SeResNet50MaxSqueeze.Summary, () => new SeResNet50MaxSqueeze(), null, Differences.Ablation),
        new("SeResNet50ReLUGate", "Ablation: excitation", SeResNet50ReLUGate.Summary, () => new SeResNet50ReLUGate(), null, Differences.Ablation),
        new("SeResNet50TanhGate", "Ablation: excitation", SeResNet50TanhGate.Summary, () => new SeResNet50TanhGate(), null, Differences.Ablation),
        new("SeResNet50Stage2", "Ablation: stage", SeResNet50Stage2.Summary, () => new SeResNet50Stage2(), new(25.6, null, "ablation on stages"), Differences.Ablation),
        new("SeResNet50Stage3", "Ablation: stage", SeResNet50Stage3.Summary, () => new SeResNet50Stage3(), new(25.7, null, "ablation on stages"), Differences.Ablation),
        new("SeResNet50Stage4", "Ablation: stage", SeResNet50Stage4.Summary, () => new SeResNet50Stage4(), new(26.4, null, "ablation on stages"), Differences.Ablation),
        new("SeResNet50Pre", "Ablation: integration", SeResNet50Pre.Summary, () => new SeResNet50Pre(), null, Differences.Ablation),
        new("SeResNet50Post", "Ablation: integration", SeResNet50Post.Summary, () => new SeResNet50Post(), null, Differences.Ablation),
        new("SeResNet50Identity", "Ablation: integration", SeResNet50Identity.Summary, () => new SeResNet50Identity(), null, Differences.Ablation),
        new("SeResNet50On3x3", "Ablation: integration", SeResNet50On3x3.Summary, () => new SeResNet50On3x3(), new(25.8, null, "ablation on SE_3x3"), Differences.Ablation),
    };

    /// <summary>
    /// The models a name selects, case-insensitively: all of them for an empty name; with <c>*</c> (any text) or <c>?</c>
    /// (one character) those the pattern matches as a whole; otherwise the one model of that name, or none.
    /// </summary>
    public static IReadOnlyList<ZooModel> Find(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return Models;
        }

        if (name.IndexOfAny(['*', '?']) < 0)
        {
            return Models.Where(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        var pattern = new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(name).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        return Models.Where(m => pattern.IsMatch(m.Name)).ToList();
    }

    /// <summary>The models whose name contains <paramref name="text"/> (case-insensitive), to suggest when a name matches none.</summary>
    public static IReadOnlyList<ZooModel> Containing(string text) =>
        Models.Where(m => m.Name.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();
}
