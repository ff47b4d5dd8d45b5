using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace SeDsl.Samples.Training;

/// <summary>Labelled 28x28 grayscale images: pixels 0-255 row-major, one label 0-9 per image.</summary>
internal sealed class ImageSet
{
    public const int Rows = 28;
    public const int Columns = 28;
    public const int PixelsPerImage = Rows * Columns;

    public ImageSet(byte[] pixels, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Length != labels.Length * PixelsPerImage)
        {
            throw new ArgumentException($"{labels.Length} labels need {labels.Length * PixelsPerImage} pixels, but {pixels.Length} were given.", nameof(pixels));
        }

        Pixels = pixels;
        Labels = labels;
    }

    public byte[] Pixels { get; }

    public byte[] Labels { get; }

    public int Count => Labels.Length;

    /// <summary>The first <paramref name="count"/> images (all of them when <paramref name="count"/> is larger).</summary>
    public ImageSet Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count >= Count ? this : new ImageSet(Pixels.AsSpan(0, count * PixelsPerImage).ToArray(), Labels.AsSpan(0, count).ToArray());
    }

    /// <summary>How many images each label 0-9 has.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[FashionMnist.Classes.Count];
        foreach (byte label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }
}

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT license): 28x28 grayscale images of ten kinds of clothing, stored as the four
/// IDX files of MNIST, gzip-compressed or not. Files are ordered round-robin by class, so any prefix is balanced
/// (see Data/README.md).
/// </summary>
internal static class FashionMnist
{
    public const string TrainImages = "train-images-idx3-ubyte.gz";
    public const string TrainLabels = "train-labels-idx1-ubyte.gz";
    public const string TestImages = "t10k-images-idx3-ubyte.gz";
    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> Classes { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The subset shipped with the samples app, copied beside it at build.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "Data");

    /// <summary>Reads the training and test sets from <paramref name="directory"/>; a missing or malformed file is named in the error.</summary>
    public static (ImageSet Train, ImageSet Test) Load(string directory) =>
        (Load(directory, TrainImages, TrainLabels), Load(directory, TestImages, TestLabels));

    /// <summary>Reads one pair of image and label files (the names as above; the same names without <c>.gz</c> are also accepted).</summary>
    public static ImageSet Load(string directory, string imagesFile, string labelsFile)
    {
        string imagesPath = Locate(directory, imagesFile);
        string labelsPath = Locate(directory, labelsFile);
        IdxArray images = Idx.Read(imagesPath);
        IdxArray labels = Idx.Read(labelsPath);
        if (images.Dimensions.Count != 3 || images.Dimensions[1] != ImageSet.Rows || images.Dimensions[2] != ImageSet.Columns)
        {
            throw new InvalidDataException($"{imagesPath}: expected images of shape [N, {ImageSet.Rows}, {ImageSet.Columns}], found [{string.Join(", ", images.Dimensions)}].");
        }

        if (labels.Dimensions.Count != 1)
        {
            throw new InvalidDataException($"{labelsPath}: expected labels of shape [N], found [{string.Join(", ", labels.Dimensions)}].");
        }

        if (labels.Dimensions[0] != images.Dimensions[0])
        {
            throw new InvalidDataException($"{labelsPath}: {labels.Dimensions[0]} labels for the {images.Dimensions[0]} images of {imagesPath}.");
        }

        int bad = Array.FindIndex(labels.Values, l => l >= Classes.Count);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{labelsPath}: label {labels.Values[bad]} at index {bad} is not a class 0-{Classes.Count - 1}.");
        }

        return new ImageSet(images.Values, labels.Values);
    }

    /// <summary>Writes <paramref name="set"/> as an image file and a label file (gzip-compressed when the names end in <c>.gz</c>).</summary>
    public static void Save(ImageSet set, string directory, string imagesFile, string labelsFile)
    {
        Directory.CreateDirectory(directory);
        Idx.Write(Path.Combine(directory, imagesFile), new IdxArray([set.Count, ImageSet.Rows, ImageSet.Columns], set.Pixels));
        Idx.Write(Path.Combine(directory, labelsFile), new IdxArray([set.Count], set.Labels));
    }

    private static string Locate(string directory, string file)
    {
        string path = Path.Combine(directory, file);
        if (File.Exists(path))
        {
            return path;
        }

        string plain = Path.ChangeExtension(path, null);
        if (File.Exists(plain))
        {
            return plain;
        }

        throw new FileNotFoundException($"{path}: no such file (nor {Path.GetFileName(plain)}). The samples app reads the four IDX files of Fashion-MNIST from this folder; `fetch-data` writes them.", path);
    }
}
