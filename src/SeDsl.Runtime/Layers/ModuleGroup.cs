using System;
using System.Globalization;
using static TorchSharp.torch;

namespace SeDsl.Layers;

/// <summary>
/// A state_dict container: a module that only holds named children, so that a generated module can register its
/// layers under other libraries' dotted keys (<c>features.0</c>, <c>trunk_output.block1</c>); TorchSharp's
/// <c>register_module</c>, like PyTorch's, takes one name without dots. It has no <c>forward</c>: the generated
/// <c>forward</c> calls the layers' fields, so hooks on the layers still run.
/// </summary>
public sealed class ModuleGroup : nn.Module
{
    private int count;

    /// <summary>Creates an empty container.</summary>
    public ModuleGroup()
        : base(nameof(ModuleGroup))
    {
    }

    /// <summary>Registers <paramref name="module"/> as the child <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or holds a dot.</exception>
    /// <exception cref="InvalidOperationException">A child of that name exists.</exception>
    public ModuleGroup Add(string name, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A child's name must be non-empty and without dots, not '{name}'.", nameof(name));
        }

        register_module(name, module);
        count++;
        return this;
    }

    /// <summary>Registers <paramref name="module"/> under the next index: the number of children added so far (a key's <c>#</c>).</summary>
    public ModuleGroup Append(nn.Module module) => Add(count.ToString(CultureInfo.InvariantCulture), module);
}
