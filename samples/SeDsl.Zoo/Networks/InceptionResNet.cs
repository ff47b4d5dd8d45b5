using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

// Inception-ResNet-v2 as timm's inception_resnet_v2 (55,843,464 parameters at 3x299x299). Its BasicConv2d is a
// convolution without bias, batch norm with eps 0.001 and ReLU; one block per kernel shape below.

/// <summary>Inception-ResNet's basic 1x1 convolution, batch norm (eps 0.001), ReLU.</summary>
[Block]
public partial class IrConv1x1
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 1, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>Inception-ResNet's basic 3x3 convolution with "same" padding.</summary>
[Block]
public partial class IrConv3x3
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>Inception-ResNet's unpadded 3x3 convolution carrying the block's stride (stem and reductions).</summary>
[Block]
public partial class IrConv3x3Valid
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Stride = Strides.OfBlock, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>Inception-ResNet's basic 5x5 convolution with "same" padding.</summary>
[Block]
public partial class IrConv5x5
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 5, Padding = 2, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>A factorised 1x7 convolution (padding (0, 3)).</summary>
[Block]
public partial class IrConv1x7
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 1, 7, Padding = Pad.Same, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>A factorised 7x1 convolution (padding (3, 0)).</summary>
[Block]
public partial class IrConv7x1
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 7, 1, Padding = Pad.Same, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>A factorised 1x3 convolution (padding (0, 1)).</summary>
[Block]
public partial class IrConv1x3
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 1, 3, Padding = Pad.Same, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>A factorised 3x1 convolution (padding (1, 0)).</summary>
[Block]
public partial class IrConv3x1
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, 1, Padding = Pad.Same, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>A 1x1 reduction, then a 5x5 convolution.</summary>
[Block]
public partial class IrBranch5x5
{
    [Param] private readonly int reduce;
    [Param] private readonly int width;

    [Use(typeof(IrConv1x1), nameof(reduce))] private readonly IrConv1x1 reduction;
    [Use(typeof(IrConv5x5), nameof(width))] private readonly IrConv5x5 conv;
}

/// <summary>A 1x1 reduction, then a 3x3 convolution.</summary>
[Block]
public partial class IrBranch3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width;

    [Use(typeof(IrConv1x1), nameof(reduce))] private readonly IrConv1x1 reduction;
    [Use(typeof(IrConv3x3), nameof(width))] private readonly IrConv3x3 conv;
}

/// <summary>A 1x1 reduction and two 3x3 convolutions.</summary>
[Block]
public partial class IrBranchDouble3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width1;
    [Param] private readonly int width2;

    [Use(typeof(IrConv1x1), nameof(reduce))] private readonly IrConv1x1 reduction;
    [Use(typeof(IrConv3x3), nameof(width1))] private readonly IrConv3x3 conv1;
    [Use(typeof(IrConv3x3), nameof(width2))] private readonly IrConv3x3 conv2;
}

/// <summary>A 1x1 reduction, then an unpadded 3x3 convolution with the block's stride.</summary>
[Block]
public partial class IrReduce3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width;

    [Use(typeof(IrConv1x1), nameof(reduce))] private readonly IrConv1x1 reduction;
    [Use(typeof(IrConv3x3Valid), nameof(width), Stride = Strides.OfBlock)] private readonly IrConv3x3Valid conv;
}

/// <summary>A 1x1 reduction, a padded 3x3, then an unpadded 3x3 convolution with the block's stride.</summary>
[Block]
public partial class IrReduceDouble3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width1;
    [Param] private readonly int width2;

    [Use(typeof(IrConv1x1), nameof(reduce))] private readonly IrConv1x1 reduction;
    [Use(typeof(IrConv3x3), nameof(width1))] private readonly IrConv3x3 conv1;
    [Use(typeof(IrConv3x3Valid), nameof(width2), Stride = Strides.OfBlock)] private readonly IrConv3x3Valid conv2;
}

/// <summary>A 1x1 reduction, then the factorised 7x7: 1x7 and 7x1.</summary>
[Block]
public partial class IrBranch7x7
{
    [Param] private readonly int reduce;
    [Param] private readonly int width1;
    [Param] private readonly int width2;

    [Use(typeof(IrConv1x1), nameof(reduce))] private readonly IrConv1x1 reduction;
    [Use(typeof(IrConv1x7), nameof(width1))] private readonly IrConv1x7 conv1x7;
    [Use(typeof(IrConv7x1), nameof(width2))] private readonly IrConv7x1 conv7x1;
}

/// <summary>A 1x1 reduction, then the factorised 3x3: 1x3 and 3x1.</summary>
[Block]
public partial class IrBranch3x3Factorised
{
    [Param] private readonly int reduce;
    [Param] private readonly int width1;
    [Param] private readonly int width2;

    [Use(typeof(IrConv1x1), nameof(reduce))] private readonly IrConv1x1 reduction;
    [Use(typeof(IrConv1x3), nameof(width1))] private readonly IrConv1x3 conv1x3;
    [Use(typeof(IrConv3x1), nameof(width2))] private readonly IrConv3x1 conv3x1;
}

