using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace SeDsl.Pickle;

/// <summary>
/// Writes a state_dict as <c>torch.save(model.state_dict(), path)</c> does: a zip archive (entries stored, not
/// compressed) with <c>archive/data.pkl</c>, a protocol-2 pickle of a <c>collections.OrderedDict</c> whose values are
/// <c>torch._utils._rebuild_tensor_v2</c> calls, one storage per tensor in <c>archive/data/N</c>, and
/// <c>archive/version</c>. The keys keep the order they are given in.
/// </summary>
internal static class TorchSaveWriter
{
    private const string Archive = "archive";

    /// <param name="stream">Receives the archive; left open.</param>
    /// <param name="state">Contiguous CPU tensors, in the order the file should list them.</param>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> state)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var pickle = new MemoryStream();
        Pickle(pickle, state);
        WriteEntry(zip, "data.pkl", pickle.GetBuffer().AsSpan(0, (int)pickle.Length));
        for (int i = 0; i < state.Count; i++)
        {
            using var entry = zip.CreateEntry($"{Archive}/data/{i}", CompressionLevel.NoCompression).Open();
            WriteElements(entry, state[i].Value);
        }

        WriteEntry(zip, "version", "3\n"u8);
    }

    private static void Pickle(Stream output, IReadOnlyList<KeyValuePair<string, Tensor>> state)
    {
        var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        w.Write((byte)0x80);                                  // PROTO 2
        w.Write((byte)2);
        Global(w, "collections", "OrderedDict");
        w.Write((byte)')');                                   // EMPTY_TUPLE
        w.Write((byte)'R');                                   // REDUCE
        for (int start = 0; start < state.Count; start += 1000)
        {
            w.Write((byte)'(');                               // MARK: SETITEMS in batches, as pickle does
            for (int i = start; i < Math.Min(state.Count, start + 1000); i++)
            {
                Text(w, state[i].Key);
                Tensor(w, state[i].Value, i);
            }

            w.Write((byte)'u');                               // SETITEMS
        }

        w.Write((byte)'.');                                   // STOP
        w.Flush();
    }

    private static void Tensor(BinaryWriter w, Tensor tensor, int index)
    {
        Global(w, "torch._utils", "_rebuild_tensor_v2");
        w.Write((byte)'(');
        // The persistent id torch.load resolves: ("storage", storage class, key, location, number of elements).
        w.Write((byte)'(');
        Text(w, "storage");
        Global(w, "torch", StorageName(tensor.dtype));
        Text(w, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Text(w, "cpu");
        Int(w, tensor.numel());
        w.Write((byte)'t');                                   // TUPLE
        w.Write((byte)'Q');                                   // BINPERSID
        Int(w, 0);                                            // storage offset
        Ints(w, tensor.shape);
        Ints(w, tensor.stride());
        w.Write((byte)0x89);                                  // requires_grad: NEWFALSE
        Global(w, "collections", "OrderedDict");              // backward hooks: an empty OrderedDict
        w.Write((byte)')');
        w.Write((byte)'R');
        w.Write((byte)'t');
        w.Write((byte)'R');
    }

    private static void Ints(BinaryWriter w, long[] values)
    {
        w.Write((byte)'(');
        foreach (long value in values)
        {
            Int(w, value);
        }

        w.Write((byte)'t');
    }

    private static void Int(BinaryWriter w, long value)
    {
        if (value is >= 0 and < 256)
        {
            w.Write((byte)'K');
            w.Write((byte)value);
        }
        else if (value is >= 0 and < 65536)
        {
            w.Write((byte)'M');
            w.Write((ushort)value);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            w.Write((byte)'J');
            w.Write((int)value);
        }
        else
        {
            w.Write((byte)0x8a);                              // LONG1: 8 bytes, little-endian two's complement
            w.Write((byte)8);
            w.Write(value);
        }
    }

    private static void Text(BinaryWriter w, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        w.Write((byte)'X');                                   // BINUNICODE
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static void Global(BinaryWriter w, string module, string name)
    {
        w.Write((byte)'c');
        w.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private static void WriteEntry(ZipArchive zip, string name, ReadOnlySpan<byte> content)
    {
        using var entry = zip.CreateEntry($"{Archive}/{name}", CompressionLevel.NoCompression).Open();
        entry.Write(content);
    }

    private static void WriteElements(Stream output, Tensor tensor)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("torch.save files are little-endian; this machine is not.");
        }

        using var flat = tensor.reshape(-1);
        long count = flat.numel();
        long chunk = Math.Max(1, (1L << 30) / Math.Max(1, tensor.ElementSize));
        for (long start = 0; start < count; start += chunk)
        {
            using var slice = flat.narrow(0, start, Math.Min(chunk, count - start));
            output.Write(slice.bytes);
        }
    }

    private static string StorageName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Int16 => "ShortStorage",
        ScalarType.Int8 => "CharStorage",
        ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        ScalarType.ComplexFloat32 => "ComplexFloatStorage",
        ScalarType.ComplexFloat64 => "ComplexDoubleStorage",
        _ => throw new NotSupportedException($"torch.save has no storage class for {dtype}."),
    };
}
