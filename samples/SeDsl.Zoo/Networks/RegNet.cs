using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// RegNetY's residual bottleneck (torchvision's <c>ResBottleneckBlock</c> with bottleneck ratio 1): 1x1, grouped 3x3
/// with the block's stride (groups = width / group width), an SE block of width in / 4 (torchvision: round(0.25 x in),
/// equal for every RegNetY-400MF width), and a linear 1x1; the projection shortcut is named <c>proj</c> and registered first, as torchvision's.
/// </summary>
[Block(Residual = true, ShortcutName = "proj", ShortcutFirst = true)]
public partial class RegNetYBlock
{
    [Param] private readonly int width;
    [Param] private readonly int groupWidth;

    [Use(typeof(ConvNormAct), nameof(width), 1, 1, Activation.ReLU, 1e-5, 0.1, Key = "f.a")] private readonly ConvNormAct a;
    [Use(typeof(ConvNormAct), nameof(width), 3, "width / groupWidth", Activation.ReLU, 1e-5, 0.1, Stride = Strides.OfBlock, Key = "f.b")] private readonly ConvNormAct b;
    [SqueezeExcite(Width = "inChannels / 4", Key = "f.se")] private readonly SqueezeExcitation se;
    [Use(typeof(ConvNormAct), nameof(width), 1, 1, Activation.None, 1e-5, 0.1, Key = "f.c")] private readonly ConvNormAct c;
}

/// <summary>RegNetY-400MF as torchvision's <c>regnet_y_400mf</c>: widths 48, 104, 208, 440, depths 1, 3, 6, 6, group width 8; 4,344,144 parameters.</summary>
[Network(3, 224, 224)]
public partial class RegNetY400MF
{
    [Use(typeof(ConvNormAct), 32, 3, 1, Activation.ReLU, 1e-5, 0.1, Stride = 2)] private readonly ConvNormAct stem;
    [Stage(typeof(RegNetYBlock), 1, 48, 8, Stride = 2, Key = "trunk_output.block1", ChildKey = "block1-#")] private readonly Sequential block1;
    [Stage(typeof(RegNetYBlock), 3, 104, 8, Stride = 2, Key = "trunk_output.block2", ChildKey = "block2-#")] private readonly Sequential block2;
    [Stage(typeof(RegNetYBlock), 6, 208, 8, Stride = 2, Key = "trunk_output.block3", ChildKey = "block3-#")] private readonly Sequential block3;
    [Stage(typeof(RegNetYBlock), 6, 440, 8, Stride = 2, Key = "trunk_output.block4", ChildKey = "block4-#")] private readonly Sequential block4;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
    [Flatten] private readonly Flatten flatten;
    [Linear(1000)] private readonly Linear fc;
}
