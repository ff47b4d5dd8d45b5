using System;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// An element-wise activation chosen when the module is created (<see cref="ActivationAttribute"/>): no parameters, so
/// it adds no state_dict keys, and <see cref="Activation.None"/> passes its input through.
/// </summary>
public sealed class ActivationLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the activation.</summary>
    /// <param name="kind">The activation.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a named <see cref="Activation"/>.</exception>
    public ActivationLayer(Activation kind)
        : base(kind.ToString())
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a named SeDsl.Activation value");
        }

        Kind = kind;
    }

    /// <summary>The activation.</summary>
    public Activation Kind { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => Apply(Kind, input);

    /// <summary><paramref name="kind"/> applied to <paramref name="input"/>, out of place (None returns a new reference to the input).</summary>
    public static Tensor Apply(Activation kind, Tensor input) => kind switch
    {
        Activation.ReLU => nn.functional.relu(input),
        Activation.ReLU6 => nn.functional.relu6(input),
        Activation.Sigmoid => input.sigmoid(),
        Activation.Tanh => input.tanh(),
        Activation.HardSigmoid => nn.functional.hardsigmoid(input),
        Activation.SiLU => nn.functional.silu(input),
        Activation.Hardswish => nn.functional.hardswish(input),
        Activation.GELU => nn.functional.gelu(input),
        _ => input.alias(),
    };
}
