using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>A k x k convolution (padding (k - 1) / 2, the block's stride, with bias, as in the converted Caffe BN-Inception), batch norm and ReLU.</summary>
[Block]
public partial class ConvBnReLU
{
    [Param] private readonly int width;
    [Param] private readonly int kernel;

    [Conv2d(nameof(width), nameof(kernel), Stride = Strides.OfBlock, Padding = "(kernel - 1) / 2")] private readonly Conv2d conv;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
}

/// <summary>
/// Inception's 3x3 branch: a 1x1 reduction, then a 3x3 convolution carrying the block's stride; when <c>twice</c>, BN-Inception's
/// double 3x3 (replacing GoogLeNet's 5x5): two 3x3 convolutions, the second carrying the stride.
/// </summary>
[Block]
public partial class Branch3x3
{
    [Param] private readonly int reduce;
    [Param] private readonly int width;
    [Param] private readonly bool twice;

    [Use(typeof(ConvBnReLU), nameof(reduce), 1)] private readonly ConvBnReLU reduction;
    [Use(typeof(ConvBnReLU), nameof(width), 3, Stride = Strides.OfBlock, When = "!twice")] private readonly ConvBnReLU? conv;
    [Use(typeof(ConvBnReLU), nameof(width), 3, When = nameof(twice))] private readonly ConvBnReLU? conv1;
    [Use(typeof(ConvBnReLU), nameof(width), 3, Stride = Strides.OfBlock, When = nameof(twice))] private readonly ConvBnReLU? conv2;
}

/// <summary>A 3x3 pool (stride 1, ceil mode), average or when <c>max</c> maximum (module 5b), then a 1x1 projection.</summary>
[Block]
public partial class PoolProjection
{
    [Param] private readonly int width;
    [Param] private readonly bool max;

    [AvgPool2d(3, Stride = 1, Padding = 1, CeilMode = true, When = "!max")] private readonly AvgPool2d? pool;
    [MaxPool2d(3, Stride = 1, Padding = 1, CeilMode = true, When = nameof(max))] private readonly MaxPool2d? maxPool;
    [Use(typeof(ConvBnReLU), nameof(width), 1)] private readonly ConvBnReLU projection;
}

/// <summary>
/// A BN-Inception module, with the widths of a row of the BN-Inception paper's table: #1x1, #3x3 reduce, #3x3, double
/// #3x3 reduce, double #3x3, pool projection (on a max pool when <c>maxPool</c>), the branches concatenated. A
/// reduction module (3c, 4e) has no 1x1 branch and no projection (both 0): strided 3x3 and double-3x3 branches beside
/// a strided max pool that passes the input through. Where <c>r</c> is set, SE with that reduction ratio on the
/// concatenated output (the SE paper's SE-Inception module, its Fig. 2).
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
    [Param] private readonly bool maxPool;
    [Param(Default = 0)] private readonly int r;

    [Use(typeof(ConvBnReLU), nameof(width1x1), 1, When = "width1x1 > 0")] private readonly ConvBnReLU? branch1x1;
    [Use(typeof(Branch3x3), nameof(reduce3x3), nameof(width3x3), false, Stride = Strides.OfBlock)] private readonly Branch3x3 branch3x3;
    [Use(typeof(Branch3x3), nameof(reduceDouble), nameof(widthDouble), true, Stride = Strides.OfBlock)] private readonly Branch3x3 branchDouble3x3;
    [Use(typeof(PoolProjection), nameof(poolProjection), nameof(maxPool), When = "poolProjection > 0")] private readonly PoolProjection? branchPool;
    [MaxPool2d(3, Stride = Strides.OfBlock, CeilMode = true, When = "poolProjection == 0")] private readonly MaxPool2d? passThrough;
    [SqueezeExcite(nameof(r), When = "r > 0"), AfterConcatenation] private readonly SqueezeExcitation? se;
}

/// <summary>
/// The BN-Inception family (Inception with batch normalisation, the SE paper's Inception baseline), with the module widths of
/// the BN-Inception paper's table, as the converted Caffe model in PyTorch (Cadene's <c>bninception</c>, 11,295,240
/// parameters): convolutions keep their biases although batch norm follows each, and pools use ceil mode; where
/// <c>r</c> is set, SE with that reduction ratio on the output of each of its ten modules (the SE-Inception module, the
/// paper's Fig. 2).
/// </summary>
[Network(3, 224, 224)]
public partial class BatchNormInception
{
    [Param] private readonly int r;

    [Conv2d(64, 7, Stride = 2, Padding = 3)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool1;
    [Use(typeof(ConvBnReLU), 64, 1)] private readonly ConvBnReLU conv2Reduce;
    [Use(typeof(ConvBnReLU), 192, 3)] private readonly ConvBnReLU conv2;
    [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool2;
    [Use(typeof(InceptionModule), 64, 64, 64, 64, 96, 32, false, nameof(r))] private readonly InceptionModule inception3a;
    [Use(typeof(InceptionModule), 64, 64, 96, 64, 96, 64, false, nameof(r))] private readonly InceptionModule inception3b;
    [Use(typeof(InceptionModule), 0, 128, 160, 64, 96, 0, false, nameof(r), Stride = 2)] private readonly InceptionModule inception3c;
    [Use(typeof(InceptionModule), 224, 64, 96, 96, 128, 128, false, nameof(r))] private readonly InceptionModule inception4a;
    [Use(typeof(InceptionModule), 192, 96, 128, 96, 128, 128, false, nameof(r))] private readonly InceptionModule inception4b;
    [Use(typeof(InceptionModule), 160, 128, 160, 128, 160, 128, false, nameof(r))] private readonly InceptionModule inception4c;
    [Use(typeof(InceptionModule), 96, 128, 192, 160, 192, 128, false, nameof(r))] private readonly InceptionModule inception4d;
    [Use(typeof(InceptionModule), 0, 128, 192, 192, 256, 0, false, nameof(r), Stride = 2)] private readonly InceptionModule inception4e;
    [Use(typeof(InceptionModule), 352, 192, 320, 160, 224, 128, false, nameof(r))] private readonly InceptionModule inception5a;
    [Use(typeof(InceptionModule), 352, 192, 320, 192, 224, 128, true, nameof(r))] private readonly InceptionModule inception5b;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}

/// <summary>BN-Inception as the converted Caffe model (Cadene's <c>bninception</c>): 11,295,240 parameters.</summary>
[Network(typeof(BatchNormInception), 0)]
public partial class BnInception;

/// <summary>SE-BN-Inception: <see cref="BnInception"/> with SE (r = 16) on the output of each of its ten modules.</summary>
[Network(typeof(BatchNormInception), 16)]
public partial class SeBnInception;
