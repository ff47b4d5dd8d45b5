using System;
using System.Linq;
using SeDsl.Layers;
using SeDsl.Tests.Samples;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// The fused path's convolutions (<see cref="MatrixProductConvolution"/>): as a matrix product they agree with the
/// convolution (1x1 and k x k, strided, padded, with and without bias), keep channels-last, and are taken only for
/// bfloat16 channels-last inputs of ungrouped undilated zero-padded convolutions with enough weights per kernel tap and
/// output position; everything else is the module's own forward, bit for bit.
/// </summary>
[Collection(TorchSeedCollection.Name)]
public class MatrixProductConvolutionTests
{
    private static Conv2d Convolution(long inChannels, long outChannels, long kernel = 1, long stride = 1, long padding = 0, long groups = 1, bool bias = true, long dilation = 1, PaddingModes mode = PaddingModes.Zeros)
    {
        manual_seed(3);
        var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias, padding_mode: mode);
        conv.eval();
        return conv;
    }

    private static Tensor Activation(long batch, long channels, long side, ScalarType type, bool channelsLast)
    {
        using var values = randn(new[] { batch, channels, side, side }, generator: new torch.Generator(11));
        using var typed = values.to(type);
        return channelsLast ? MemoryLayout.ToChannelsLast(typed) : typed.clone();
    }

    /// <summary>
    /// <c>MatrixProductConvolution.Forward</c> where its rule takes the product: the convolution's shape, bfloat16,
    /// channels-last, within 1 % of the float32 and of the bfloat16 convolution, and the input left as
    /// <paramref name="copy"/> shows it.
    /// </summary>
    private static void AssertProductAgrees(Conv2d conv, Tensor bf16Input, Tensor copy, Tensor expected, Tensor direct)
    {
        var actual = MatrixProductConvolution.Forward(conv, bf16Input);

        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.True(MemoryLayout.IsChannelsLast(actual), "The result should keep the channels-last strides of its input.");
        Assert.True(RelativeError(actual, expected) <= 0.01, $"{RelativeError(actual, expected):P2} from float32");
        Assert.True(RelativeError(actual, direct) <= 0.01, $"{RelativeError(actual, direct):P2} from the bfloat16 convolution");
        Assert.True(Same(bf16Input, copy), "The input must be left as it was.");
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

        Assert.True(MatrixProductConvolution.Applies(conv, bf16Input) == (stride == 2), "the rule: at least 2,048 weights per output position");
        AssertProductAgrees(conv, bf16Input, copy, expected, direct);
    }

    [Fact]
    public void The_matrix_product_is_taken_where_the_weights_outnumber_the_positions_enough()
    {
        using var conv = Convolution(512, 512);
        conv.to(ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        // 262,144 weights: 128 positions give 2,048 each (taken), 144 give 1,820 (not).
        Assert.True(MatrixProductConvolution.Applies(conv, Activation(2, 512, 8, ScalarType.BFloat16, channelsLast: true)));
        Assert.False(MatrixProductConvolution.Applies(conv, Activation(1, 512, 12, ScalarType.BFloat16, channelsLast: true)));
        var taken = Activation(1, 512, 7, ScalarType.BFloat16, channelsLast: true);
        Assert.True(MatrixProductConvolution.Applies(conv, taken));
        Assert.True(RelativeError(MatrixProductConvolution.Forward(conv, taken), conv.forward(taken)) <= 0.01);
    }

    [Theory]
    [InlineData(3L, 1L, 1L, 7L, true)]
    [InlineData(3L, 2L, 1L, 14L, true)]
    [InlineData(3L, 1L, 0L, 9L, false)]
    [InlineData(3L, 2L, 0L, 8L, true)]
    [InlineData(5L, 1L, 2L, 6L, true)]
    [InlineData(2L, 2L, 0L, 7L, false)]
    public void A_wider_kernel_as_a_matrix_product_agrees_with_the_convolution(long kernel, long stride, long padding, long side, bool bias)
    {
        using var conv = Convolution(512, 256, kernel: kernel, stride: stride, padding: padding, bias: bias);
        using var scope = NewDisposeScope();
        var input = Activation(1, 512, side, ScalarType.Float32, channelsLast: false);
        var expected = conv.forward(input);
        conv.to(ScalarType.BFloat16);
        var bf16Input = MemoryLayout.ToChannelsLast(input.to(ScalarType.BFloat16));
        var copy = bf16Input.clone();
        var direct = conv.forward(bf16Input);

        // 512 x 256 = 131,072 weights per tap on at most 49 output positions: over 2,048 per position, so taken.
        Assert.True(MatrixProductConvolution.Applies(conv, bf16Input), "the rule: at least 2,048 weights per kernel tap and output position");
        AssertProductAgrees(conv, bf16Input, copy, expected, direct);
    }

    [Fact]
    public void A_non_square_kernel_with_its_own_padding_agrees_with_the_convolution()
    {
        manual_seed(5);
        using var conv = nn.Conv2d(256, 256, (1, 7), stride: (1, 1), padding: (0, 3), bias: true);
        conv.eval();
        using var scope = NewDisposeScope();
        // 65,536 weights per tap on 25 output positions.
        var input = Activation(1, 256, 5, ScalarType.Float32, channelsLast: false);
        var expected = conv.forward(input);
        conv.to(ScalarType.BFloat16);
        var bf16Input = MemoryLayout.ToChannelsLast(input.to(ScalarType.BFloat16));

        Assert.True(MatrixProductConvolution.Applies(conv, bf16Input));
        var actual = MatrixProductConvolution.Forward(conv, bf16Input);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(RelativeError(actual, expected) <= 0.01, $"{RelativeError(actual, expected):P2} from float32");
    }

    [Fact]
    public void A_wider_kernel_counts_its_weights_per_tap()
    {
        using var conv = Convolution(512, 512, kernel: 3, padding: 1);
        conv.to(ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        // 262,144 weights per tap (2,359,296 in all): 128 positions give 2,048 per tap (taken), 144 give 1,820 (not,
        // though all nine taps together give 16,384 per position).
        Assert.True(MatrixProductConvolution.Applies(conv, Activation(2, 512, 8, ScalarType.BFloat16, channelsLast: true)));
        Assert.False(MatrixProductConvolution.Applies(conv, Activation(1, 512, 12, ScalarType.BFloat16, channelsLast: true)));
    }

    [Fact]
    public void In_the_bf16_SE_ResNet_50_the_rule_takes_the_last_stages_3x3_convolutions_at_batch_1_only()
    {
        using var network = new SeDsl.Zoo.SeResNet50();
        network.Fuse(SeDsl.Precision.BFloat16, MemoryFormat.Nhwc);
        var modules = network.named_modules().ToDictionary(m => m.name, m => m.module);
        using var scope = NewDisposeScope();
        // layer4's 3x3: 512 x 512 weights per tap on 7 x 7 positions (5,350 per position at batch 1, 669 at batch 8);
        // layer3's: 256 x 256 on 14 x 14 (334 at batch 1). Measured: the first wins, the others tie or lose (bench layers).
        var layer4 = (Conv2d)modules["layer4.1.conv2"];
        var layer3 = (Conv2d)modules["layer3.1.conv2"];
        Assert.True(MatrixProductConvolution.Applies(layer4, Activation(1, 512, 7, ScalarType.BFloat16, channelsLast: true)));
        Assert.False(MatrixProductConvolution.Applies(layer4, Activation(8, 512, 7, ScalarType.BFloat16, channelsLast: true)));
        Assert.False(MatrixProductConvolution.Applies(layer3, Activation(1, 256, 14, ScalarType.BFloat16, channelsLast: true)));
        // The strided first block of layer4 (14 x 14 in, 7 x 7 out) too.
        Assert.True(MatrixProductConvolution.Applies((Conv2d)modules["layer4.0.conv2"], Activation(1, 512, 14, ScalarType.BFloat16, channelsLast: true)));
    }

    [Fact]
    public void The_forced_product_refuses_a_grouped_convolution_and_a_wrong_input_by_name()
    {
        using var grouped = Convolution(64, 64, kernel: 3, padding: 1, groups: 4);
        using var plain = Convolution(64, 64, kernel: 3, padding: 1);
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => MatrixProductConvolution.AsMatrixProduct(grouped, Activation(1, 64, 5, ScalarType.Float32, channelsLast: true)));
        Assert.Contains("groups 4", error.Message);
        error = Assert.Throws<ArgumentException>(() => MatrixProductConvolution.AsMatrixProduct(plain, randn(64, 5, 5)));
        Assert.Contains("shape [64, 5, 5]", error.Message);
        error = Assert.Throws<ArgumentException>(() => MatrixProductConvolution.AsMatrixProduct(plain, Activation(1, 32, 5, ScalarType.Float32, channelsLast: true)));
        Assert.Contains("input of 64 channels", error.Message);
    }

    [Fact]
    public void Float32_nchw_and_other_kernels_run_the_modules_own_forward_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var pointwise = Convolution(512, 512);
        var float32 = Activation(1, 512, 4, ScalarType.Float32, channelsLast: true);
        Assert.False(MatrixProductConvolution.Applies(pointwise, float32));
        Assert.True(Same(MatrixProductConvolution.Forward(pointwise, float32), pointwise.forward(float32)));

        pointwise.to(ScalarType.BFloat16);
        var nchw = Activation(1, 512, 4, ScalarType.BFloat16, channelsLast: false);
        Assert.False(MatrixProductConvolution.Applies(pointwise, nchw));
        Assert.True(Same(MatrixProductConvolution.Forward(pointwise, nchw), pointwise.forward(nchw)));

        var bf16 = Activation(1, 512, 4, ScalarType.BFloat16, channelsLast: true);
        using var padded = Convolution(512, 512, padding: 1);
        using var grouped = Convolution(512, 512, groups: 2);
        using var dilated = Convolution(512, 512, kernel: 3, padding: 2, dilation: 2);
        using var reflected = Convolution(512, 512, kernel: 3, padding: 1, mode: PaddingModes.Reflect);
        using var groupedWide = Convolution(512, 512, kernel: 3, padding: 1, groups: 2);
        foreach (var conv in new[] { padded, grouped, dilated, reflected, groupedWide })
        {
            conv.to(ScalarType.BFloat16);
            Assert.False(MatrixProductConvolution.Applies(conv, bf16));
            Assert.True(Same(MatrixProductConvolution.Forward(conv, bf16), conv.forward(bf16)));
        }

        // Not a convolution: its forward.
        using var relu = nn.ReLU();
        Assert.True(Same(MatrixProductConvolution.Forward(relu, bf16), bf16.relu()));
    }
}
