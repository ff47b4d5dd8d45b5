using System;
using System.Linq;
using static TorchSharp.torch;

namespace SeDsl;

/// <summary>The checks <see cref="Weights"/> makes on a module before it reads its state: disposed, fused.</summary>
internal static class ModuleGuard
{
    /// <summary>The module's type name, as messages name the model.</summary>
    public static string Name(nn.Module module) => module.GetType().Name;

    /// <summary>
    /// Whether the module has been disposed. TorchSharp offers no property for it; a disposed module's native handle
    /// is closed, so reading its training flag throws <see cref="ObjectDisposedException"/>, and its state_dict is empty.
    /// </summary>
    public static bool IsDisposed(nn.Module module)
    {
        try
        {
            _ = module.training;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> naming the model if it, or any of its submodules, is disposed.</summary>
    /// <param name="module">The model.</param>
    /// <param name="doing">What was asked, e.g. <c>save TinySeNet to 'a.pt'</c>.</param>
    /// <param name="outcome">What was therefore not done, e.g. <c>nothing was written</c>.</param>
    public static void ThrowIfDisposed(nn.Module module, string doing, string outcome)
    {
        if (IsDisposed(module))
        {
            throw new ObjectDisposedException(Name(module), $"Cannot {doing}: the model has been disposed; {outcome}.");
        }

        var part = module.named_modules().FirstOrDefault(m => IsDisposed(m.Item2));
        if (part.Item2 is not null)
        {
            throw new ObjectDisposedException(Name(module),
                $"Cannot {doing}: its submodule '{part.Item1}' ({Name(part.Item2)}) has been disposed; {outcome}.");
        }
    }

    /// <summary>The first fused part of the module in registration order: "" for the module itself, its name for a submodule, or null.</summary>
    public static string? FusedPart(nn.Module module)
    {
        if (module is IFusable { IsFused: true })
        {
            return "";
        }

        return module.named_modules().Where(m => m.Item2 is IFusable { IsFused: true }).Select(m => m.Item1).FirstOrDefault();
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the model (and the fused submodule) if any part is fused.</summary>
    public static void ThrowIfFused(nn.Module module, string doing, string consequence)
    {
        string? part = FusedPart(module);
        if (part is null)
        {
            return;
        }

        string which = part.Length == 0 ? $"{Name(module)} is fused" : $"its submodule '{part}' is fused";
        throw new InvalidOperationException(
            $"Cannot {doing}: {which}. Fuse() folded the batch norms into the convolutions and left the batch norms stale, so {consequence}");
    }
}
