using System;
using SeDsl.Zoo;
using static TorchSharp.torch;

namespace SeDsl.Tests.Fidelity;

/// <summary>A zoo model with a torchvision counterpart: how to build it, fuse it, and its compile-time count.</summary>
/// <param name="Name">The zoo class name, which is also the fixture's file name and the script's row.</param>
/// <param name="Create">A new module with TorchSharp's initial weights.</param>
/// <param name="Fuse">The generated <c>Fuse(channelsLast)</c>.</param>
/// <param name="ParameterCount">The generated compile-time <c>ParameterCount</c>.</param>
internal sealed record FidelityCase(
    string Name,
    Func<nn.Module<Tensor, Tensor>> Create,
    Func<nn.Module<Tensor, Tensor>, bool, nn.Module<Tensor, Tensor>> Fuse,
    long ParameterCount)
{
    /// <summary>
    /// Whether the formula weights make the model's outputs depend on its input (false where they barely do, so that the
    /// output comparison checks less; docs/fidelity.md gives the figures).
    /// </summary>
    public bool InputSensitive { get; init; } = true;

    private static FidelityCase Of<T>(Func<T> create, Func<T, bool, T> fuse, long parameterCount)
        where T : nn.Module<Tensor, Tensor> =>
        new(typeof(T).Name, () => create(), (module, channelsLast) => fuse((T)module, channelsLast), parameterCount);

    /// <summary>
    /// Every model checked against torchvision: one row here and one in <c>MODELS</c> of
    /// tests/scripts/fidelity_fixtures.py per model (docs/fidelity.md lists the ones pending).
    /// </summary>
    public static readonly FidelityCase[] All =
    {
        Of(() => new ResNet18(), (m, channelsLast) => m.Fuse(channelsLast), ResNet18.ParameterCount),
        Of(() => new ResNet34(), (m, channelsLast) => m.Fuse(channelsLast), ResNet34.ParameterCount),
        Of(() => new ResNet50(), (m, channelsLast) => m.Fuse(channelsLast), ResNet50.ParameterCount),
        Of(() => new ResNet101(), (m, channelsLast) => m.Fuse(channelsLast), ResNet101.ParameterCount),
        Of(() => new ResNet152(), (m, channelsLast) => m.Fuse(channelsLast), ResNet152.ParameterCount),
        Of(() => new ResNeXt50(), (m, channelsLast) => m.Fuse(channelsLast), ResNeXt50.ParameterCount),
        Of(() => new RegNetY400MF(), (m, channelsLast) => m.Fuse(channelsLast), RegNetY400MF.ParameterCount),
        Of(() => new EfficientNetB0(), (m, channelsLast) => m.Fuse(channelsLast), EfficientNetB0.ParameterCount) with { InputSensitive = false },
        Of(() => new MobileNetV3Large(), (m, channelsLast) => m.Fuse(channelsLast), MobileNetV3Large.ParameterCount) with { InputSensitive = false },
        Of(() => new MobileNetV3Small(), (m, channelsLast) => m.Fuse(channelsLast), MobileNetV3Small.ParameterCount) with { InputSensitive = false },
        Of(() => new Vgg16(), (m, channelsLast) => m.Fuse(channelsLast), Vgg16.ParameterCount),
    };
}
