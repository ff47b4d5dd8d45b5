using System;
using SeDsl.Layers;
using SeDsl.Tests.Samples;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// The fused path's 1x1 convolutions (<see cref="PointwiseConvolution"/>): as a matrix product they agree with the
/// convolution, keep channels-last, and are taken only for bfloat16 channels-last inputs of 1x1 ungrouped unpadded
/// convolutions with enough weights per output position; everything else is the module's own forward, bit for bit.
/// </summary>
[Collection(TorchSeedCollection.Name)]
public class PointwiseConvolutionTests
{
    private static Conv2d Convolution(long inChannels, long outChannels, long kernel = 1, long stride = 1, long padding = 0, long groups = 1, bool bias = true)
    {
        manual_seed(3);
        var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, groups: groups, bias: bias);
        conv.eval();
        return conv;
    }

    private static Tensor Activation(long batch, long channels, long side, ScalarType type, bool channelsLast)
    {
        using var values = randn(new[] { batch, channels, side, side }, generator: new torch.Generator(11));
        using var typed = values.to(type);
        return channelsLast ? MemoryLayout.ToChannelsLast(typed) : typed.clone();
    }

    private static bool Same(Tensor actual, Tensor expected) => actual.allclose(expected, rtol: 0, atol: 0);

    private static double RelativeError(Tensor actual, Tensor expected) =>
        (actual.to(ScalarType.Float32) - expected.to(ScalarType.Float32)).norm().item<float>() / expected.to(ScalarType.Float32).norm().item<float>();

    [Theory]
    [InlineData(1L, true)]
    [InlineData(2L, true)]
    [InlineData(1L, false)]
    [InlineData(2L, false)]
    public void The_matrix_product_agrees_with_the_convolution_and_stays_channels_last(long stride, bool bias)
    {
        using var conv = Convolution(256, 128, stride: stride, bias: bias);
        using var scope = NewDisposeScope();
        // 256 x 128 weights on 2 x 4 x 4 (stride 1) or 2 x 2 x 2 (stride 2) output positions: 1,024 or 4,096 per position.
        var input = Activation(2, 256, stride == 1 ? 4 : 3, ScalarType.Float32, channelsLast: false);
        var expected = conv.forward(input);
        conv.to(ScalarType.BFloat16);
        var bf16Input = MemoryLayout.ToChannelsLast(input.to(ScalarType.BFloat16));
        var copy = bf16Input.clone();
        var direct = conv.forward(bf16Input);

        Assert.True(PointwiseConvolution.Applies(conv, bf16Input) == (stride == 2), "the rule: at least 2,048 weights per output position");
        var actual = PointwiseConvolution.Forward(conv, bf16Input);

        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.True(MemoryLayout.IsChannelsLast(actual), "The result should keep the channels-last strides of its input.");
        Assert.True(RelativeError(actual, expected) <= 0.01, $"{RelativeError(actual, expected):P2} from float32");
        Assert.True(RelativeError(actual, direct) <= 0.01, $"{RelativeError(actual, direct):P2} from the bfloat16 convolution");
        Assert.True(Same(bf16Input, copy), "The input must be left as it was.");
    }

    [Fact]
    public void The_matrix_product_is_taken_where_the_weights_outnumber_the_positions_enough()
    {
        using var conv = Convolution(512, 512);
        conv.to(ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        // 262,144 weights: 128 positions give 2,048 each (taken), 144 give 1,820 (not).
        Assert.True(PointwiseConvolution.Applies(conv, Activation(2, 512, 8, ScalarType.BFloat16, channelsLast: true)));
        Assert.False(PointwiseConvolution.Applies(conv, Activation(1, 512, 12, ScalarType.BFloat16, channelsLast: true)));
        var taken = Activation(1, 512, 7, ScalarType.BFloat16, channelsLast: true);
        Assert.True(PointwiseConvolution.Applies(conv, taken));
        Assert.True(RelativeError(PointwiseConvolution.Forward(conv, taken), conv.forward(taken)) <= 0.01);
    }

    [Fact]
    public void Float32_nchw_and_other_kernels_run_the_modules_own_forward_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var pointwise = Convolution(512, 512);
        var float32 = Activation(1, 512, 4, ScalarType.Float32, channelsLast: true);
        Assert.False(PointwiseConvolution.Applies(pointwise, float32));
        Assert.True(Same(PointwiseConvolution.Forward(pointwise, float32), pointwise.forward(float32)));

        pointwise.to(ScalarType.BFloat16);
        var nchw = Activation(1, 512, 4, ScalarType.BFloat16, channelsLast: false);
        Assert.False(PointwiseConvolution.Applies(pointwise, nchw));
        Assert.True(Same(PointwiseConvolution.Forward(pointwise, nchw), pointwise.forward(nchw)));

        var bf16 = Activation(1, 512, 4, ScalarType.BFloat16, channelsLast: true);
        using var wide = Convolution(512, 512, kernel: 3, padding: 1);
        using var padded = Convolution(512, 512, padding: 1);
        using var grouped = Convolution(512, 512, groups: 2);
        foreach (var conv in new[] { wide, padded, grouped })
        {
            conv.to(ScalarType.BFloat16);
            Assert.False(PointwiseConvolution.Applies(conv, bf16));
            Assert.True(Same(PointwiseConvolution.Forward(conv, bf16), conv.forward(bf16)));
        }

        // Not a convolution: its forward.
        using var relu = nn.ReLU();
        Assert.True(Same(PointwiseConvolution.Forward(relu, bf16), bf16.relu()));
    }
}
