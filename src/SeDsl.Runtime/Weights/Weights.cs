using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SeDsl.Pickle;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SeDsl;

/// <summary>
/// Loads and saves a module's <c>state_dict</c> as PyTorch does: safetensors files (through TorchSharp.PyBridge) and
/// <c>torch.save</c> files (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>, read and written by SeDsl's own zip and pickle code).
/// Generated networks use timm's and torchvision's key names, so their weights load by name.
/// </summary>
/// <remarks>
/// <para>Loading reads the whole file first, compares it with the model, and copies only when everything fits
/// (or, with <c>strict: false</c>, copies what fits and reports the rest): a file that does not fit never leaves
/// the model half loaded. <see cref="WeightsLoadOptions"/> reads checkpoints that nest the state_dict, maps keys
/// and converts floating-point types, each on request.</para>
/// <para>Saving is atomic: the file is written beside the target under a temporary name, flushed to disk and
/// renamed over the target, so an interrupted save leaves the previous file intact; the next save to the same path
/// removes what interrupted ones left. Keys are written in the order PyTorch's <c>state_dict()</c> lists them.
/// A disposed or fused model is refused.</para>
/// </remarks>
/// <example>
/// <code>
/// using var model = new SeResNet50();
/// Weights.Save(model, "seresnet50.safetensors");
/// Weights.Load(model, "seresnet50.safetensors");      // throws WeightsMismatchException naming every bad key
/// WeightsLoadReport report = Weights.Load(model, "timm.pth", strict: false);   // loads what fits
/// Weights.Load(model, "checkpoint.pth", new WeightsLoadOptions { Entry = "state_dict", KeyMap = WeightsKeyMap.StripPrefix("module.") });
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

    /// <summary>
    /// Writes the module's <c>state_dict</c> (parameters and buffers, in PyTorch's order) to <paramref name="path"/>,
    /// atomically, and removes temporary files that earlier interrupted saves to the same path left behind.
    /// </summary>
    /// <param name="module">Any TorchSharp module; its tensors may live on any device.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="format">The format; by default the one the extension implies (<see cref="FormatOf"/>).</param>
    /// <exception cref="ObjectDisposedException">The module, or one of its submodules, has been disposed; the file is left as it was.</exception>
    /// <exception cref="InvalidOperationException">The module, or one of its submodules, is fused (<see cref="IFusable"/>); the file is left as it was.</exception>
    public static void Save(nn.Module module, string path, WeightsFormat? format = null) => Save(module, path, format, intercept: null);

    /// <summary><see cref="Save(nn.Module, string, WeightsFormat?)"/> with a hook on the temporary file's stream, for fault-injection tests.</summary>
    internal static void Save(nn.Module module, string path, WeightsFormat? format, Func<Stream, Stream>? intercept)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        WeightsFormat resolved = format ?? FormatOf(path);
        string doing = $"save {ModuleGuard.Name(module)} to '{path}'";
        // A disposed module has an empty state_dict: saving it would replace a good checkpoint with an empty one.
        ModuleGuard.ThrowIfDisposed(module, doing, "nothing was written");
        ModuleGuard.ThrowIfFused(module, doing,
            "the file would not reload into an unfused model as the same function. Save before Fuse(); nothing was written.");

        using var scope = NewDisposeScope();
        // Detached contiguous CPU views, as torch.save(model.state_dict()) stores them; the scope frees the views only.
        var state = new List<KeyValuePair<string, Tensor>>();
        foreach (var (key, tensor) in StateDictOrder.Of(module))
        {
            if (tensor.IsInvalid)
            {
                throw new ObjectDisposedException(ModuleGuard.Name(module), $"Cannot {doing}: its tensor '{key}' has been disposed; nothing was written.");
            }

            state.Add(new(key, tensor.detach().cpu().contiguous()));
        }

        AtomicFile.Write(path, stream =>
        {
            if (resolved == WeightsFormat.Safetensors)
            {
                var ordered = new Dictionary<string, Tensor>(state.Count);
                foreach (var (key, tensor) in state)
                {
                    ordered.Add(key, tensor);
                }

                Safetensors.SaveStateDict(stream, ordered, leaveOpen: true);
            }
            else
            {
                TorchSaveWriter.Write(stream, state);
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
    /// <exception cref="InvalidOperationException">The module is fused (<see cref="IFusable"/>); the model is untouched.</exception>
    public static WeightsLoadReport Load(nn.Module module, string path, WeightsFormat? format = null, bool strict = true) =>
        Load(module, path, new WeightsLoadOptions { Format = format, Strict = strict });

    /// <summary>
    /// Copies the tensors of <paramref name="path"/> into the module's parameters and buffers, by key, as
    /// <paramref name="options"/> say: the checkpoint entry that holds the state_dict, a key map, dtype conversion.
    /// </summary>
    /// <inheritdoc cref="Load(nn.Module, string, WeightsFormat?, bool)" path="/exception"/>
    /// <returns>What was loaded (and converted), and what was missing, unexpected or mismatched, under the model's key names.</returns>
    public static WeightsLoadReport Load(nn.Module module, string path, WeightsLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(options);
        string doing = $"load '{path}' into {ModuleGuard.Name(module)}";
        ModuleGuard.ThrowIfDisposed(module, doing, "nothing was loaded");
        ModuleGuard.ThrowIfFused(module, doing,
            "its forward would run the loaded convolutions without their batch norms. Load into an unfused model, then call Fuse(); nothing was loaded.");
        Dictionary<string, Tensor> file = Read(path, options);
        try
        {
            Dictionary<string, Tensor> model = module.state_dict();
            WeightsLoadReport report = Compare(module, path, model, file, options.ConvertDTypes);
            if (options.Strict && !report.IsExactMatch)
            {
                throw new WeightsMismatchException(report with { Loaded = Array.Empty<string>(), Converted = Array.Empty<TensorMismatch>() });
            }

            using (no_grad())
            {
                foreach (string key in report.Loaded)
                {
                    Tensor target = model[key];
                    // copy_ converts the element type where the report says so, and moves to the target's device.
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
            Dispose(file.Values);
        }
    }

    /// <summary>Compares a file with the module's <c>state_dict</c> without loading anything.</summary>
    /// <returns>The report <see cref="Load(nn.Module, string, WeightsFormat?, bool)"/> would act on; <see cref="WeightsLoadReport.Loaded"/> lists the keys that fit.</returns>
    public static WeightsLoadReport Compare(nn.Module module, string path, WeightsFormat? format = null) =>
        Compare(module, path, new WeightsLoadOptions { Format = format });

    /// <summary>Compares a file, read as <paramref name="options"/> say, with the module's <c>state_dict</c> without loading anything.</summary>
    /// <returns>The report <see cref="Load(nn.Module, string, WeightsLoadOptions)"/> would act on.</returns>
    public static WeightsLoadReport Compare(nn.Module module, string path, WeightsLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(options);
        ModuleGuard.ThrowIfDisposed(module, $"compare '{path}' with {ModuleGuard.Name(module)}", "nothing was compared");
        Dictionary<string, Tensor> file = Read(path, options);
        try
        {
            return Compare(module, path, module.state_dict(), file, options.ConvertDTypes);
        }
        finally
        {
            Dispose(file.Values);
        }
    }

    /// <summary>Reads every tensor of a weights file, on the CPU, by key, in the file's order. The caller owns (and disposes) the tensors.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a directory.</exception>
    /// <exception cref="WeightsFileException">The file is truncated, corrupt or in another format.</exception>
    public static Dictionary<string, Tensor> Read(string path, WeightsFormat? format = null) =>
        Read(path, new WeightsLoadOptions { Format = format });

    /// <summary>
    /// Reads the tensors of a weights file as <paramref name="options"/> say (<see cref="WeightsLoadOptions.Entry"/>,
    /// <see cref="WeightsLoadOptions.KeyMap"/>; the other options concern a model and are ignored here), on the CPU,
    /// by mapped key, in the file's order. Each tensor is contiguous and owns its memory, whatever views the file held.
    /// The caller owns (and disposes) the tensors.
    /// </summary>
    /// <inheritdoc cref="Read(string, WeightsFormat?)" path="/exception"/>
    public static Dictionary<string, Tensor> Read(string path, WeightsLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(path))
        {
            throw new IOException($"Weights file '{path}' is a directory, not a file: name a .safetensors, .pt, .pth or .bin file.");
        }

        WeightsFormat resolved = options.Format ?? FormatOf(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Weights file '{path}' does not exist.", path);
        }

        if (resolved == WeightsFormat.Safetensors && options.Entry is not null)
        {
            throw new ArgumentException(
                $"'{path}' is a safetensors file, which holds one flat dictionary of tensors: it has no entry '{options.Entry}' to read; leave {nameof(WeightsLoadOptions.Entry)} null.",
                nameof(options));
        }

        List<KeyValuePair<string, Tensor>> tensors;
        using (var stream = File.OpenRead(path))
        {
            CheckHeader(stream, path, resolved);
            try
            {
                tensors = resolved == WeightsFormat.Safetensors
                    ? Safetensors.LoadStateDict(stream, leaveOpen: true).ToList()
                    : ReadTorchSave(stream, path, options.Entry);
            }
            catch (Exception e) when (e is not WeightsFileException and not OutOfMemoryException)
            {
                // The readers' own errors name neither the file nor the cause (e.g. "Attempted to read past the end of the stream").
                throw new WeightsFileException(path, resolved, $"the file is truncated or corrupt ({e.GetType().Name}: {e.Message})", e);
            }
        }

        return MapKeys(tensors, path, resolved, options.KeyMap);
    }

    private static Dictionary<string, Tensor> MapKeys(List<KeyValuePair<string, Tensor>> tensors, string path, WeightsFormat format, WeightsKeyMap map)
    {
        var result = new Dictionary<string, Tensor>(tensors.Count, StringComparer.Ordinal);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
        {
            string mapped = map.Map(key);
            if (!result.TryAdd(mapped, tensor))
            {
                Dispose(tensors.Select(t => t.Value));
                throw new WeightsFileException(path, format,
                    $"the key map ({map}) maps both '{sources[mapped]}' and '{key}' to '{mapped}'.");
            }

            sources.Add(mapped, key);
        }

        return result;
    }

    /// <summary>Selects the state_dict in the archive's pickle, then reads only its tensors.</summary>
    private static List<KeyValuePair<string, Tensor>> ReadTorchSave(Stream stream, string path, string? entry)
    {
        using var archive = TorchSaveArchive.Open(stream);
        var selected = new List<(string Key, TensorRef Ref)>();
        PyDict dict = archive.Root as PyDict ?? throw new WeightsFileException(path, WeightsFormat.PyTorch, NotADictionary(archive.Root));
        if (entry is not null)
        {
            if (!dict.TryGet(entry, out object? nested))
            {
                throw new WeightsFileException(path, WeightsFormat.PyTorch, $"it has no entry '{entry}'; its entries are {Entries(dict)}.");
            }

            dict = nested as PyDict ?? throw new WeightsFileException(path, WeightsFormat.PyTorch,
                $"its entry '{entry}' is {PyDescribe.Of(nested)}, not a state_dict.");
        }

        foreach (var (key, value) in dict.Items)
        {
            if (key is string name && value is TensorRef tensor)
            {
                selected.Add((name, tensor));
                continue;
            }

            string what = key is string ? $"entry '{key}' is {PyDescribe.Of(value)}, not a tensor" : $"it has a key that is {PyDescribe.Of(key)}, not a string";
            var nestedStateDicts = dict.Items.Where(i => i.Key is string && i.Value is PyDict d && d.Count > 0 && d.Items.All(x => x.Value is TensorRef)).ToList();
            string advice = entry is null && nestedStateDicts.Count > 0
                ? $": it is a checkpoint dictionary ({Entries(dict)}); to load the state_dict under one of its entries, say which with {nameof(WeightsLoadOptions)} {{ {nameof(WeightsLoadOptions.Entry)} = \"{nestedStateDicts[0].Key}\" }}."
                : ": save model.state_dict(), not the model or a dictionary of other values.";
            throw new WeightsFileException(path, WeightsFormat.PyTorch, what + advice);
        }

        var tensors = archive.Materialise(selected);
        return selected.Select((s, i) => new KeyValuePair<string, Tensor>(s.Key, tensors[i])).ToList();
    }

    private static string NotADictionary(object? root) => root is PyObject obj
        ? $"it holds a pickled {obj.Type} object, not a state_dict: torch.save(model) pickles the whole model with its class; save model.state_dict() instead."
        : $"it holds {PyDescribe.Of(root)}, not a state_dict (a dictionary of tensors).";

    private static string Entries(PyDict dict)
    {
        const int Shown = 12;
        var shown = dict.Items.Take(Shown).Select(i => $"'{i.Key}' ({PyDescribe.Of(i.Value)})");
        return string.Join(", ", shown) + (dict.Count > Shown ? $" and {dict.Count - Shown} more" : "");
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

    private static WeightsLoadReport Compare(nn.Module module, string path, Dictionary<string, Tensor> model, Dictionary<string, Tensor> file, bool convert)
    {
        var loaded = new List<string>();
        var missing = new List<TensorEntry>();
        var kept = new List<TensorEntry>();
        var mismatched = new List<TensorMismatch>();
        var converted = new List<TensorMismatch>();
        foreach (var (key, tensor) in model)
        {
            if (!file.TryGetValue(key, out Tensor? found))
            {
                (IsBatchNormCounter(key) ? kept : missing).Add(Entry(key, tensor));
                continue;
            }

            bool sameShape = found.shape.SequenceEqual(tensor.shape);
            if (sameShape && found.dtype == tensor.dtype)
            {
                loaded.Add(key);
            }
            else if (sameShape && convert && IsFloating(found.dtype) && IsFloating(tensor.dtype))
            {
                loaded.Add(key);
                converted.Add(new TensorMismatch(key, Entry(key, tensor), Entry(key, found)));
            }
            else
            {
                mismatched.Add(new TensorMismatch(key, Entry(key, tensor), Entry(key, found)));
            }
        }

        // Sorted keys make reports reproducible whatever the file's order.
        var unexpected = file.Where(e => !model.ContainsKey(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => Entry(e.Key, e.Value))
            .ToList();
        return new WeightsLoadReport(module.GetType().Name, path, loaded, missing, unexpected, mismatched, kept) { Converted = converted };
    }

    private static bool IsFloating(ScalarType dtype) =>
        dtype is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    private static bool IsBatchNormCounter(string key) =>
        key == "num_batches_tracked" || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    private static TensorEntry Entry(string key, Tensor tensor) => new(key, tensor.shape, tensor.dtype);

    private static void Dispose(IEnumerable<Tensor> tensors)
    {
        foreach (Tensor tensor in tensors)
        {
            tensor.Dispose();
        }
    }
}
