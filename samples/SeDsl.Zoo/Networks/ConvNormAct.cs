using SeDsl.Layers;
using TorchSharp.Modules;

namespace SeDsl.Zoo;

/// <summary>
/// A convolution without bias, its batch norm and an optional activation: torchvision's <c>Conv2dNormActivation</c>
/// (padding (kernel - 1) / 2, the block's stride), shared by MobileNet, MobileNetV3, EfficientNet and RegNet.
/// </summary>
[Block]
public partial class ConvNormAct
{
    [Param] private readonly int outChannels;
    [Param] private readonly int kernel;
    [Param] private readonly int groups;
    [Param] private readonly Activation activation;
    [Param] private readonly double eps;
    [Param] private readonly double momentum;

    [Conv2d(nameof(outChannels), nameof(kernel), Stride = Strides.OfBlock, Padding = "(kernel - 1) / 2", Groups = nameof(groups), Bias = false, Key = "0")] private readonly Conv2d conv;
    [BatchNorm2d(Eps = nameof(eps), Momentum = nameof(momentum), Key = "1")] private readonly BatchNorm2d bn;
    [Activation(nameof(activation), When = "activation != Activation.None", Key = "2")] private readonly ActivationLayer? act;
}