/// <summary>A 3x3 average pool that does not count the padding, then a 1x1 projection.</summary>
[Block]
public partial class IrPoolProjection
{
    [Param] private readonly int width;

    [AvgPool2d(3, Stride = 1, Padding = 1, CountIncludePad = false)] private readonly AvgPool2d pool;
    [Use(typeof(IrConv1x1), nameof(width))] private readonly IrConv1x1 projection;
}

/// <summary>Mixed_5b: four branches to 96 + 64 + 96 + 64 = 320 channels.</summary>
[Block(Parallel = true)]
public partial class IrMixed5b
{
    [Use(typeof(IrConv1x1), 96)] private readonly IrConv1x1 branch0;
    [Use(typeof(IrBranch5x5), 48, 64)] private readonly IrBranch5x5 branch1;
    [Use(typeof(IrBranchDouble3x3), 64, 96, 96)] private readonly IrBranchDouble3x3 branch2;
    [Use(typeof(IrPoolProjection), 64)] private readonly IrPoolProjection branch3;
}

/// <summary>Block35's branches (35x35 grid): 32 + 32 + 64 = 128 channels.</summary>
[Block(Parallel = true)]
public partial class IrBranches35
{
    [Use(typeof(IrConv1x1), 32)] private readonly IrConv1x1 branch0;
    [Use(typeof(IrBranch3x3), 32, 32)] private readonly IrBranch3x3 branch1;
    [Use(typeof(IrBranchDouble3x3), 32, 48, 64)] private readonly IrBranchDouble3x3 branch2;
}

/// <summary>Block17's branches (17x17 grid): 192 + 192 = 384 channels.</summary>
[Block(Parallel = true)]
public partial class IrBranches17
{
    [Use(typeof(IrConv1x1), 192)] private readonly IrConv1x1 branch0;
    [Use(typeof(IrBranch7x7), 128, 160, 192)] private readonly IrBranch7x7 branch1;
}

/// <summary>Block8's branches (8x8 grid): 192 + 256 = 448 channels.</summary>
[Block(Parallel = true)]
public partial class IrBranches8
{
    [Use(typeof(IrConv1x1), 192)] private readonly IrConv1x1 branch0;
    [Use(typeof(IrBranch3x3Factorised), 192, 224, 256)] private readonly IrBranch3x3Factorised branch1;
}

/// <summary>Mixed_6a, the 35 to 17 reduction: 384 + 384 channels beside a max pool passing the input through.</summary>
[Block(Parallel = true)]
public partial class IrMixed6a
{
    [Use(typeof(IrConv3x3Valid), 384, Stride = Strides.OfBlock)] private readonly IrConv3x3Valid branch0;
    [Use(typeof(IrReduceDouble3x3), 256, 256, 384, Stride = Strides.OfBlock)] private readonly IrReduceDouble3x3 branch1;
    [MaxPool2d(3, Stride = Strides.OfBlock)] private readonly MaxPool2d branch2;
}

/// <summary>Mixed_7a, the 17 to 8 reduction: 384 + 288 + 320 channels beside a max pool.</summary>
[Block(Parallel = true)]
public partial class IrMixed7a
{
    [Use(typeof(IrReduce3x3), 256, 384, Stride = Strides.OfBlock)] private readonly IrReduce3x3 branch0;
    [Use(typeof(IrReduce3x3), 256, 288, Stride = Strides.OfBlock)] private readonly IrReduce3x3 branch1;
    [Use(typeof(IrReduceDouble3x3), 256, 288, 320, Stride = Strides.OfBlock)] private readonly IrReduceDouble3x3 branch2;
    [MaxPool2d(3, Stride = Strides.OfBlock)] private readonly MaxPool2d branch3;
}

/// <summary>Inception-ResNet-A (Block35): branches, a 1x1 convolution (with bias) back to the input width, x + 0.17 x branch, ReLU.</summary>
[Block(Residual = true, ResidualScale = 0.17)]
public partial class Block35
{
    [Use(typeof(IrBranches35))] private readonly IrBranches35 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
}

/// <summary>Inception-ResNet-B (Block17): scale 0.1.</summary>
[Block(Residual = true, ResidualScale = 0.1)]
public partial class Block17
{
    [Use(typeof(IrBranches17))] private readonly IrBranches17 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
}

/// <summary>Inception-ResNet-C (Block8): scale 0.2.</summary>
[Block(Residual = true, ResidualScale = 0.2)]
public partial class Block8
{
    [Use(typeof(IrBranches8))] private readonly IrBranches8 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
}

/// <summary>The last Inception-ResNet-C block: scale 1 and no ReLU after the addition.</summary>
[Block(Residual = true, AfterAddition = ResidualActivation.None)]
public partial class Block8Last
{
    [Use(typeof(IrBranches8))] private readonly IrBranches8 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
}

