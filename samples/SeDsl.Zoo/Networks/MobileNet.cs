using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// MobileNet's depthwise separable convolution: depthwise 3x3 (the block's stride), BN, ReLU, pointwise 1x1 to
/// <c>width</c>, BN, ReLU; with r above 0, SE (width C / r, biased) after the pointwise ReLU.
/// </summary>
[Block]
public partial class DepthwiseSeparable
{
    [Param] private readonly int width;
    [Param] private readonly int r;

    [Use(typeof(ConvNormAct), "inChannels", 3, "inChannels", Activation.ReLU, 1e-5, 0.1, Stride = Strides.OfBlock)] private readonly ConvNormAct depthwise;
    [Use(typeof(ConvNormAct), nameof(width), 1, 1, Activation.ReLU, 1e-5, 0.1)] private readonly ConvNormAct pointwise;
    [SqueezeExcite(nameof(r), When = "r > 0")] private readonly SqueezeExcitation? se;
}

/// <summary>
/// The MobileNet v1 family (width 1.0, 224x224): a strided 3x3 convolution and 13 depthwise separable convolutions,
/// with SE (ratio r) after each where r is above 0.
/// </summary>
[Network(3, 224, 224)]
public partial class MobileNetV1
{
    [Param] private readonly int r;

    [Use(typeof(ConvNormAct), 32, 3, 1, Activation.ReLU, 1e-5, 0.1, Stride = 2)] private readonly ConvNormAct stem;
    [Stage(typeof(DepthwiseSeparable), 1, 64, nameof(r))] private readonly Sequential stage1;
    [Stage(typeof(DepthwiseSeparable), 2, 128, nameof(r), Stride = 2)] private readonly Sequential stage2;
    [Stage(typeof(DepthwiseSeparable), 2, 256, nameof(r), Stride = 2)] private readonly Sequential stage3;
    [Stage(typeof(DepthwiseSeparable), 6, 512, nameof(r), Stride = 2)] private readonly Sequential stage4;
    [Stage(typeof(DepthwiseSeparable), 2, 1024, nameof(r), Stride = 2)] private readonly Sequential stage5;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>MobileNet v1: 4,231,976 parameters and 569 M multiply-adds, the figures of the MobileNet paper and of the SE paper's Table 3.</summary>
[Network(typeof(MobileNetV1), 0)]
public partial class MobileNet;

/// <summary>SE-MobileNet: <see cref="MobileNet"/> with SE (r = 16) after each of its 13 depthwise separable convolutions.</summary>
[Network(typeof(MobileNetV1), 16)]
public partial class SeMobileNet;
