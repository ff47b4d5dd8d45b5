namespace SeDsl.Zoo;

/// <summary>Explanations shared by several zoo models of why a compile-time figure differs from the paper's.</summary>
internal static class Differences
{
    public const string StrideOn3x3 =
        "The stride sits on the 3x3 convolution as in torchvision and timm (whose checkpoints load); the paper's Caffe models put it on the first 1x1, which costs less (see the *Caffe variant).";
}
