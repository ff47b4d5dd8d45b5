using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>A 1x1 convolution, batch norm and ReLU (the convolution keeps its bias, as in the converted Caffe BN-Inception).</summary>
[Block]
public partial class Conv1x1BnReLU
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 1)] private readonly Conv2d conv;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>A 3x3 convolution (padding 1, the block's stride, with bias), batch norm and ReLU.</summary>
[Block]
public partial class Conv3x3BnReLU
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Stride = Strides.OfBlock, Padding = 1)] private readonly Conv2d conv;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>Inception's 3x3 branch: a 1x1 reduction, then a 3x3 convolution carrying the block's stride.</summary>
[Block]
public partial class Branch3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width;

    [Use(typeof(Conv1x1BnReLU), nameof(reduce))] private readonly Conv1x1BnReLU reduction;
    [Use(typeof(Conv3x3BnReLU), nameof(width), Stride = Strides.OfBlock)] private readonly Conv3x3BnReLU conv;
}

/// <summary>BN-Inception's double 3x3 branch (replacing GoogLeNet's 5x5): a 1x1 reduction and two 3x3 convolutions, the second carrying the block's stride.</summary>
[Block]
public partial class BranchDouble3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width;

    [Use(typeof(Conv1x1BnReLU), nameof(reduce))] private readonly Conv1x1BnReLU reduction;
    [Use(typeof(Conv3x3BnReLU), nameof(width))] private readonly Conv3x3BnReLU conv1;
    [Use(typeof(Conv3x3BnReLU), nameof(width), Stride = Strides.OfBlock)] private readonly Conv3x3BnReLU conv2;
}

/// <summary>A 3x3 average pool (stride 1), then a 1x1 projection.</summary>
[Block]
public partial class AvgPoolProjection
{
    [Param] private readonly int width;

    [AvgPool2d(3, Stride = 1, Padding = 1, CeilMode = true)] private readonly AvgPool2d pool;
    [Use(typeof(Conv1x1BnReLU), nameof(width))] private readonly Conv1x1BnReLU projection;
}

/// <summary>A 3x3 max pool (stride 1), then a 1x1 projection (BN-Inception's module 5b).</summary>
[Block]
public partial class MaxPoolProjection
{
    [Param] private readonly int width;

    [MaxPool2d(3, Stride = 1, Padding = 1, CeilMode = true)] private readonly MaxPool2d pool;
    [Use(typeof(Conv1x1BnReLU), nameof(width))] private readonly Conv1x1BnReLU projection;
}

/// <summary>
/// A BN-Inception module: 1x1, 3x3 and double-3x3 branches and an average-pool projection, concatenated. Parameters in
/// the order of the BN-Inception paper's table: #1x1, #3x3 reduce, #3x3, double #3x3 reduce, double #3x3, pool projection.
/// </summary>
[Block(Parallel = true)]
public partial class InceptionModule
{
    [Param] private readonly int width1x1;
    [Param] private readonly int reduce3x3;
    [Param] private readonly int width3x3;
    [Param] private readonly int reduceDouble;
    [Param] private readonly int widthDouble;
    [Param] private readonly int poolProjection;

    [Use(typeof(Conv1x1BnReLU), nameof(width1x1))] private readonly Conv1x1BnReLU branch1x1;
    [Use(typeof(Branch3x3), nameof(reduce3x3), nameof(width3x3))] private readonly Branch3x3 branch3x3;
    [Use(typeof(BranchDouble3x3), nameof(reduceDouble), nameof(widthDouble))] private readonly BranchDouble3x3 branchDouble3x3;
    [Use(typeof(AvgPoolProjection), nameof(poolProjection))] private readonly AvgPoolProjection branchPool;
}

/// <summary>The last BN-Inception module (5b): as <see cref="InceptionModule"/> with a max-pool projection.</summary>
[Block(Parallel = true)]
public partial class InceptionModuleMaxPool
{
    [Param] private readonly int width1x1;
    [Param] private readonly int reduce3x3;
    [Param] private readonly int width3x3;
    [Param] private readonly int reduceDouble;
    [Param] private readonly int widthDouble;
    [Param] private readonly int poolProjection;

    [Use(typeof(Conv1x1BnReLU), nameof(width1x1))] private readonly Conv1x1BnReLU branch1x1;
    [Use(typeof(Branch3x3), nameof(reduce3x3), nameof(width3x3))] private readonly Branch3x3 branch3x3;
    [Use(typeof(BranchDouble3x3), nameof(reduceDouble), nameof(widthDouble))] private readonly BranchDouble3x3 branchDouble3x3;
    [Use(typeof(MaxPoolProjection), nameof(poolProjection))] private readonly MaxPoolProjection branchPool;
}

/// <summary>A BN-Inception reduction module (3c, 4e): strided 3x3 and double-3x3 branches beside a strided max pool that passes the input through.</summary>
[Block(Parallel = true)]
public partial class InceptionReduction
{
    [Param] private readonly int reduce3x3;
    [Param] private readonly int width3x3;
    [Param] private readonly int reduceDouble;
    [Param] private readonly int widthDouble;

    [Use(typeof(Branch3x3), nameof(reduce3x3), nameof(width3x3), Stride = Strides.OfBlock)] private readonly Branch3x3 branch3x3;
    [Use(typeof(BranchDouble3x3), nameof(reduceDouble), nameof(widthDouble), Stride = Strides.OfBlock)] private readonly BranchDouble3x3 branchDouble3x3;
    [MaxPool2d(3, Stride = Strides.OfBlock, CeilMode = true)] private readonly MaxPool2d branchPool;
}

