using SeDsl;
using TorchSharp.Modules;

namespace SeDsl.Tests.Networks;

/// <summary>A classifier that flattens a 8x4x4 feature map, so it accepts only its declared input size.</summary>
[Network(1, 8, 8)]
public partial class FlatHead
{
    [Conv2d(8, 3, Stride = 2, Padding = 1)] private readonly Conv2d conv;
    [ReLU] private readonly ReLU relu;
    [Flatten] private readonly Flatten flatten;
    [Linear(3)] private readonly Linear fc;
}
