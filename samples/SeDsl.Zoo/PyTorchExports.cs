namespace SeDsl.Zoo;

/// <summary>
/// The generated PyTorch source of every zoo model (<c>PyTorchSource</c>, docs/pytorch-export.md), by catalogue name.
/// A test requires a row for every model of <see cref="Catalogue"/>.
/// </summary>
public static class PyTorchExports
{
    /// <summary>The PyTorch source of the zoo model named <paramref name="name"/> (exactly); null for a name the zoo lacks.</summary>
    public static string? For(string name) => name switch
    {
        nameof(TinySeNet) => TinySeNet.PyTorchSource,
        nameof(FashionResNet) => FashionResNet.PyTorchSource,
        nameof(FashionSeResNet) => FashionSeResNet.PyTorchSource,
        nameof(ResNet18) => ResNet18.PyTorchSource,
        nameof(SeResNet18) => SeResNet18.PyTorchSource,
        nameof(ResNet34) => ResNet34.PyTorchSource,
        nameof(SeResNet34) => SeResNet34.PyTorchSource,
        nameof(ResNet50) => ResNet50.PyTorchSource,
        nameof(SeResNet50) => SeResNet50.PyTorchSource,
        nameof(ResNet50Caffe) => ResNet50Caffe.PyTorchSource,
        nameof(SeResNet50Caffe) => SeResNet50Caffe.PyTorchSource,
        nameof(ResNet101) => ResNet101.PyTorchSource,
        nameof(SeResNet101) => SeResNet101.PyTorchSource,
        nameof(ResNet152) => ResNet152.PyTorchSource,
        nameof(SeResNet152) => SeResNet152.PyTorchSource,
        nameof(ResNeXt50) => ResNeXt50.PyTorchSource,
        nameof(SeResNeXt50) => SeResNeXt50.PyTorchSource,
        nameof(ResNeXt101) => ResNeXt101.PyTorchSource,
        nameof(SeResNeXt101) => SeResNeXt101.PyTorchSource,
        nameof(SeNet154) => SeNet154.PyTorchSource,
        nameof(Vgg16) => Vgg16.PyTorchSource,
        nameof(SeVgg16) => SeVgg16.PyTorchSource,
        nameof(BnInception) => BnInception.PyTorchSource,
        nameof(SeBnInception) => SeBnInception.PyTorchSource,
        nameof(InceptionResNetV2) => InceptionResNetV2.PyTorchSource,
        nameof(SeInceptionResNetV2) => SeInceptionResNetV2.PyTorchSource,
        nameof(MobileNet) => MobileNet.PyTorchSource,
        nameof(SeMobileNet) => SeMobileNet.PyTorchSource,
        nameof(ShuffleNet) => ShuffleNet.PyTorchSource,
        nameof(SeShuffleNet) => SeShuffleNet.PyTorchSource,
        nameof(SeResNet50R2) => SeResNet50R2.PyTorchSource,
        nameof(SeResNet50R4) => SeResNet50R4.PyTorchSource,
        nameof(SeResNet50R8) => SeResNet50R8.PyTorchSource,
        nameof(SeResNet50R16) => SeResNet50R16.PyTorchSource,
        nameof(SeResNet50R32) => SeResNet50R32.PyTorchSource,
        nameof(SeResNet50MaxSqueeze) => SeResNet50MaxSqueeze.PyTorchSource,
        nameof(SeResNet50ReLUGate) => SeResNet50ReLUGate.PyTorchSource,
        nameof(SeResNet50TanhGate) => SeResNet50TanhGate.PyTorchSource,
        nameof(SeResNet50Stage2) => SeResNet50Stage2.PyTorchSource,
        nameof(SeResNet50Stage3) => SeResNet50Stage3.PyTorchSource,
        nameof(SeResNet50Stage4) => SeResNet50Stage4.PyTorchSource,
        nameof(SeResNet50Pre) => SeResNet50Pre.PyTorchSource,
        nameof(SeResNet50Post) => SeResNet50Post.PyTorchSource,
        nameof(SeResNet50Identity) => SeResNet50Identity.PyTorchSource,
        nameof(SeResNet50On3x3) => SeResNet50On3x3.PyTorchSource,
        nameof(EfficientNetB0) => EfficientNetB0.PyTorchSource,
        nameof(MobileNetV3Large) => MobileNetV3Large.PyTorchSource,
        nameof(MobileNetV3Small) => MobileNetV3Small.PyTorchSource,
        nameof(RegNetY400MF) => RegNetY400MF.PyTorchSource,
        _ => null,
    };
}
