using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>A small residual unit whose SE block and stride placement are parameters, with defaults.</summary>
[Block(Residual = true)]
public partial class FamilyUnit
{
    [Param] private readonly int width;
    [Param(Default = false)] private readonly bool se;
    [Param(Default = true)] private readonly bool strideFirst;

    [Conv2d(nameof(width), 3, Stride = "strideFirst ? stride : 1", Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu;
    [Conv2d(nameof(width), 3, Stride = "strideFirst ? 1 : stride", Padding = 1, Bias = false)] private readonly Conv2d conv2;
    [BatchNorm2d] private readonly BatchNorm2d bn2;
    [SqueezeExcite(r: 4, When = nameof(se))] private readonly SqueezeExcitation? excite;
}

/// <summary>A network family: the stem, two stages whose depths and SE are parameters, with SE a dropout, the head.</summary>
[Network(3, 16, 16)]
public partial class SmallFamily
{
    [Param] private readonly int depth1;
    [Param] private readonly int depth2;
    [Param(Default = false)] private readonly bool se;
    [Param(Default = 0.5)] private readonly double dropout;

    [Conv2d(8, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
    [Stage(typeof(FamilyUnit), nameof(depth1), 8, nameof(se))] private readonly Sequential layer1;
    [Stage(typeof(FamilyUnit), nameof(depth2), 16, nameof(se), false, Stride = 2)] private readonly Sequential layer2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Dropout(nameof(dropout), When = nameof(se))] private readonly Dropout? drop;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>A network of the family with its defaults: no SE, no dropout.</summary>
[Network(typeof(SmallFamily), 1, 2)]
public partial class SmallFamilyPlain;

/// <summary>A network of the family with SE blocks and dropout.</summary>
[Network(typeof(SmallFamily), 2, 1, true, 0.25)]
public partial class SmallFamilySe;

/// <summary><see cref="SmallFamilySe"/> written out by hand, for comparison.</summary>
[Network(3, 16, 16)]
public partial class SmallFamilySeByHand
{
    [Conv2d(8, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [BatchNorm2d] private readonly BatchNorm2d bn;
    [ReLU] private readonly ReLU relu;
    [Stage(typeof(FamilyUnit), 2, 8, true, true)] private readonly Sequential layer1;
    [Stage(typeof(FamilyUnit), 1, 16, true, false, Stride = 2)] private readonly Sequential layer2;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Dropout(0.25)] private readonly Dropout drop;
    [Linear(10)] private readonly Linear fc;
}
