using System;
using System.Collections.Generic;
using System.Linq;
using SeDsl.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Training;

/// <summary>
/// Mixed-precision training of one module, as <c>torch.autocast</c> does it on the CPU (TorchSharp 0.107 has no
/// autocast): float32 master copies of the parameters of every convolution and linear layer, which the optimizer
/// updates; 16-bit copies of them in the module, which forward and backward compute with; batch norms (their affine
/// parameters and running statistics), the loss and every gradient the optimizer reads in float32. The state belongs to
/// this instance and its module alone; nothing global changes.
/// </summary>
/// <remarks>
/// <para>Between <see cref="Enter"/> and <see cref="Exit"/> the module's convolutions and linear layers hold bfloat16
/// parameters; outside, the module is float32 again with the masters' values, so evaluation, weight files and
/// checkpoints see float32. Each conversion creates new parameter tensors in those layers: build the optimizer on
/// <see cref="Parameters"/>, not on the module's parameters.</para>
/// <para>bfloat16 has float32's exponent range, so small gradients do not underflow and no loss scaling is needed.
/// float16 would need it (a loss multiplied by a dynamic scale before backward, gradients divided by it and steps
/// skipped on overflow), so it is not offered.</para>
/// <para>The module's first layer with parameters should be a convolution or linear layer: the input is cast to
/// bfloat16 (<see cref="Input"/>), and a float32 layer before the first convolution would pass it on in float32.</para>
/// </remarks>
/// <example>
/// <code>
/// using var mixed = new MixedPrecision(model);
/// using var optimizer = optim.SGD(mixed.Parameters, 0.01, momentum: 0.9);
/// mixed.Enter();
/// optimizer.zero_grad();
/// var loss = nn.functional.cross_entropy(model.forward(mixed.Input(input)).to(ScalarType.Float32), target);
/// loss.backward();
/// mixed.Step(optimizer);
/// mixed.Exit();
/// </code>
/// </example>
public sealed class MixedPrecision : IDisposable
{
    private readonly ScalarType compute;
    private readonly List<Layer> layers = [];
    private bool entered;
    private bool disposed;

