using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace SeDsl.Pickle;

/// <summary>
/// A <c>torch.save</c> file (PyTorch 1.6 and later): a zip archive with one top folder holding <c>data.pkl</c>
/// (the pickled object), <c>data/KEY</c> (one record per storage, raw little-endian elements) and <c>version</c>.
/// Tensors are strided views of storages, so a view with a storage offset, a channels_last or transposed tensor,
/// and several tensors sharing one storage all read as torch.load reads them. Storages are read only for the
/// tensors asked for (<see cref="Materialise"/>).
/// </summary>
internal sealed class TorchSaveArchive : IDisposable
{
    private readonly ZipArchive zip;
    private readonly string prefix;

    private TorchSaveArchive(ZipArchive zip, string prefix, object? root)
    {
        this.zip = zip;
        this.prefix = prefix;
        Root = root;
    }

    /// <summary>The unpickled object: for <c>torch.save(model.state_dict())</c> a <see cref="PyDict"/> of <see cref="TensorRef"/>s.</summary>
    public object? Root { get; }

    /// <summary>Opens the archive and unpickles <c>data.pkl</c>; no tensor data is read yet.</summary>
    /// <exception cref="InvalidDataException">The archive is not laid out as torch.save writes it, or its pickle is malformed.</exception>
    public static TorchSaveArchive Open(Stream stream)
    {
        var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        try
        {
            var pickle = zip.Entries.Where(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)
                && e.FullName.Count(c => c == '/') <= 1).ToList();
            if (pickle.Count != 1)
            {
                throw new InvalidDataException(pickle.Count == 0
                    ? "the zip archive has no data.pkl: it was not written by torch.save"
                    : "the zip archive has more than one data.pkl");
            }

            string prefix = pickle[0].FullName[..^"data.pkl".Length];
            var order = zip.GetEntry(prefix + "byteorder");
            if (order is not null)
            {
                using var reader = new StreamReader(order.Open(), Encoding.ASCII);
                string byteOrder = reader.ReadToEnd().Trim();
                if (byteOrder != "little")
                {
                    throw new InvalidDataException($"its tensors are stored {byteOrder}-endian; only little-endian files are read");
                }
            }

            byte[] data = ReadAll(pickle[0]);
            var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
            object? root = Unpickler.Load(data, id => Storage(id, storages));
            return new TorchSaveArchive(zip, prefix, root);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Builds each tensor as an independent contiguous CPU tensor (a copy of its view, so tensors that shared a
    /// storage no longer do). The caller owns the tensors. On failure nothing is left allocated.
    /// </summary>
    public List<Tensor> Materialise(IReadOnlyList<(string Key, TensorRef Ref)> tensors)
    {
        var result = new List<Tensor>(tensors.Count);
        var storages = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, reference) in tensors)
            {
                if (!storages.TryGetValue(reference.Storage.Key, out Tensor? storage))
                {
                    storage = ReadStorage(reference.Storage, key);
                    storages.Add(reference.Storage.Key, storage);
                }

                CheckBounds(key, reference);
                var copy = empty(reference.Size, reference.Storage.DType);
                if (copy.numel() > 0)
                {
                    using var view = storage.as_strided(reference.Size, reference.Stride, reference.Offset);
                    copy.copy_(view);
                }

                result.Add(copy);
            }

            return result;
        }
        catch
        {
            foreach (Tensor tensor in result)
            {
                tensor.Dispose();
            }

            throw;
        }
        finally
        {
            foreach (Tensor storage in storages.Values)
            {
                storage.Dispose();
            }
        }
    }

    public void Dispose() => zip.Dispose();

    private static StorageRef Storage(object? id, Dictionary<string, StorageRef> storages)
    {
        // torch.save's persistent id: ("storage", storage class, key, location, number of elements).
        if (id is not object?[] { Length: 5 } fields || fields[0] is not "storage" || fields[2] is not string key
            || fields[3] is not string location || fields[4] is not long elements)
        {
            throw new InvalidDataException($"data.pkl names a persistent object {PyDescribe.Of(id)}, not a torch.save storage");
        }

        if (storages.TryGetValue(key, out var known))
        {
            return known;
        }

        string typeName = fields[1] is PyGlobal type ? type.Name : PyDescribe.Of(fields[1]);
        ScalarType dtype = Unpickler.StorageDType(typeName)
            ?? (typeName == "UntypedStorage" ? ScalarType.Byte
                : throw new InvalidDataException($"storage {key} is a {typeName}, which this reader does not know"));
        var storage = new StorageRef(key, dtype, elements, location, typeName);
        storages.Add(key, storage);
        return storage;
    }

    private Tensor ReadStorage(StorageRef storage, string key)
    {
        var entry = zip.GetEntry(prefix + "data/" + storage.Key)
            ?? throw new InvalidDataException($"the record data/{storage.Key} of '{key}' is missing from the archive");
        long expected = checked(storage.Elements * ElementSize(storage.DType));
        if (entry.Length != expected)
        {
            throw new InvalidDataException(
                $"the record data/{storage.Key} of '{key}' has {entry.Length} bytes, but a {storage.TypeName} of {storage.Elements} elements needs {expected}");
        }

        var tensor = empty(storage.Elements, storage.DType);
        try
        {
            using var input = entry.Open();
            // Tensor.bytes is a span, so at most 2 GiB at a time: larger storages are read through 1-d slices.
            long chunk = Math.Max(1, (1L << 30) / ElementSize(storage.DType));
            for (long start = 0; start < storage.Elements; start += chunk)
            {
                using var slice = tensor.narrow(0, start, Math.Min(chunk, storage.Elements - start));
                input.ReadExactly(slice.bytes);
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Rejects views that reach outside their storage, with the numbers, before libtorch would.</summary>
    private static void CheckBounds(string key, TensorRef tensor)
    {
        if (tensor.Size.Length != tensor.Stride.Length || tensor.Size.Any(s => s < 0) || tensor.Stride.Any(s => s < 0) || tensor.Offset < 0)
        {
            throw new InvalidDataException(
                $"'{key}' has size [{string.Join(", ", tensor.Size)}], stride [{string.Join(", ", tensor.Stride)}] and offset {tensor.Offset}, which describe no tensor");
        }

        if (tensor.Size.Any(s => s == 0))
        {
            return;
        }

        long last = tensor.Offset;
        for (int i = 0; i < tensor.Size.Length; i++)
        {
            last = checked(last + (tensor.Size[i] - 1) * tensor.Stride[i]);
        }

        if (last >= tensor.Storage.Elements)
        {
            throw new InvalidDataException(
                $"'{key}' (size [{string.Join(", ", tensor.Size)}], stride [{string.Join(", ", tensor.Stride)}], offset {tensor.Offset}) reaches element {last} of a storage of {tensor.Storage.Elements}");
        }
    }

    private static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.ComplexFloat64 => 16,
        _ => 1,
    };

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var memory = new MemoryStream(checked((int)entry.Length));
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
