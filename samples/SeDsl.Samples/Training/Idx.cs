using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace SeDsl.Samples.Training;

/// <summary>
/// An n-dimensional array of unsigned bytes as stored in an IDX file (the MNIST format): the dimensions, outermost
/// first, and the values in row-major order.
/// </summary>
internal sealed class IdxArray
{
    public IdxArray(IReadOnlyList<int> dimensions, byte[] values)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(values);
        if (dimensions.Count is < 1 or > 255 || dimensions.Any(d => d < 0))
        {
            throw new ArgumentException($"An IDX array needs 1 to 255 non-negative dimensions, not [{string.Join(", ", dimensions)}].", nameof(dimensions));
        }

        long expected = dimensions.Aggregate(1L, (product, d) => checked(product * d));
        if (expected != values.LongLength)
        {
            throw new ArgumentException($"Dimensions [{string.Join(", ", dimensions)}] hold {expected} values, but {values.LongLength} were given.", nameof(values));
        }

        Dimensions = dimensions.ToArray();
        Values = values;
    }

    /// <summary>The dimensions, outermost first: [count, rows, columns] for images, [count] for labels.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The values in row-major order.</summary>
    public byte[] Values { get; }
}

/// <summary>
/// Reads and writes IDX files of unsigned bytes, plain or gzip-compressed (detected from the content, not the name).
/// The header is two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions, then each dimension
/// as a big-endian 32-bit integer; the values follow. Images of MNIST are magic 0x00000803, labels 0x00000801.
/// </summary>
internal static class Idx
{
    private const byte UnsignedByte = 0x08;

    /// <summary>The magic number of an IDX file of unsigned bytes with <paramref name="dimensions"/> dimensions.</summary>
    public static int MagicNumber(int dimensions) => (UnsignedByte << 8) | dimensions;

    /// <summary>Reads the file at <paramref name="path"/>; a malformed file gets an <see cref="InvalidDataException"/> naming it.</summary>
    public static IdxArray Read(string path)
    {
        byte[] content = File.ReadAllBytes(path);
        try
        {
            return Parse(IsGzip(content) ? Gunzip(content) : content, path);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // A corrupt gzip stream: name the file.
            throw new InvalidDataException($"{path}: not a readable gzip stream ({e.Message})", e);
        }
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>, gzip-compressed when the name ends in <c>.gz</c>.</summary>
    public static void Write(string path, IdxArray array)
    {
        using FileStream file = File.Create(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
            WriteTo(gzip, array);
        }
        else
        {
            WriteTo(file, array);
        }
    }

    private static void WriteTo(Stream stream, IdxArray array)
    {
        var header = new byte[4 + (4 * array.Dimensions.Count)];
        header[2] = UnsignedByte;
        header[3] = (byte)array.Dimensions.Count;
        for (int i = 0; i < array.Dimensions.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), array.Dimensions[i]);
        }

        stream.Write(header);
        stream.Write(array.Values);
    }

    private static IdxArray Parse(byte[] content, string path)
    {
        if (content.Length < 4)
        {
            throw new InvalidDataException($"{path}: {content.Length} bytes is too short for an IDX header (4 bytes of magic number).");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (content[0] != 0 || content[1] != 0)
        {
            throw new InvalidDataException($"{path}: not an IDX file: the magic number 0x{magic:X8} does not start with two zero bytes.");
        }

        if (content[2] != UnsignedByte)
        {
            throw new InvalidDataException($"{path}: element type 0x{content[2]:X2} in magic number 0x{magic:X8} is not supported; only unsigned bytes (0x08) are.");
        }

        int rank = content[3];
        int headerLength = 4 + (4 * rank);
        if (rank == 0 || content.Length < headerLength)
        {
            throw new InvalidDataException($"{path}: the header declares {rank} dimensions, which needs {headerLength} bytes, but the file has {content.Length}.");
        }

        var dimensions = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + (4 * i)));
            if (dimensions[i] < 0)
            {
                throw new InvalidDataException($"{path}: dimension {i} is negative ({dimensions[i]}).");
            }

            count = checked(count * dimensions[i]);
        }

        long actual = content.LongLength - headerLength;
        if (actual != count)
        {
            throw new InvalidDataException($"{path}: the header's dimensions [{string.Join(", ", dimensions)}] hold {count} values, but the file has {actual} after the header.");
        }

        return new IdxArray(dimensions, content.AsSpan(headerLength).ToArray());
    }

    private static bool IsGzip(byte[] content) => content.Length >= 2 && content[0] == 0x1F && content[1] == 0x8B;

    private static byte[] Gunzip(byte[] content)
    {
        using var input = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
