using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

// Inception-ResNet-v2 as timm's inception_resnet_v2 (55,843,464 parameters at 3x299x299). Its BasicConv2d is a
// convolution without bias, batch norm with eps 0.001 and ReLU. Each residual block takes the SE ratio r (0: no SE).

/// <summary>Inception-ResNet's basic convolution: kernel x kernelWidth with "same" padding (1x7 pads (0, 3)), batch norm (eps 0.001), ReLU.</summary>
[Block]
public partial class IrConv
{
    [Param] private readonly int width;
    [Param] private readonly int kernel;
    [Param] private readonly int kernelWidth;

    [Conv2d(nameof(width), nameof(kernel), nameof(kernelWidth), Padding = Pad.Same, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>The unpadded 3x3 basic convolution carrying the block's stride (stem and reductions).</summary>
[Block]
public partial class IrConv3x3Valid
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Stride = Strides.OfBlock, Bias = false)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 0.001)] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>
/// A 1x1 reduction, then one k x k convolution (<c>middle</c> 0), two (k x k to <c>middle</c> channels, then to
/// <c>width</c>), or when <c>factorised</c> 1 x k and k x 1 (k = 7 or 3).
/// </summary>
[Block]
public partial class IrBranch
{
    [Param] private readonly int reduce;
    [Param] private readonly int middle;
    [Param] private readonly int width;
    [Param] private readonly int kernel;
    [Param] private readonly bool factorised;

    [Use(typeof(IrConv), nameof(reduce), 1, 1)] private readonly IrConv reduction;
    [Use(typeof(IrConv), nameof(width), nameof(kernel), nameof(kernel), When = "middle == 0")] private readonly IrConv? conv;
    [Use(typeof(IrConv), nameof(middle), nameof(kernel), nameof(kernel), When = "middle > 0 && !factorised")] private readonly IrConv? conv1;
    [Use(typeof(IrConv), nameof(width), nameof(kernel), nameof(kernel), When = "middle > 0 && !factorised")] private readonly IrConv? conv2;
    [Use(typeof(IrConv), nameof(middle), 1, 7, When = "factorised && kernel == 7")] private readonly IrConv? conv1x7;
    [Use(typeof(IrConv), nameof(width), 7, 1, When = "factorised && kernel == 7")] private readonly IrConv? conv7x1;
    [Use(typeof(IrConv), nameof(middle), 1, 3, When = "factorised && kernel == 3")] private readonly IrConv? conv1x3;
    [Use(typeof(IrConv), nameof(width), 3, 1, When = "factorised && kernel == 3")] private readonly IrConv? conv3x1;
}

/// <summary>A reduction branch: a 1x1 reduction, an optional padded 3x3 to <c>middle</c> channels (none for 0), then an unpadded 3x3 with the block's stride.</summary>
[Block]
public partial class IrReduce
{
    [Param] private readonly int reduce;
    [Param] private readonly int middle;
    [Param] private readonly int width;

    [Use(typeof(IrConv), nameof(reduce), 1, 1)] private readonly IrConv reduction;
    [Use(typeof(IrConv3x3Valid), nameof(width), Stride = Strides.OfBlock, When = "middle == 0")] private readonly IrConv3x3Valid? conv;
    [Use(typeof(IrConv), nameof(middle), 3, 3, When = "middle > 0")] private readonly IrConv? conv1;
    [Use(typeof(IrConv3x3Valid), nameof(width), Stride = Strides.OfBlock, When = "middle > 0")] private readonly IrConv3x3Valid? conv2;
}

/// <summary>A 3x3 average pool that does not count the padding, then a 1x1 projection.</summary>
[Block]
public partial class IrPoolProjection
{
    [Param] private readonly int width;

    [AvgPool2d(3, Stride = 1, Padding = 1, CountIncludePad = false)] private readonly AvgPool2d pool;
    [Use(typeof(IrConv), nameof(width), 1, 1)] private readonly IrConv projection;
}

/// <summary>Mixed_5b: four branches to 96 + 64 + 96 + 64 = 320 channels.</summary>
[Block(Parallel = true)]
public partial class IrMixed5b
{
    [Use(typeof(IrConv), 96, 1, 1)] private readonly IrConv branch0;
    [Use(typeof(IrBranch), 48, 0, 64, 5, false)] private readonly IrBranch branch1;
    [Use(typeof(IrBranch), 64, 96, 96, 3, false)] private readonly IrBranch branch2;
    [Use(typeof(IrPoolProjection), 64)] private readonly IrPoolProjection branch3;
}

/// <summary>
/// A residual block's branches on a grid of 35 (Block35: 32 + 32 + 64 = 128 channels), 17 (Block17: 192 + 192, the
/// second factorised 7x7) or 8 (Block8: 192 + 256, factorised 3x3).
/// </summary>
[Block(Parallel = true)]
public partial class IrBranches
{
    [Param] private readonly int grid;

    [Use(typeof(IrConv), "grid == 35 ? 32 : 192", 1, 1)] private readonly IrConv branch0;
    [Use(typeof(IrBranch), "grid == 35 ? 32 : grid == 17 ? 128 : 192", "grid == 35 ? 0 : grid == 17 ? 160 : 224", "grid == 35 ? 32 : grid == 17 ? 192 : 256",
        "grid == 17 ? 7 : 3", "grid != 35")]
    private readonly IrBranch branch1;
    [Use(typeof(IrBranch), 32, 48, 64, 3, false, When = "grid == 35")] private readonly IrBranch? branch2;
}

