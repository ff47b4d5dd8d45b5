using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Tests.Networks;

/// <summary>A user's own module: a channel gate with C -> C / reduction -> C 1x1 convolutions (both with bias).</summary>
public sealed class ChannelGate : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d reduce;
    private readonly Conv2d expand;

    public ChannelGate(long inChannels, int reduction)
        : base(nameof(ChannelGate))
    {
        reduce = nn.Conv2d(inChannels, inChannels / reduction, 1);
        expand = nn.Conv2d(inChannels / reduction, inChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gate = expand.forward(reduce.forward(input.mean([2, 3], keepdim: true)).relu()).sigmoid();
        return input.mul(gate).MoveToOuterDisposeScope();
    }
}

/// <summary>A user's own module that changes the shape: a 3x3 convolution (padding 1, no bias) with a stride.</summary>
public sealed class StridedConv : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public StridedConv(long inChannels, long outChannels, int stride)
        : base(nameof(StridedConv))
    {
        conv = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => conv.forward(input);
}

/// <summary>Custom layers in a network: one that keeps the shape, one that widens and strides; counts as declared.</summary>
[Network(3, 15, 15)]
public partial class CustomNet
{
    [Conv2d(16, 3, Padding = 1)] private readonly Conv2d stem;
    [Custom(typeof(ChannelGate), 4, Parameters = "2 * inChannels * (inChannels / 4) + inChannels + inChannels / 4", MultiplyAdds = "2 * inChannels * (inChannels / 4)")]
    private readonly ChannelGate gate;
    [Custom(typeof(StridedConv), "inChannels * 2", 2, OutChannels = "inChannels * 2", Stride = 2, Parameters = "inChannels * 2 * inChannels * 9",
        MultiplyAdds = "inChannels * 2 * inChannels * 9 * ((height + 1) / 2) * ((width + 1) / 2)")]
    private readonly nn.Module<Tensor, Tensor> down;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>A residual block with a custom gate and stochastic depth on the body, before the addition (EfficientNet's MBConv).</summary>
[Block(Residual = true)]
public partial class GatedBlock
{
    [Param] private readonly int planes;

    [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv1;
    [BatchNorm2d] private readonly BatchNorm2d bn1;
    [ReLU] private readonly ReLU relu1;
    [Custom(typeof(ChannelGate), 4, Parameters = "2 * inChannels * (inChannels / 4) + inChannels + inChannels / 4", MultiplyAdds = "2 * inChannels * (inChannels / 4)")]
    private readonly ChannelGate gate;
    [DropPath(0.25)] private readonly DropPath drop;
}

/// <summary>A small network of <see cref="GatedBlock"/>s.</summary>
[Network(3, 16, 16)]
public partial class GatedNet
{
    [Conv2d(8, 3, Padding = 1, Bias = false)] private readonly Conv2d stem;
    [Stage(typeof(GatedBlock), 2, 16, Stride = 2)] private readonly Sequential layer1;
    [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
    [Flatten] private readonly Flatten flatten;
    [Linear(10)] private readonly Linear fc;
}

/// <summary>A custom layer whose declared parameter count is wrong: creating the network must throw.</summary>
[Network(3, 8, 8)]
public partial class LyingCustomNet
{
    [Conv2d(8, 1)] private readonly Conv2d conv;
    [Custom(typeof(ChannelGate), 4, Parameters = "2 * inChannels * (inChannels / 4)")] private readonly ChannelGate gate;
}

/// <summary>A custom layer whose declared output channels are wrong: forward must throw.</summary>
[Network(3, 8, 8)]
public partial class WrongShapeCustomNet
{
    [Conv2d(8, 1)] private readonly Conv2d conv;
    [Custom(typeof(ChannelGate), 4, OutChannels = "16", Parameters = "2 * inChannels * (inChannels / 4) + inChannels + inChannels / 4")] private readonly ChannelGate gate;
}

/// <summary>A user's module that returns a tensor it keeps (of one sample, 3 x 3): nothing after it may overwrite that.</summary>
public sealed class StoredTensor : nn.Module<Tensor, Tensor>
{
    public StoredTensor(long inChannels)
        : base(nameof(StoredTensor))
    {
        Values = full(1, inChannels, 3, 3, -1f);
    }

    public Tensor Values { get; }

    public override Tensor forward(Tensor input) => Values;
}

/// <summary>A ReLU after a custom layer whose output is the module's own tensor (its input a temporary of forward).</summary>
[Network(2, 3, 3)]
public partial class StoredTensorNet
{
    [Conv2d(2, 1)] private readonly Conv2d conv;
    [Custom(typeof(StoredTensor))] private readonly StoredTensor stored;
    [ReLU] private readonly ReLU relu;

    public Tensor Stored => stored.Values;
}