/// <summary>Inception-ResNet-A (Block35), with SE (r = 16) on the residual branch before the scaled addition: branches, a 1x1 convolution (with bias) back to the input width, x + 0.17 x branch, ReLU.</summary>
[Block(Residual = true, ResidualScale = 0.17)]
public partial class SeBlock35
{
    [Use(typeof(IrBranches35))] private readonly IrBranches35 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>Inception-ResNet-B (Block17), with SE (r = 16) on the residual branch before the scaled addition: scale 0.1.</summary>
[Block(Residual = true, ResidualScale = 0.1)]
public partial class SeBlock17
{
    [Use(typeof(IrBranches17))] private readonly IrBranches17 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>Inception-ResNet-C (Block8), with SE (r = 16) on the residual branch before the scaled addition: scale 0.2.</summary>
[Block(Residual = true, ResidualScale = 0.2)]
public partial class SeBlock8
{
    [Use(typeof(IrBranches8))] private readonly IrBranches8 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>The last Inception-ResNet-C block, with SE (r = 16) on the residual branch before the scaled addition: scale 1 and no ReLU after the addition.</summary>
[Block(Residual = true, AfterAddition = ResidualActivation.None)]
public partial class SeBlock8Last
{
    [Use(typeof(IrBranches8))] private readonly IrBranches8 branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>
/// Inception-ResNet-v2 at 3x299x299 as timm's <c>inception_resnet_v2</c> (55,843,464 parameters; top-level module
/// names as timm's, inner branch names differ): stem, Mixed_5b, 10 x Block35, Mixed_6a, 20 x Block17, Mixed_7a,
/// 9 x Block8 and a last Block8 without ReLU, a 1x1 convolution to 1536 channels and the classifier.
/// </summary>
[Network(3, 299, 299)]
public partial class InceptionResNetV2
{
    [Use(typeof(IrConv3x3Valid), 32, Stride = 2)] private readonly IrConv3x3Valid conv2d_1a;
    [Use(typeof(IrConv3x3Valid), 32)] private readonly IrConv3x3Valid conv2d_2a;
    [Use(typeof(IrConv3x3), 64)] private readonly IrConv3x3 conv2d_2b;
    [MaxPool2d(3, Stride = 2)] private readonly MaxPool2d maxpool_3a;
    [Use(typeof(IrConv1x1), 80)] private readonly IrConv1x1 conv2d_3b;
    [Use(typeof(IrConv3x3Valid), 192)] private readonly IrConv3x3Valid conv2d_4a;
    [MaxPool2d(3, Stride = 2)] private readonly MaxPool2d maxpool_5a;
    [Use(typeof(IrMixed5b))] private readonly IrMixed5b mixed_5b;
    [Stage(typeof(Block35), 10)] private readonly Sequential repeat;
    [Use(typeof(IrMixed6a), Stride = 2)] private readonly IrMixed6a mixed_6a;
    [Stage(typeof(Block17), 20)] private readonly Sequential repeat_1;
    [Use(typeof(IrMixed7a), Stride = 2)] private readonly IrMixed7a mixed_7a;
    [Stage(typeof(Block8), 9)] private readonly Sequential repeat_2;
    [Use(typeof(Block8Last))] private readonly Block8Last block8;
    [Use(typeof(IrConv1x1), 1536)] private readonly IrConv1x1 conv2d_7b;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d global_pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear classif;
}

/// <summary>SE-Inception-ResNet-v2: <see cref="InceptionResNetV2"/> with SE (r = 16) in every residual block.</summary>
[Network(3, 299, 299)]
public partial class SeInceptionResNetV2
{
    [Use(typeof(IrConv3x3Valid), 32, Stride = 2)] private readonly IrConv3x3Valid conv2d_1a;
    [Use(typeof(IrConv3x3Valid), 32)] private readonly IrConv3x3Valid conv2d_2a;
    [Use(typeof(IrConv3x3), 64)] private readonly IrConv3x3 conv2d_2b;
    [MaxPool2d(3, Stride = 2)] private readonly MaxPool2d maxpool_3a;
    [Use(typeof(IrConv1x1), 80)] private readonly IrConv1x1 conv2d_3b;
    [Use(typeof(IrConv3x3Valid), 192)] private readonly IrConv3x3Valid conv2d_4a;
    [MaxPool2d(3, Stride = 2)] private readonly MaxPool2d maxpool_5a;
    [Use(typeof(IrMixed5b))] private readonly IrMixed5b mixed_5b;
    [Stage(typeof(SeBlock35), 10)] private readonly Sequential repeat;
    [Use(typeof(IrMixed6a), Stride = 2)] private readonly IrMixed6a mixed_6a;
    [Stage(typeof(SeBlock17), 20)] private readonly Sequential repeat_1;
    [Use(typeof(IrMixed7a), Stride = 2)] private readonly IrMixed7a mixed_7a;
    [Stage(typeof(SeBlock8), 9)] private readonly Sequential repeat_2;
    [Use(typeof(SeBlock8Last))] private readonly SeBlock8Last block8;
    [Use(typeof(IrConv1x1), 1536)] private readonly IrConv1x1 conv2d_7b;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d global_pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear classif;
}
