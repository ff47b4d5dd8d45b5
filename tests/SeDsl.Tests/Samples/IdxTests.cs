using System;
using System.IO;
using System.IO.Compression;
using SeDsl.Samples.Training;
using Xunit;

namespace SeDsl.Tests.Samples;

/// <summary>The IDX reader and writer of the samples app: round trips, and malformed files named in the error.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sedsl-idx-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void Written_arrays_read_back_with_their_dimensions_and_values(string name)
    {
        string path = Path.Combine(directory, name);
        var values = new byte[2 * 3 * 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (byte)(i * 11);
        }

        Idx.Write(path, new IdxArray([2, 3, 4], values));
        IdxArray read = Idx.Read(path);

        Assert.Equal(new[] { 2, 3, 4 }, read.Dimensions);
        Assert.Equal(values, read.Values);
    }

    [Fact]
    public void The_header_is_the_big_endian_layout_of_MNIST()
    {
        string path = Path.Combine(directory, "labels.idx");
        Idx.Write(path, new IdxArray([3], [7, 8, 9]));

        // 00 00 08 01 (unsigned bytes, one dimension), 00 00 01 02 would be 258; here 3.
        Assert.Equal(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9 }, File.ReadAllBytes(path));
        Assert.Equal(0x00000801, Idx.MagicNumber(1));
        Assert.Equal(0x00000803, Idx.MagicNumber(3));
    }

    [Fact]
    public void A_plain_file_reads_the_same_as_its_gzip_compression()
    {
        byte[] content = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 42, 43];
        string plain = Path.Combine(directory, "plain");
        string compressed = Path.Combine(directory, "compressed");
        File.WriteAllBytes(plain, content);
        using (var gzip = new GZipStream(File.Create(compressed), CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        Assert.Equal(Idx.Read(plain).Values, Idx.Read(compressed).Values);
        Assert.Equal(new byte[] { 42, 43 }, Idx.Read(compressed).Values);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, "too short")]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 1, 5 }, "does not start with two zero bytes")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 5, 5, 5, 5 }, "element type 0x0D")]
    [InlineData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1 }, "declares 3 dimensions")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 4, 1, 2 }, "hold 4 values, but the file has 2")]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 0, 1, 2, 3 }, "too short")]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF }, "not a readable gzip stream")]
    public void A_malformed_file_is_an_error_naming_the_file_and_the_problem(byte[] content, string problem)
    {
        string path = Path.Combine(directory, "broken-idx1-ubyte");
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_Fashion_MNIST_files_are_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(directory));

        Assert.Contains(Path.Combine(directory, FashionMnist.TrainImages), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_outside_the_ten_classes_are_rejected()
    {
        FashionMnist.Save(new ImageSet(new byte[2 * ImageSet.PixelsPerImage], [3, 10]), directory, "images.gz", "labels.gz");

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(directory, "images.gz", "labels.gz"));

        Assert.Contains("label 10 at index 1", error.Message, StringComparison.Ordinal);
    }
}