/// <summary>Mixed_6a, the 35 to 17 reduction: 384 + 384 channels beside a max pool passing the input through.</summary>
[Block(Parallel = true)]
public partial class IrMixed6a
{
    [Use(typeof(IrConv3x3Valid), 384, Stride = Strides.OfBlock)] private readonly IrConv3x3Valid branch0;
    [Use(typeof(IrReduce), 256, 256, 384, Stride = Strides.OfBlock)] private readonly IrReduce branch1;
    [MaxPool2d(3, Stride = Strides.OfBlock)] private readonly MaxPool2d branch2;
}

/// <summary>Mixed_7a, the 17 to 8 reduction: 384 + 288 + 320 channels beside a max pool.</summary>
[Block(Parallel = true)]
public partial class IrMixed7a
{
    [Use(typeof(IrReduce), 256, 0, 384, Stride = Strides.OfBlock)] private readonly IrReduce branch0;
    [Use(typeof(IrReduce), 256, 0, 288, Stride = Strides.OfBlock)] private readonly IrReduce branch1;
    [Use(typeof(IrReduce), 256, 288, 320, Stride = Strides.OfBlock)] private readonly IrReduce branch2;
    [MaxPool2d(3, Stride = Strides.OfBlock)] private readonly MaxPool2d branch3;
}

/// <summary>
/// Inception-ResNet's residual block on a grid of 35 (A, timm's Block35), 17 (B, Block17) or 8 (C, Block8): the branches,
/// a 1x1 convolution (with bias) back to the input width, SE (r, none for 0) on the residual branch, then
/// x + scale x branch and ReLU. The stages set the scale (0.17, 0.1, 0.2); the last block keeps 1 and drops the ReLU.
/// </summary>
[Block(Residual = true)]
public partial class IrResidual
{
    [Param] private readonly int grid;
    [Param] private readonly int r;

    [Use(typeof(IrBranches), nameof(grid))] private readonly IrBranches branches;
    [Conv2d("inChannels", 1)] private readonly Conv2d conv2d;
    [SqueezeExcite(nameof(r), When = "r > 0")] private readonly SqueezeExcitation? se;
}

/// <summary>
/// The Inception-ResNet-v2 family at 3x299x299, as timm's <c>inception_resnet_v2</c> (top-level module names as timm's,
/// inner branch names differ): stem, Mixed_5b, 10 x Block35, Mixed_6a, 20 x Block17, Mixed_7a, 9 x Block8 and a last
/// Block8 without ReLU (each an <see cref="IrResidual"/> with its scale), a 1x1 convolution to 1536 channels and the
/// classifier; with r above 0, SE (ratio r) in every residual block.
/// </summary>
[Network(3, 299, 299)]
public partial class InceptionResNet
{
    [Param] private readonly int r;

    [Use(typeof(IrConv3x3Valid), 32, Stride = 2)] private readonly IrConv3x3Valid conv2d_1a;
    [Use(typeof(IrConv3x3Valid), 32)] private readonly IrConv3x3Valid conv2d_2a;
    [Use(typeof(IrConv), 64, 3, 3)] private readonly IrConv conv2d_2b;
    [MaxPool2d(3, Stride = 2)] private readonly MaxPool2d maxpool_3a;
    [Use(typeof(IrConv), 80, 1, 1)] private readonly IrConv conv2d_3b;
    [Use(typeof(IrConv3x3Valid), 192)] private readonly IrConv3x3Valid conv2d_4a;
    [MaxPool2d(3, Stride = 2)] private readonly MaxPool2d maxpool_5a;
    [Use(typeof(IrMixed5b))] private readonly IrMixed5b mixed_5b;
    [Stage(typeof(IrResidual), 10, 35, nameof(r), ResidualScale = 0.17)] private readonly Sequential repeat;
    [Use(typeof(IrMixed6a), Stride = 2)] private readonly IrMixed6a mixed_6a;
    [Stage(typeof(IrResidual), 20, 17, nameof(r), ResidualScale = 0.1)] private readonly Sequential repeat_1;
    [Use(typeof(IrMixed7a), Stride = 2)] private readonly IrMixed7a mixed_7a;
    [Stage(typeof(IrResidual), 9, 8, nameof(r), ResidualScale = 0.2)] private readonly Sequential repeat_2;
    [Use(typeof(IrResidual), 8, nameof(r), AfterAddition = ResidualActivation.None)] private readonly IrResidual block8;
    [Use(typeof(IrConv), 1536, 1, 1)] private readonly IrConv conv2d_7b;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d global_pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear classif;
}

/// <summary>Inception-ResNet-v2 as timm's <c>inception_resnet_v2</c>: 55,843,464 parameters.</summary>
[Network(typeof(InceptionResNet), 0)]
public partial class InceptionResNetV2;

/// <summary>SE-Inception-ResNet-v2: <see cref="InceptionResNetV2"/> with SE (r = 16) in every residual block.</summary>
[Network(typeof(InceptionResNet), 16)]
public partial class SeInceptionResNetV2;
