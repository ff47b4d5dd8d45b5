using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

// The paper's ablations on SE-ResNet-50, each a small change to the SE bottleneck. They use the
// paper's width rule (C / r, no rounding) with biased excitation layers, and torchvision's layout (stride on the 3x3),
// so each differs from SeResNet50 in the one studied choice only.

/// <summary>The SE bottleneck with the reduction ratio as a parameter (the ablation on r).</summary>
[Block(Residual = true)]
public partial class SeBottleneckRatio
{
    [Param] private readonly int planes;
    [Param] private readonly int r;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(nameof(r))] private readonly SqueezeExcitation se;
}

/// <summary>The SE bottleneck with global max pooling as the squeeze operator.</summary>
[Block(Residual = true)]
public partial class SeBottleneckMaxSqueeze
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16, Squeeze = SqueezeOperator.Max)] private readonly SqueezeExcitation se;
}

/// <summary>The SE bottleneck with ReLU instead of sigmoid as the excitation gate.</summary>
[Block(Residual = true)]
public partial class SeBottleneckReLUGate
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16, Gate = ExcitationGate.ReLU)] private readonly SqueezeExcitation se;
}

/// <summary>The SE bottleneck with tanh instead of sigmoid as the excitation gate.</summary>
[Block(Residual = true)]
public partial class SeBottleneckTanhGate
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16, Gate = ExcitationGate.Tanh)] private readonly SqueezeExcitation se;
}

/// <summary>SE-PRE: the SE block moved before the residual unit, on the block's input.</summary>
[Block(Residual = true)]
public partial class SePreBottleneck
{
    [Param] private readonly int planes;

    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
}

/// <summary>SE-POST: the SE block after the addition and its ReLU.</summary>
[Block(Residual = true)]
public partial class SePostBottleneck
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16), AfterAddition] private readonly SqueezeExcitation se;
}

/// <summary>SE-Identity: the SE block on the identity (shortcut) path, parallel to the residual unit.</summary>
[Block(Residual = true)]
public partial class SeIdentityBottleneck
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
    [SqueezeExcite(r: 16), OnShortcut] private readonly SqueezeExcitation se;
}

/// <summary>SE_3x3: the SE block on the 3x3 convolution's output (after its ReLU), with <c>planes</c> channels.</summary>
[Block(Residual = true)]
public partial class Se3x3Bottleneck
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU] private readonly ReLU relu2;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
    [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
    [BatchNorm2d] private readonly BatchNorm2d bn3;
}

/// <summary>SE-ResNet-50 with reduction ratio r = 2.</summary>
[Network(3, 224, 224)]
public partial class SeResNet50R2
{
    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(SeBottleneckRatio), 3, 64, 2)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckRatio), 4, 128, 2, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckRatio), 6, 256, 2, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckRatio), 3, 512, 2, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckRatio), 3, 64, 4)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckRatio), 4, 128, 4, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckRatio), 6, 256, 4, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckRatio), 3, 512, 4, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckRatio), 3, 64, 8)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckRatio), 4, 128, 8, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckRatio), 6, 256, 8, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckRatio), 3, 512, 8, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckRatio), 3, 64, 16)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckRatio), 4, 128, 16, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckRatio), 6, 256, 16, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckRatio), 3, 512, 16, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckRatio), 3, 64, 32)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckRatio), 4, 128, 32, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckRatio), 6, 256, 32, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckRatio), 3, 512, 32, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckMaxSqueeze), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckMaxSqueeze), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckMaxSqueeze), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckMaxSqueeze), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckReLUGate), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckReLUGate), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckReLUGate), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckReLUGate), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckTanhGate), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckTanhGate), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckTanhGate), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeBottleneckTanhGate), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeBottleneckRatio), 3, 64, 16)] private readonly Sequential layer1;
    [Stage(typeof(Bottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(Bottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(Bottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(Bottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeBottleneckRatio), 4, 128, 16, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(Bottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(Bottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(Bottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(Bottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeBottleneckRatio), 6, 256, 16, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(Bottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SePreBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SePreBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SePreBottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SePreBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SePostBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SePostBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SePostBottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SePostBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(SeIdentityBottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(SeIdentityBottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(SeIdentityBottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(SeIdentityBottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
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
    [Stage(typeof(Se3x3Bottleneck), 3, 64)] private readonly Sequential layer1;
    [Stage(typeof(Se3x3Bottleneck), 4, 128, Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(Se3x3Bottleneck), 6, 256, Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(Se3x3Bottleneck), 3, 512, Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
