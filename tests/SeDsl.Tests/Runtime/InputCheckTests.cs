using System;
using SeDsl.Tests.Networks;
using SeDsl.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// The generated forward rejects inputs of the wrong dtype or device with a message naming the model, the layer,
/// the expected and the received values, before libtorch's own error.
/// </summary>
public class InputCheckTests
{
    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Byte)]
    public void An_input_of_another_dtype_than_the_parameters_is_rejected(ScalarType dtype)
    {
        using var model = new TinySeNet();
        using var input = zeros(new long[] { 2, 3, 32, 32 }, dtype);

        var error = Assert.Throws<ArgumentException>(() => model.forward(input));

        Assert.StartsWith(
            $"TinySeNet: layer 'conv1' expects input of dtype Float32, the dtype of the model's parameters, but received {dtype} [2, 3, 32, 32];",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_expected_dtype_follows_the_model_when_it_is_converted()
    {
        using var model = new FlatHead();
        model.to(ScalarType.Float64);
        using var wrong = zeros(1, 1, 8, 8);
        using var right = zeros(new long[] { 1, 1, 8, 8 }, ScalarType.Float64);

        var error = Assert.Throws<ArgumentException>(() => model.forward(wrong));
        using var output = model.forward(right);

        Assert.StartsWith("FlatHead: layer 'conv' expects input of dtype Float64, the dtype of the model's parameters, but received Float32 [1, 1, 8, 8];",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(ScalarType.Float64, output.dtype);
    }

    [Fact]
    public void An_input_on_another_device_than_the_parameters_is_rejected()
    {
        // No GPU here: the meta device (shapes without storage) stands in for any device other than the CPU.
        using var model = new SeResNet50();
        using var input = zeros(new long[] { 1, 3, 224, 224 }, device: device("meta"));

        var error = Assert.Throws<ArgumentException>(() => model.forward(input));

        Assert.StartsWith("SeResNet50: layer 'conv1' expects input on device cpu, where the model's parameters are, but received a tensor on meta [1, 3, 224, 224].",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shape_is_checked_before_the_dtype()
    {
        using var model = new TinySeNet();
        using var input = zeros(new long[] { 3, 32, 32 }, ScalarType.Float64);

        var error = Assert.Throws<ArgumentException>(() => model.forward(input));

        Assert.StartsWith("TinySeNet: layer 'conv1' expects input of shape [N, 3, H, W] but received [3, 32, 32].", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_without_parameters_accepts_any_dtype_and_device()
    {
        using var module = nn.ReLU();
        using var input = zeros(new long[] { 1, 2, 4, 4 }, ScalarType.Int32, device("meta"));

        SeDsl.Layers.InputCheck.Require(module, input, "Activation", "relu", channels: 2, height: 0, width: 0);
    }

    [Fact]
    public void Forward_after_dispose_names_the_model()
    {
        var model = new TinySeNet();
        using var input = zeros(1, 3, 32, 32);
        model.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => model.forward(input));

        Assert.StartsWith("TinySeNet: forward was called after the model was disposed.", error.Message, StringComparison.Ordinal);
        Assert.Equal("TinySeNet", error.ObjectName);
    }

    [Fact]
    public void A_disposed_input_is_named_as_such()
    {
        using var model = new FlatHead();
        var input = zeros(1, 1, 8, 8);
        input.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => model.forward(input));

        Assert.StartsWith("FlatHead: layer 'conv' received an input tensor that has been disposed.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_check_libtorch_fails_with_its_own_message()
    {
        // The baseline the check improves on: libtorch's error names neither the model nor the layer.
        using var conv = nn.Conv2d(3, 8, 3);
        using var input = zeros(new long[] { 1, 3, 8, 8 }, ScalarType.Float64);

        var error = Assert.ThrowsAny<Exception>(() => conv.forward(input));

        Assert.IsNotType<ArgumentException>(error);
        Assert.DoesNotContain("conv1", error.Message, StringComparison.Ordinal);
    }
}
