using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SeDsl;

/// <summary>
/// Loads and saves a module's <c>state_dict</c> as PyTorch does: safetensors files and <c>torch.save</c> files
/// (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>), through TorchSharp.PyBridge. Generated networks use timm's and
/// torchvision's key names, so their weights load by name.
/// </summary>
/// <remarks>
/// <para>Loading reads the whole file first, compares it with the model, and copies only when everything fits
/// (or, with <c>strict: false</c>, copies what fits and reports the rest): a file that does not fit never leaves
/// the model half loaded.</para>
/// <para>Saving is atomic: the file is written beside the target under a temporary name, flushed to disk and
/// renamed over the target, so an interrupted save leaves the previous file intact.</para>
/// </remarks>
/// <example>
/// <code>
/// using var model = new SeResNet50();
/// Weights.Save(model, "seresnet50.safetensors");
/// Weights.Load(model, "seresnet50.safetensors");      // throws WeightsMismatchException naming every bad key
/// WeightsLoadReport report = Weights.Load(model, "timm.pth", strict: false);   // loads what fits
/// </code>
/// </example>
public static class Weights
{
    /// <summary>The format a file name implies: <c>.safetensors</c>, or <c>.pt</c> / <c>.pth</c> / <c>.bin</c>.</summary>
    /// <exception cref="ArgumentException">The extension is none of those.</exception>
    public static WeightsFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".SAFETENSORS" => WeightsFormat.Safetensors,
            ".PT" or ".PTH" or ".BIN" => WeightsFormat.PyTorch,
            _ => throw new ArgumentException(
                $"Cannot tell the weights format of '{path}' from its extension: use .safetensors, .pt, .pth or .bin, or pass a {nameof(WeightsFormat)}.",
                nameof(path)),
        };
    }

    /// <summary>Writes the module's <c>state_dict</c> (parameters and buffers) to <paramref name="path"/>, atomically.</summary>
    /// <param name="module">Any TorchSharp module; its tensors may live on any device.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="format">The format; by default the one the extension implies (<see cref="FormatOf"/>).</param>
    public static void Save(nn.Module module, string path, WeightsFormat? format = null) => Save(module, path, format, intercept: null);

    /// <summary><see cref="Save(nn.Module, string, WeightsFormat?)"/> with a hook on the temporary file's stream, for fault-injection tests.</summary>
    internal static void Save(nn.Module module, string path, WeightsFormat? format, Func<Stream, Stream>? intercept)
    {
        ArgumentNullException.ThrowIfNull(module);
        WeightsFormat resolved = format ?? FormatOf(path);

        using var scope = NewDisposeScope();
        // Detached contiguous CPU views, as torch.save(model.state_dict()) stores them; the scope frees the views only.
        var state = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in module.state_dict())
        {
            state.Add(key, tensor.detach().cpu().contiguous());
        }

        AtomicFile.Write(path, stream =>
        {
            if (resolved == WeightsFormat.Safetensors)
            {
                Safetensors.SaveStateDict(stream, state, leaveOpen: true);
            }
            else
            {
                PyTorchPickler.PickleStateDict(stream, state, leaveOpen: true);
            }
        }, intercept);
    }

    /// <summary>
    /// Copies the tensors of <paramref name="path"/> into the module's parameters and buffers, by key.
    /// </summary>
    /// <param name="module">Any TorchSharp module; the file's tensors are copied to its tensors' devices.</param>
    /// <param name="path">A safetensors or <c>torch.save</c> file holding a <c>state_dict</c>.</param>
    /// <param name="format">The format; by default the one the extension implies (<see cref="FormatOf"/>).</param>
    /// <param name="strict">
    /// When true (the default) the file must have exactly the model's keys, shapes and element types, or nothing is
    /// loaded and <see cref="WeightsMismatchException"/> lists every difference. When false the keys that fit are
    /// loaded and the returned report lists the rest.
    /// </param>
    /// <returns>What was loaded, and what was missing, unexpected or mismatched.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WeightsFileException">The file is truncated, corrupt or in another format; the model is untouched.</exception>
    /// <exception cref="WeightsMismatchException">Strict, and the file does not fit the model; the model is untouched.</exception>
    public static WeightsLoadReport Load(nn.Module module, string path, WeightsFormat? format = null, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        Dictionary<string, Tensor> file = Read(path, format);
        try
        {
            Dictionary<string, Tensor> model = module.state_dict();
            WeightsLoadReport report = Compare(module, path, model, file);
            if (strict && !report.IsExactMatch)
            {
                throw new WeightsMismatchException(report with { Loaded = Array.Empty<string>() });
            }

            using (no_grad())
            {
                foreach (string key in report.Loaded)
                {
                    Tensor target = model[key];
                    Tensor result = target.copy_(file[key]);
                    // Some TorchSharp versions return the receiver itself, others a new handle to it: free only the latter.
                    if (!ReferenceEquals(result, target))
                    {
                        result.Dispose();
                    }
                }
            }

            return report;
        }
        finally
        {
            foreach (Tensor tensor in file.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Compares a file with the module's <c>state_dict</c> without loading anything.</summary>
    /// <returns>The report <see cref="Load"/> would act on; <see cref="WeightsLoadReport.Loaded"/> lists the keys that fit.</returns>
    public static WeightsLoadReport Compare(nn.Module module, string path, WeightsFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Dictionary<string, Tensor> file = Read(path, format);
        try
        {
            return Compare(module, path, module.state_dict(), file);
        }
        finally
        {
            foreach (Tensor tensor in file.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Reads every tensor of a weights file, on the CPU, by key. The caller owns (and disposes) the tensors.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WeightsFileException">The file is truncated, corrupt or in another format.</exception>
    public static Dictionary<string, Tensor> Read(string path, WeightsFormat? format = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        WeightsFormat resolved = format ?? FormatOf(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Weights file '{path}' does not exist.", path);
        }

        using var stream = File.OpenRead(path);
        CheckHeader(stream, path, resolved);
        try
        {
            return resolved == WeightsFormat.Safetensors
                ? Safetensors.LoadStateDict(stream, leaveOpen: true)
                : ToDictionary(PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true), path);
        }
        catch (Exception e) when (e is not WeightsFileException and not OutOfMemoryException)
        {
            // PyBridge's own errors name neither the file nor the cause (e.g. "Attempted to read past the end of the stream").
            throw new WeightsFileException(path, resolved, $"the file is truncated or corrupt ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Rejects files that cannot be the format before the reader produces a misleading error.</summary>
    private static void CheckHeader(FileStream stream, string path, WeightsFormat format)
    {
        long length = stream.Length;
        Span<byte> head = stackalloc byte[8];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (format == WeightsFormat.PyTorch)
        {
            // torch.save writes a zip archive (PyTorch 1.6 and later), which starts with a local file header.
            if (read < 4 || head[0] != (byte)'P' || head[1] != (byte)'K' || head[2] != 3 || head[3] != 4)
            {
                throw new WeightsFileException(path, format,
                    $"it is not a zip archive as torch.save writes ({length} bytes, starting {Convert.ToHexString(head[..read])}); " +
                    "files saved with _use_new_zipfile_serialization=False are not read.");
            }

            return;
        }

        // safetensors: an 8-byte little-endian header length, then that many bytes of JSON, then the data.
        ulong header = read == 8 ? BitConverter.ToUInt64(head) : 0;
        if (read < 8 || header > (ulong)(length - 8))
        {
            throw new WeightsFileException(path, format,
                $"its header length field says {header} bytes but the file has {Math.Max(0, length - 8)} after it: truncated, or not a safetensors file.");
        }
    }

    private static Dictionary<string, Tensor> ToDictionary(Hashtable table, string path)
    {
        var result = new Dictionary<string, Tensor>(table.Count);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
            {
                foreach (Tensor read in result.Values)
                {
                    read.Dispose();
                }

                throw new WeightsFileException(path, WeightsFormat.PyTorch,
                    $"entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor: save model.state_dict(), not a checkpoint dictionary or the model.");
            }

            result.Add(key, tensor);
        }

        return result;
    }

    private static WeightsLoadReport Compare(nn.Module module, string path, Dictionary<string, Tensor> model, Dictionary<string, Tensor> file)
    {
        var loaded = new List<string>();
        var missing = new List<TensorEntry>();
        var kept = new List<TensorEntry>();
        var mismatched = new List<TensorMismatch>();
        foreach (var (key, tensor) in model)
        {
            if (!file.TryGetValue(key, out Tensor? found))
            {
                (IsBatchNormCounter(key) ? kept : missing).Add(Entry(key, tensor));
                continue;
            }

            if (found.dtype == tensor.dtype && found.shape.SequenceEqual(tensor.shape))
            {
                loaded.Add(key);
            }
            else
            {
                mismatched.Add(new TensorMismatch(key, Entry(key, tensor), Entry(key, found)));
            }
        }

        // The pickle format keeps no order; sorted keys make reports reproducible.
        var unexpected = file.Where(e => !model.ContainsKey(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => Entry(e.Key, e.Value))
            .ToList();
        return new WeightsLoadReport(module.GetType().Name, path, loaded, missing, unexpected, mismatched, kept);
    }

    private static bool IsBatchNormCounter(string key) =>
        key == "num_batches_tracked" || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    private static TensorEntry Entry(string key, Tensor tensor) => new(key, tensor.shape, tensor.dtype);
}
