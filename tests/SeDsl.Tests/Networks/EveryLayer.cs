using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>Every layer kind once, with non-default arguments.</summary>
[Network(4, 31, 29)]
public partial class EveryLayer
{
    [Conv2d(24, 5, Stride = 2, Padding = 2, Dilation = 1, Groups = 2)] private readonly Conv2d conv;
    [BatchNorm2d(Eps = 1e-3, Momentum = 0.01)] private readonly BatchNorm2d bn;
    [ReLU6] private readonly ReLU6 relu6;
    [DepthwiseConv2d(3, Multiplier = 2, Padding = Pad.Same, Bias = false)] private readonly Conv2d dw;
    [HardSigmoid] private readonly Hardsigmoid hsig;
    [ChannelShuffle(3)] private readonly ChannelShuffle shuffle;
    [AvgPool2d(3, Stride = 2, Padding = 1, CeilMode = true)] private readonly AvgPool2d avg;
    [SiLU] private readonly SiLU silu;
    [SqueezeExcite(r: 4, Squeeze = SqueezeOperator.Max, Gate = ExcitationGate.Tanh, Divisor = 8, Bias = false)] private readonly SqueezeExcitation se;
    [MaxPool2d(2, CeilMode = true)] private readonly MaxPool2d max;
    [Tanh] private readonly Tanh tanh;
    [Sigmoid] private readonly Sigmoid sigmoid;
    [Identity] private readonly Identity id;
    [GlobalMaxPool] private readonly AdaptiveMaxPool2d gmp;
    [Flatten] private readonly Flatten flatten;
    [Dropout(0.25)] private readonly Dropout drop;
    [DropPath(0.1)] private readonly DropPath droppath;
    [Linear(7, Bias = false)] private readonly Linear fc;
}
