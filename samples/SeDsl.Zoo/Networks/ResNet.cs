using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

// Every ResNet and SE-ResNet of the zoo, the paper's ablations on SE-ResNet-50 among them, is one network of the ResNet
// family below: the unit, the stage depths and the SE block's settings are its arguments.

/// <summary>What each stage of a <see cref="ResNet"/> repeats.</summary>
public enum ResNetUnit
{
    /// <summary>Two 3x3 convolutions, the first with the block's stride (ResNet-18/34).</summary>
    Basic,

    /// <summary>1x1 reduce, 3x3 with the block's stride (torchvision and timm), 1x1 expand to 4 x planes.</summary>
    Bottleneck,

    /// <summary>The bottleneck of the paper's Caffe models: the stride on the first 1x1, so the 3x3 runs at the reduced resolution.</summary>
    BottleneckCaffe,
}

/// <summary>Where a <see cref="ResNetBlock"/> puts its SE block (the paper's Table 14 and Figure 5).</summary>
public enum SePlacement
{
    /// <summary>No SE block.</summary>
    None,

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
}

/// <summary>
/// ResNet's residual unit, basic or bottleneck, with an SE block where <c>placement</c> says: ratio <c>r</c>, widths
/// rounded to multiples of <c>divisor</c> (timm's rule; 1 for the paper's C / r), biased excitation layers. Field names
/// are torchvision's and timm's (<c>conv1</c> ... <c>bn3</c>, <c>se.fc1</c>, <c>downsample</c>).
/// </summary>
[Block(Residual = true)]
public partial class ResNetBlock
{
    [Param] private readonly int planes;
    [Param] private readonly ResNetUnit unit;
    [Param] private readonly SePlacement placement;
    [Param] private readonly int r;
    [Param] private readonly int divisor;
    [Param] private readonly SqueezeOperator squeeze;
    [Param] private readonly ExcitationGate gate;

