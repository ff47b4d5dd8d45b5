using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

// The paper's ablations on SE-ResNet-50, each a small change to the SE bottleneck. They use the
// paper's width rule (C / r, no rounding) with biased excitation layers, and torchvision's layout (stride on the 3x3),
// so each differs from SeResNet50 in the one studied choice only. One block declares every variant.

/// <summary>Where the ablation bottleneck puts its SE block (the paper's Table 14 and Figure 5); None for a plain bottleneck.</summary>
public enum SePlacement
{
    /// <summary>On the residual branch before the addition (the standard SE block).</summary>
    Standard,

    /// <summary>SE-PRE: before the residual unit, on the block's input.</summary>
    Pre,

    /// <summary>SE-POST: after the addition and its ReLU.</summary>
    Post,

    /// <summary>SE-Identity: on the identity (shortcut) path, parallel to the residual unit.</summary>
    Identity,

    /// <summary>SE_3x3: on the 3x3 convolution's output (after its ReLU), with <c>planes</c> channels.</summary>
    Conv3x3,

    /// <summary>No SE block (the plain bottleneck, for the ablation on stages).</summary>
    None,
}

/// <summary>
/// The bottleneck of every ablation: the reduction ratio, squeeze operator, excitation gate and the SE's placement are
/// parameters. Exactly one SE field exists for a placement (none for <see cref="SePlacement.None"/>).
/// </summary>
[Block(Residual = true)]
public partial class SeAblationBottleneck
{
    [Param] private readonly int planes;
    [Param] private readonly int r;
    [Param] private readonly SqueezeOperator squeeze;
    [Param] private readonly ExcitationGate gate;
    [Param] private readonly SePlacement placement;

    [SqueezeExcite(nameof(r), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Pre")] private readonly SqueezeExcitation? sePre;
    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [SqueezeExcite(nameof(r), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Conv3x3")] private readonly SqueezeExcitation? se3x3;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(nameof(r), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Standard")] private readonly SqueezeExcitation? se;
    [SqueezeExcite(nameof(r), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Identity"), OnShortcut] private readonly SqueezeExcitation? seIdentity;
    [SqueezeExcite(nameof(r), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Post"), AfterAddition] private readonly SqueezeExcitation? sePost;
}

/// <summary>SE-ResNet-50 with reduction ratio r = 2.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50R2
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 2, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 2, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 2, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 2, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 with reduction ratio r = 4.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50R4
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 4, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 4, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 4, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 4, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 with reduction ratio r = 8.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50R8
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 8, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 8, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 8, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 8, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 with reduction ratio r = 16.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50R16
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 with reduction ratio r = 32.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50R32
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 32, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 32, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 32, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 32, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 with max-pooling squeeze.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50MaxSqueeze
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Max, ExcitationGate.Sigmoid, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Max, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Max, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Max, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 with a ReLU excitation gate.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50ReLUGate
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.ReLU, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.ReLU, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.ReLU, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.ReLU, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-ResNet-50 with a tanh excitation gate.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50TanhGate
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Tanh, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Tanh, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Tanh, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Tanh, SePlacement.Standard, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNet-50 with SE (r = 16) in the paper's stage 2 only (<c>layer1</c>).</summary>
[Network(3, 224, 224)]
public partial class SeResNet50Stage2
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNet-50 with SE (r = 16) in the paper's stage 3 only (<c>layer2</c>).</summary>
[Network(3, 224, 224)]
public partial class SeResNet50Stage3
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNet-50 with SE (r = 16) in the paper's stage 4 only (<c>layer3</c>).</summary>
[Network(3, 224, 224)]
public partial class SeResNet50Stage4
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Standard, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.None, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-PRE ResNet-50.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50Pre
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Pre)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Pre, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Pre, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Pre, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-POST ResNet-50.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50Post
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Post)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Post, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Post, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Post, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-Identity ResNet-50.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50Identity
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Identity)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Identity, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Identity, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Identity, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE_3x3 ResNet-50: SE on the 3x3 convolution of each bottleneck.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50On3x3
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeAblationBottleneck), 3, 64, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Conv3x3)] private readonly Sequential layer1;
    [Stage(typeof(SeAblationBottleneck), 4, 128, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Conv3x3, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeAblationBottleneck), 6, 256, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Conv3x3, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeAblationBottleneck), 3, 512, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, SePlacement.Conv3x3, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
