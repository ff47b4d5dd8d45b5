using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>torchvision's <c>Conv2dNormActivation</c>: a convolution, batch norm and ReLU registered as children 0, 1, 2.</summary>
[Block]
public partial class KeyedConvBn
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false, Key = "0")] private readonly Conv2d conv;
    [BatchNorm2d(Key = "1")] private readonly BatchNorm2d bn;
    [ReLU(Key = "2")] private readonly ReLU relu;
}

/// <summary>
/// An inverted-residual-like block with torchvision's nested keys: <c>block.0.0.weight</c> (the expansion's convolution,
/// a used block appended to <c>block</c>), <c>block.1.fc1.weight</c> (the SE), <c>block.2.0.weight</c> (the projection, another used block).
/// </summary>
[Block(Residual = true)]
public partial class KeyedExpand
{
    [Param] private readonly int width;

    [Use(typeof(KeyedConvBn), "width * 2", Stride = Strides.OfBlock, Key = "block.#")] private readonly KeyedConvBn expand;
    [SqueezeExcite(r: 4, Key = "block.#")] private readonly SqueezeExcitation se;
    [Use(typeof(KeyedProjection), nameof(width), Key = "block.#")] private readonly KeyedProjection project;
}

/// <summary>A 1x1 projection and its batch norm, registered as children 0 and 1.</summary>
[Block]
public partial class KeyedProjection
{
    [Param] private readonly int width;

    [Conv2d(nameof(width), 1, Bias = false, Key = "0")] private readonly Conv2d conv;
    [BatchNorm2d(Key = "1")] private readonly BatchNorm2d bn;
}

/// <summary>
/// A network with keys of every kind: appended (<c>features.#</c>), nested, named (<c>classifier.1</c> before
/// <c>classifier.0</c>), a stage with named children (<c>trunk.block1.block1-0</c>), and fields without keys between them.
/// </summary>
[Network(3, 16, 16)]
public partial class KeyedNet
{
    [Use(typeof(KeyedConvBn), 8, Stride = 2, Key = "features.#")] private readonly KeyedConvBn stem;
    [Stage(typeof(KeyedExpand), 2, 8, Key = "features.#")] private readonly Sequential stage1;
    [Stage(typeof(KeyedExpand), 2, 16, Stride = 2, Key = "trunk.block1", ChildKey = "block1-#")] private readonly Sequential stage2;
    [Conv2d(32, 1, Key = "features.#")] private readonly Conv2d head;
    [ReLU] private readonly ReLU relu;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Dropout(Key = "classifier.1")] private readonly Dropout drop;
    [Linear(10, Key = "classifier.0")] private readonly Linear fc;
}
