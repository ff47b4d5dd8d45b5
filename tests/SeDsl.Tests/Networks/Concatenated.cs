using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>
/// Three branches on the block's input (a 1x1 and a 3x3 convolution and a max pool, each with the block's stride),
/// concatenated (width + 2 x width + inChannels channels); then, on the concatenation, a 1x1 convolution back to
/// <c>width</c> with batch norm and ReLU, SE where <c>r</c> is set, dropout and drop path.
/// </summary>
[Block(Parallel = true)]
public partial class SeMixed
{
    [Param] private readonly int width;
    [Param(Default = 4)] private readonly int r;

    [Conv2d(nameof(width), 1, Stride = Strides.OfBlock, Bias = false)] private readonly Conv2d branch1x1;
    [Conv2d("width * 2", 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d branch3x3;
    [MaxPool2d(3, Stride = Strides.OfBlock, Padding = 1)] private readonly MaxPool2d branchPool;
    [Conv2d(nameof(width), 1, Bias = false), AfterConcatenation] private readonly Conv2d project;
    [BatchNorm2d, AfterConcatenation] private readonly BatchNorm2d bn;
    [ReLU, AfterConcatenation] private readonly ReLU relu;
    [SqueezeExcite(nameof(r), When = "r > 0"), AfterConcatenation] private readonly SqueezeExcitation? se;
    [Dropout(0.2), AfterConcatenation] private readonly Dropout drop;
    [DropPath(0.1), AfterConcatenation] private readonly DropPath dropPath;
}

/// <summary><see cref="SeMixed"/>'s branches alone: the concatenation is the block's output.</summary>
[Block(Parallel = true)]
public partial class Mixed
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 1, Stride = Strides.OfBlock, Bias = false)] private readonly Conv2d branch1x1;
    [Conv2d("width * 2", 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d branch3x3;
    [MaxPool2d(3, Stride = Strides.OfBlock, Padding = 1)] private readonly MaxPool2d branchPool;
}

/// <summary>Two <see cref="SeMixed"/> blocks, the first strided with SE (r = 4), the second without SE, and a classifier.</summary>
[Network(8, 16, 16)]
public partial class SeMixedNet
{
    [Use(typeof(SeMixed), 16, Stride = 2)] private readonly SeMixed a;
    [Use(typeof(SeMixed), 16, 0)] private readonly SeMixed b;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary><see cref="SeMixedNet"/> written by hand: each layer after the concatenation a network layer after a <see cref="Mixed"/> block.</summary>
[Network(8, 16, 16)]
public partial class MixedThenSeNet
{
    [Use(typeof(Mixed), 16, Stride = 2)] private readonly Mixed a;
    [Conv2d(16, 1, Bias = false)] private readonly Conv2d aProject;
    [BatchNorm2d] private readonly BatchNorm2d aBn;
    [ReLU] private readonly ReLU aRelu;
    [SqueezeExcite(4)] private readonly SqueezeExcitation aSe;
    [Dropout(0.2)] private readonly Dropout aDrop;
    [DropPath(0.1)] private readonly DropPath aDropPath;
    [Use(typeof(Mixed), 16)] private readonly Mixed b;
    [Conv2d(16, 1, Bias = false)] private readonly Conv2d bProject;
    [BatchNorm2d] private readonly BatchNorm2d bBn;
    [ReLU] private readonly ReLU bRelu;
    [Dropout(0.2)] private readonly Dropout bDrop;
    [DropPath(0.1)] private readonly DropPath bDropPath;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}