    /// <summary>Prepares mixed precision for <paramref name="model"/> (float32): copies its convolutions' and linear layers' parameters as masters.</summary>
    /// <param name="model">The module to train, float32.</param>
    /// <param name="precision">The compute type: <see cref="Precision.BFloat16"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is not bfloat16 (float32 needs no masters; float16 would need loss scaling).</exception>
    /// <exception cref="ArgumentException">A parameter of <paramref name="model"/> is not float32.</exception>
    public MixedPrecision(nn.Module model, Precision precision = Precision.BFloat16)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (precision != Precision.BFloat16)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision,
                "Mixed-precision training computes in bfloat16; float32 needs none, and float16 would need loss scaling, which is not offered.");
        }

        compute = PrecisionPlan.ScalarTypeOf(precision);
        if (model.parameters().FirstOrDefault(p => p.dtype != ScalarType.Float32) is { } other)
        {
            throw new ArgumentException($"Mixed precision starts from a float32 module, but it has a {other.dtype} parameter.", nameof(model));
        }

        var masters = new Dictionary<Parameter, Parameter>(ReferenceEqualityComparer.Instance);
        using (no_grad())
        {
            foreach (var (_, module) in model.named_modules().Prepend(("", model)))
            {
                if (module is not (Convolution or Linear) || module is not nn.Module<Tensor, Tensor> layerModule)
                {
                    continue;
                }

                var own = module.named_parameters(recurse: false).ToList();
                var layer = new Layer(layerModule, own.Select(p => p.name).ToArray(), own.Select(p => new Parameter(p.parameter.detach().clone(), p.parameter.requires_grad)).ToArray());
                layers.Add(layer);
                for (int i = 0; i < own.Count; i++)
                {
                    masters[own[i].parameter] = layer.Masters[i];
                }
            }
        }

        Parameters = model.parameters().Select(p => masters.TryGetValue(p, out var master) ? master : p).ToList();
    }

    /// <summary>
    /// What the optimizer updates, in the order of the module's <c>parameters()</c>: the float32 master of each
    /// convolution and linear parameter, and every other parameter (batch norms, ...) itself.
    /// </summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Whether the module holds its 16-bit copies now.</summary>
    public bool IsEntered => entered;

    /// <summary>Copies the module's current float32 values into the masters: after loading weights into it outside <see cref="Enter"/>.</summary>
    /// <exception cref="InvalidOperationException">Called between <see cref="Enter"/> and <see cref="Exit"/>.</exception>
    public void PullFromModule()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (entered)
        {
            throw new InvalidOperationException("The module holds its bfloat16 copies; call Exit first.");
        }

        using var noGrad = no_grad();
        foreach (var layer in layers)
        {
            var current = layer.Current();
            for (int i = 0; i < current.Length; i++)
            {
                layer.Masters[i].copy_(current[i]);
            }
        }
    }

    /// <summary>Puts 16-bit copies of the masters into the module's convolutions and linear layers. Does nothing if entered already.</summary>
    public void Enter()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (entered)
        {
            return;
        }

        using var noGrad = no_grad();
        foreach (var layer in layers)
        {
            layer.Module.to(compute);
            layer.Compute = layer.Current();
            CopyMasters(layer);
        }

        entered = true;
    }

    /// <summary>The input cast to the compute type (floating-point inputs only; others are returned as they are).</summary>
    public Tensor Input(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return entered && is_floating_point(input) && input.dtype != compute ? input.to(compute) : input;
    }

    /// <summary>
    /// After <c>backward</c>: gives each master the float32 gradient of its 16-bit copy (and clears the copy's),
    /// lets <paramref name="optimizer"/> step on the masters, and copies the updated masters into the module.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside <see cref="Enter"/> and <see cref="Exit"/>.</exception>
    public void Step(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!entered)
        {
            throw new InvalidOperationException("Step needs the bfloat16 copies in the module; call Enter first.");
        }

        using (no_grad())
        {
            foreach (var layer in layers)
            {
                for (int i = 0; i < layer.Compute.Length; i++)
                {
                    using var gradient = layer.Compute[i].grad;
                    if (gradient is null)
                    {
                        continue;
                    }

                    var master = layer.Masters[i];
                    using var existing = master.grad;
                    if (existing is null)
                    {
                        master.grad = gradient.to(ScalarType.Float32);
                    }
                    else
                    {
                        existing.copy_(gradient);
                    }

                    gradient.zero_();
                }
            }
        }

        optimizer.step();
        using (no_grad())
        {
            foreach (var layer in layers)
            {
                CopyMasters(layer);
            }
        }
    }

    /// <summary>Makes the module's convolutions and linear layers float32 again, with the masters' values. Does nothing if not entered.</summary>
    public void Exit()
    {
        if (!entered || disposed)
        {
            return;
        }

        using var noGrad = no_grad();
        foreach (var layer in layers)
        {
            layer.Module.to(ScalarType.Float32);
            layer.Compute = layer.Current();
            CopyMasters(layer);
        }

        entered = false;
    }

    /// <summary>Leaves the module float32 (<see cref="Exit"/>) and frees the masters.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        Exit();
        disposed = true;
        foreach (var master in layers.SelectMany(l => l.Masters))
        {
            master.Dispose();
        }
    }

    private static void CopyMasters(Layer layer)
    {
        for (int i = 0; i < layer.Compute.Length; i++)
        {
            layer.Compute[i].copy_(layer.Masters[i]);
        }
    }

    /// <summary>A convolution or linear layer: its parameters' names, their float32 masters and the tensors it holds now.</summary>
    private sealed class Layer(nn.Module<Tensor, Tensor> module, string[] names, Parameter[] masters)
    {
        public nn.Module<Tensor, Tensor> Module { get; } = module;

        public Parameter[] Masters { get; } = masters;

        public Parameter[] Compute { get; set; } = [];

        public Parameter[] Current()
        {
            var own = Module.named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter);
            return names.Select(n => own[n]).ToArray();
        }
    }
}