    [SqueezeExcite(nameof(r), Divisor = nameof(divisor), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Pre")] private readonly SqueezeExcitation? sePre;
    [Conv2d(nameof(planes), "unit == ResNetUnit.Basic ? 3 : 1", Stride = "unit == ResNetUnit.Bottleneck ? 1 : stride", Padding = "unit == ResNetUnit.Basic ? 1 : 0", Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Conv2d(nameof(planes), 3, Stride = "unit == ResNetUnit.Bottleneck ? stride : 1", Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [ReLU(When = "unit != ResNetUnit.Basic")] private readonly ReLU? relu2;
    [SqueezeExcite(nameof(r), Divisor = nameof(divisor), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Conv3x3")] private readonly SqueezeExcitation? se3x3;
    [Conv2d("planes * 4", 1, Bias = false, When = "unit != ResNetUnit.Basic")] private readonly Conv2d? conv3;
    [BatchNorm2d(When = "unit != ResNetUnit.Basic")] private readonly BatchNorm2d? bn3;
    [SqueezeExcite(nameof(r), Divisor = nameof(divisor), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Standard")] private readonly SqueezeExcitation? se;
    [SqueezeExcite(nameof(r), Divisor = nameof(divisor), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Identity"), OnShortcut] private readonly SqueezeExcitation? seIdentity;
    [SqueezeExcite(nameof(r), Divisor = nameof(divisor), Squeeze = nameof(squeeze), Gate = nameof(gate), When = "placement == SePlacement.Post"), AfterAddition] private readonly SqueezeExcitation? sePost;
}

/// <summary>
/// The ResNet family: torchvision's stem, four stages of <see cref="ResNetBlock"/> with 64, 128, 256 and 512 planes, and
/// the 1000-way head. A network names the unit and the stage depths, and for an SE network its placement; then, for the
/// paper's ablations, the ratio, the divisor, the squeeze, the gate, and the one stage (the paper's 2 to 5) that alone
/// has SE blocks (0: every stage).
/// </summary>
[Network(3, 224, 224)]
public partial class ResNet
{
    [Param] private readonly ResNetUnit unit;
    [Param] private readonly int depth1;
    [Param] private readonly int depth2;
    [Param] private readonly int depth3;
    [Param] private readonly int depth4;
    [Param(Default = SePlacement.None)] private readonly SePlacement se;
    [Param(Default = 16)] private readonly int r;
    [Param(Default = 8)] private readonly int divisor;
    [Param(Default = SqueezeOperator.Average)] private readonly SqueezeOperator squeeze;
    [Param(Default = ExcitationGate.Sigmoid)] private readonly ExcitationGate gate;
    [Param(Default = 0)] private readonly int seStage;

    [Conv2d(64, 7, Stride = 2, Padding = 3, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [MaxPool2d(3, Stride = 2, Padding = 1)] private readonly MaxPool2d maxpool;
    [Stage(typeof(ResNetBlock), nameof(depth1), 64, nameof(unit), "seStage == 0 || seStage == 2 ? se : SePlacement.None", nameof(r), nameof(divisor), nameof(squeeze), nameof(gate))] private readonly Sequential layer1;
    [Stage(typeof(ResNetBlock), nameof(depth2), 128, nameof(unit), "seStage == 0 || seStage == 3 ? se : SePlacement.None", nameof(r), nameof(divisor), nameof(squeeze), nameof(gate), Stride = 2)] private readonly Sequential layer2;
    [Stage(typeof(ResNetBlock), nameof(depth3), 256, nameof(unit), "seStage == 0 || seStage == 4 ? se : SePlacement.None", nameof(r), nameof(divisor), nameof(squeeze), nameof(gate), Stride = 2)] private readonly Sequential layer3;
    [Stage(typeof(ResNetBlock), nameof(depth4), 512, nameof(unit), "seStage == 0 || seStage == 5 ? se : SePlacement.None", nameof(r), nameof(divisor), nameof(squeeze), nameof(gate), Stride = 2)] private readonly Sequential layer4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>ResNet-18 as torchvision's <c>resnet18</c>: four stages of two basic blocks; 11,689,512 parameters.</summary>
[Network(typeof(ResNet), ResNetUnit.Basic, 2, 2, 2, 2)]
public partial class ResNet18;

/// <summary>ResNet-34 as torchvision's <c>resnet34</c>: basic blocks in stages of 3, 4, 6 and 3; 21,797,672 parameters.</summary>
[Network(typeof(ResNet), ResNetUnit.Basic, 3, 4, 6, 3)]
public partial class ResNet34;

/// <summary>ResNet-50 as in torchvision (stride on the 3x3): 25,557,032 parameters, 4.09 G multiply-adds at 224x224.</summary>
[Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 4, 6, 3)]
public partial class ResNet50;

/// <summary>ResNet-101 as in torchvision: 44,549,160 parameters. The paper's 7.58 GFLOPs describe the Caffe layout.</summary>
[Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 4, 23, 3)]
public partial class ResNet101;

/// <summary>ResNet-152 as in torchvision: 60,192,808 parameters. The paper's 11.30 GFLOPs describe the Caffe layout.</summary>
[Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 8, 36, 3)]
public partial class ResNet152;

/// <summary>SE-ResNet-18 as timm's <c>seresnet18</c>: 11,779,624 parameters; keys such as <c>layer1.0.se.fc1.weight</c>.</summary>
[Network(typeof(ResNet), ResNetUnit.Basic, 2, 2, 2, 2, SePlacement.Standard)]
public partial class SeResNet18;

/// <summary>SE-ResNet-34 as timm's <c>seresnet34</c>: 21,960,416 parameters.</summary>
[Network(typeof(ResNet), ResNetUnit.Basic, 3, 4, 6, 3, SePlacement.Standard)]
public partial class SeResNet34;

/// <summary>
/// SE-ResNet-50 (r = 16) as timm's <c>seresnet50</c>: 28,088,024 parameters; state_dict keys such as
/// <c>layer1.0.se.fc1.weight</c>. The paper's figures (3.87 GFLOPs) describe <see cref="SeResNet50Caffe"/>.
/// </summary>
[Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 4, 6, 3, SePlacement.Standard)]
public partial class SeResNet50;

/// <summary>SE-ResNet-101 (r = 16) as timm's <c>seresnet101</c>; the paper's 7.60 GFLOPs describe the Caffe layout.</summary>
[Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 4, 23, 3, SePlacement.Standard)]
public partial class SeResNet101;

/// <summary>SE-ResNet-152 (r = 16) as timm's <c>seresnet152</c>; the paper's 11.32 GFLOPs describe the Caffe layout.</summary>
[Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 8, 36, 3, SePlacement.Standard)]
public partial class SeResNet152;

/// <summary>ResNet-50 in the layout of the paper's Caffe model: the model behind its "3.86 GFLOPs"; the parameters of <see cref="ResNet50"/>.</summary>
[Network(typeof(ResNet), ResNetUnit.BottleneckCaffe, 3, 4, 6, 3)]
public partial class ResNet50Caffe;

/// <summary>SE-ResNet-50 in the Caffe layout with SE width C / 16: the model behind the paper's "3.87 GFLOPs" and ~28.1 M parameters.</summary>
[Network(typeof(ResNet), ResNetUnit.BottleneckCaffe, 3, 4, 6, 3, SePlacement.Standard, 16, 1)]
public partial class SeResNet50Caffe;

/// <summary>
/// The paper's ablations on SE-ResNet-50: torchvision's layout with the paper's SE width rule (C / r, divisor 1), a
/// family of <see cref="ResNet"/> whose networks name the one choice they change: the placement, the ratio, the squeeze,
/// the gate, or the one stage with SE blocks (the paper's 2 to 5; 0: every stage).
/// </summary>
[Network(typeof(ResNet), ResNetUnit.Bottleneck, 3, 4, 6, 3, nameof(placement), nameof(r), 1, nameof(squeeze), nameof(gate), nameof(seStage))]
public partial class SeResNet50Ablation
{
    [Param] private readonly SePlacement placement;
    [Param(Default = 16)] private readonly int r;
    [Param(Default = SqueezeOperator.Average)] private readonly SqueezeOperator squeeze;
    [Param(Default = ExcitationGate.Sigmoid)] private readonly ExcitationGate gate;
    [Param(Default = 0)] private readonly int seStage;
}

/// <summary>SE-ResNet-50 with reduction ratio r = 2.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 2)]
public partial class SeResNet50R2;

/// <summary>SE-ResNet-50 with reduction ratio r = 4.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 4)]
public partial class SeResNet50R4;

/// <summary>SE-ResNet-50 with reduction ratio r = 8.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 8)]
public partial class SeResNet50R8;

/// <summary>SE-ResNet-50 with reduction ratio r = 16.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 16)]
public partial class SeResNet50R16;

/// <summary>SE-ResNet-50 with reduction ratio r = 32.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 32)]
public partial class SeResNet50R32;

/// <summary>SE-ResNet-50 with max-pooling squeeze.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 16, SqueezeOperator.Max)]
public partial class SeResNet50MaxSqueeze;

/// <summary>SE-ResNet-50 with a ReLU excitation gate.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 16, SqueezeOperator.Average, ExcitationGate.ReLU)]
public partial class SeResNet50ReLUGate;

/// <summary>SE-ResNet-50 with a tanh excitation gate.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 16, SqueezeOperator.Average, ExcitationGate.Tanh)]
public partial class SeResNet50TanhGate;

/// <summary>ResNet-50 with SE (r = 16) in the paper's stage 2 only (<c>layer1</c>).</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, 2)]
public partial class SeResNet50Stage2;

/// <summary>ResNet-50 with SE (r = 16) in the paper's stage 3 only (<c>layer2</c>).</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, 3)]
public partial class SeResNet50Stage3;

/// <summary>ResNet-50 with SE (r = 16) in the paper's stage 4 only (<c>layer3</c>).</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Standard, 16, SqueezeOperator.Average, ExcitationGate.Sigmoid, 4)]
public partial class SeResNet50Stage4;

/// <summary>SE-PRE ResNet-50.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Pre)]
public partial class SeResNet50Pre;

/// <summary>SE-POST ResNet-50.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Post)]
public partial class SeResNet50Post;

/// <summary>SE-Identity ResNet-50.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Identity)]
public partial class SeResNet50Identity;

/// <summary>SE_3x3 ResNet-50: SE on the 3x3 convolution of each bottleneck.</summary>
[Network(typeof(SeResNet50Ablation), SePlacement.Conv3x3)]
public partial class SeResNet50On3x3;