/// <summary>The SE-Inception module (the paper's Fig. 2): an Inception module, then SE (r = 16) on its concatenated output.</summary>
[Block]
public partial class SeInceptionModule
{
    [Param] private readonly int width1x1;
    [Param] private readonly int reduce3x3;
    [Param] private readonly int width3x3;
    [Param] private readonly int reduceDouble;
    [Param] private readonly int widthDouble;
    [Param] private readonly int poolProjection;

    [Use(typeof(InceptionModule), nameof(width1x1), nameof(reduce3x3), nameof(width3x3), nameof(reduceDouble), nameof(widthDouble), nameof(poolProjection))]
    private readonly InceptionModule module;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>The SE version of <see cref="InceptionModuleMaxPool"/>.</summary>
[Block]
public partial class SeInceptionModuleMaxPool
{
    [Param] private readonly int width1x1;
    [Param] private readonly int reduce3x3;
    [Param] private readonly int width3x3;
    [Param] private readonly int reduceDouble;
    [Param] private readonly int widthDouble;
    [Param] private readonly int poolProjection;

    [Use(typeof(InceptionModuleMaxPool), nameof(width1x1), nameof(reduce3x3), nameof(width3x3), nameof(reduceDouble), nameof(widthDouble), nameof(poolProjection))]
    private readonly InceptionModuleMaxPool module;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>The SE version of <see cref="InceptionReduction"/>.</summary>
[Block]
public partial class SeInceptionReduction
{
    [Param] private readonly int reduce3x3;
    [Param] private readonly int width3x3;
    [Param] private readonly int reduceDouble;
    [Param] private readonly int widthDouble;

    [Use(typeof(InceptionReduction), nameof(reduce3x3), nameof(width3x3), nameof(reduceDouble), nameof(widthDouble), Stride = Strides.OfBlock)]
    private readonly InceptionReduction module;
    [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;
}

/// <summary>
/// BN-Inception (Inception with batch normalisation, the SE paper's Inception baseline), with the module widths of
/// the BN-Inception paper's table, as the converted Caffe model in PyTorch (Cadene's <c>bninception</c>, 11,295,240
/// parameters): convolutions keep their biases although batch norm follows each, and pools use ceil mode.
/// </summary>
[Network(3, 224, 224)]
public partial class BnInception
{
    [Conv2d(64, 7, Stride = 2, Padding = 3)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool1;
    [Use(typeof(Conv1x1BnReLU), 64)] private readonly Conv1x1BnReLU conv2Reduce;
    [Use(typeof(Conv3x3BnReLU), 192)] private readonly Conv3x3BnReLU conv2;
    [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool2;
    [Use(typeof(InceptionModule), 64, 64, 64, 64, 96, 32)] private readonly InceptionModule inception3a;
    [Use(typeof(InceptionModule), 64, 64, 96, 64, 96, 64)] private readonly InceptionModule inception3b;
    [Use(typeof(InceptionReduction), 128, 160, 64, 96, Stride = 2)] private readonly InceptionReduction inception3c;
    [Use(typeof(InceptionModule), 224, 64, 96, 96, 128, 128)] private readonly InceptionModule inception4a;
    [Use(typeof(InceptionModule), 192, 96, 128, 96, 128, 128)] private readonly InceptionModule inception4b;
    [Use(typeof(InceptionModule), 160, 128, 160, 128, 160, 128)] private readonly InceptionModule inception4c;
    [Use(typeof(InceptionModule), 96, 128, 192, 160, 192, 128)] private readonly InceptionModule inception4d;
    [Use(typeof(InceptionReduction), 128, 192, 192, 256, Stride = 2)] private readonly InceptionReduction inception4e;
    [Use(typeof(InceptionModule), 352, 192, 320, 160, 224, 128)] private readonly InceptionModule inception5a;
    [Use(typeof(InceptionModuleMaxPool), 352, 192, 320, 192, 224, 128)] private readonly InceptionModuleMaxPool inception5b;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>SE-BN-Inception: <see cref="BnInception"/> with SE (r = 16) on the output of each of its ten modules.</summary>
[Network(3, 224, 224)]
public partial class SeBnInception
{
    [Conv2d(64, 7, Stride = 2, Padding = 3)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool1;
    [Use(typeof(Conv1x1BnReLU), 64)] private readonly Conv1x1BnReLU conv2Reduce;
    [Use(typeof(Conv3x3BnReLU), 192)] private readonly Conv3x3BnReLU conv2;
    [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool2;
    [Use(typeof(SeInceptionModule), 64, 64, 64, 64, 96, 32)] private readonly SeInceptionModule inception3a;
    [Use(typeof(SeInceptionModule), 64, 64, 96, 64, 96, 64)] private readonly SeInceptionModule inception3b;
    [Use(typeof(SeInceptionReduction), 128, 160, 64, 96, Stride = 2)] private readonly SeInceptionReduction inception3c;
    [Use(typeof(SeInceptionModule), 224, 64, 96, 96, 128, 128)] private readonly SeInceptionModule inception4a;
    [Use(typeof(SeInceptionModule), 192, 96, 128, 96, 128, 128)] private readonly SeInceptionModule inception4b;
    [Use(typeof(SeInceptionModule), 160, 128, 160, 128, 160, 128)] private readonly SeInceptionModule inception4c;
    [Use(typeof(SeInceptionModule), 96, 128, 192, 160, 192, 128)] private readonly SeInceptionModule inception4d;
    [Use(typeof(SeInceptionReduction), 128, 192, 192, 256, Stride = 2)] private readonly SeInceptionReduction inception4e;
    [Use(typeof(SeInceptionModule), 352, 192, 320, 160, 224, 128)] private readonly SeInceptionModule inception5a;
    [Use(typeof(SeInceptionModuleMaxPool), 352, 192, 320, 192, 224, 128)] private readonly SeInceptionModuleMaxPool inception5b;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
