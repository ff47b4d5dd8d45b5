namespace SeDsl.Zoo;

/// <summary>Why a zoo model's compile-time figures differ from the paper's, where they do; shown in docs/zoo.md.</summary>
internal static class Differences
{
    public const string None = "Equal to the paper's figures at their precision.";

    public const string StrideOn3x3 =
        "Stride on the 3x3 convolution as in torchvision and timm (whose checkpoints load); the paper measured Caffe models with the stride on the first 1x1, which costs less (ResNet50Caffe and SeResNet50Caffe reproduce its 3.86 and 3.87).";

    public const string SeScalingResNet =
        "Equal to the paper's 3.87 GFLOPs once the SE blocks' channel scaling is counted (5.5 M multiplications, which our convention leaves out; a test checks this).";

    public const string ResNeXt =
        "0.2% below the paper's GFLOPs; the paper does not say what it counts beyond convolutions and fully connected layers.";

    public const string NotPrinted = "The paper prints no parameter count or GFLOPs for this model at 224x224.";

    public const string InceptionResNet =
        "At 299x299 our convention gives 13.16 G (timm also reports about 13.2 G); the paper's 11.75 cannot be reproduced from the architecture, and the paper does not state its input size or convention for it.";

    public const string SeScaling =
        "SE adds 0.48 M multiply-adds here; the paper's +3 M matches the SE blocks' channel scaling (2.7 M multiplications), which our convention does not count.";

    public const string ShuffleNet =
        "2% below the ShuffleNet paper's rounded 140 MFLOPs; implementations differ in the first unit's grouping.";

    public const string SeShuffleNet =
        "SE adds 0.6 M multiply-adds here (1.6 M more with the channel scaling), not the paper's 2 M; the paper does not give SE-ShuffleNet's layout.";

    public const string Ablation =
        "An ablation: the paper's width rule (C / r) in torchvision's layout, so that only the studied choice differs from SE-ResNet-50; its GFLOPs in the paper are for the Caffe layout.";
}
