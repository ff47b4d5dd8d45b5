using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SeDsl.Samples.Training;
using SeDsl.Zoo;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace SeDsl.Samples.Commands;

/// <summary>
/// The default job: the compile-time summaries of a small SE-ResNet and its plain twin, a check that TorchSharp counts
/// the same parameters, then both trained on Fashion-MNIST with the same seed and batches, a table, and a report.
/// </summary>
internal static class TrainCommand
{
    private static readonly Option<int> Epochs = new("--epochs") { Description = "Training epochs per model.", DefaultValueFactory = _ => 5 };
    private static readonly Option<int?> TrainSize = new("--train-size") { Description = "Use the first N training images (balanced by class); default: all of them." };
    private static readonly Option<int?> TestSize = new("--test-size") { Description = "Use the first N test images; default: all of them." };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the weights' initialisation and of the batch order.", DefaultValueFactory = _ => 2026 };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Images per training batch.", DefaultValueFactory = _ => 64 };
    // One thread by default: the numbers then do not depend on the machine's core count, and libtorch's thread pool
    // does not stall when the cores are shared with other processes (CI, parallel builds).
    private static readonly Option<int> Threads = new("--threads") { Description = "CPU threads for libtorch (0: libtorch's default, one per core). The same seed gives the same numbers only with the same thread count.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string> Output = new("--output") { Description = "Folder for report.md, accuracy.svg and epochs.csv.", DefaultValueFactory = _ => Path.Combine("out", "fashion-mnist") };
    private static readonly Option<string?> Data = new("--data") { Description = "Folder with the four Fashion-MNIST IDX files (see fetch-data); default: the subset shipped with the app." };

    /// <summary>Adds the options to the root command and makes training its action.</summary>
    public static void Configure(RootCommand root)
    {
        foreach (Option option in new Option[] { Epochs, TrainSize, TestSize, Seed, BatchSize, Threads, Output, Data })
        {
            root.Options.Add(option);
        }

        root.SetAction(result => Run(
            result.GetValue(Data) ?? FashionMnist.ShippedDirectory,
            result.GetValue(TrainSize),
            result.GetValue(TestSize),
            new TrainingOptions(result.GetValue(Epochs), result.GetValue(BatchSize), Seed: result.GetValue(Seed)),
            result.GetValue(Threads),
            result.GetValue(Output)!));
    }

    public static int Run(string dataDirectory, int? trainSize, int? testSize, TrainingOptions options, int threads, string outputDirectory)
    {
        string? invalid = options.Epochs < 1 ? "--epochs must be at least 1."
            : options.BatchSize < 1 ? "--batch-size must be at least 1."
            : trainSize < 1 || testSize < 1 ? "--train-size and --test-size must be at least 1."
            : threads < 0 ? "--threads must be 0 or more."
            : null;
        if (invalid is not null)
        {
            Console.Error.WriteLine(invalid);
            return 2;
        }

        Console.WriteLine("Compile-time summaries (no forward pass needed):");
        Console.WriteLine();
        Console.WriteLine(FashionSeResNet.Summary);
        Console.WriteLine(FashionResNet.Summary);

        // The generated constants against TorchSharp's own count of the built modules.
        var models = new (string Name, long Parameters, long MultiplyAdds, Func<nn.Module<Tensor, Tensor>> Create)[]
        {
            (nameof(FashionSeResNet), FashionSeResNet.ParameterCount, FashionSeResNet.MultiplyAdds, () => new FashionSeResNet()),
            (nameof(FashionResNet), FashionResNet.ParameterCount, FashionResNet.MultiplyAdds, () => new FashionResNet()),
        };
        bool countsAgree = true;
        foreach (var model in models)
        {
            using var module = model.Create();
            long runtime = module.parameters().Sum(p => p.numel());
            countsAgree &= runtime == model.Parameters;
            Console.WriteLine($"{model.Name}: TorchSharp counts {Count(runtime)} parameters, " +
                (runtime == model.Parameters ? "equal to the compile-time constant." : $"DIFFERENT from the compile-time constant {Count(model.Parameters)}!"));
        }

        if (!countsAgree)
        {
            return 1;
        }

        ImageSet train, test;
        try
        {
            (train, test) = FashionMnist.Load(dataDirectory);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        train = train.Take(trainSize ?? train.Count);
        test = test.Take(testSize ?? test.Count);
        if (threads > 0)
        {
            torch.set_num_threads(threads);
        }

        var settings = new RunSettings(Path.GetFullPath(dataDirectory), train.Count, test.Count, options, torch.get_num_threads());
        Console.WriteLine();
        Console.WriteLine($"Training both on Fashion-MNIST: {Count(train.Count)} training and {Count(test.Count)} test images from {settings.Data}, " +
            $"{Report.Plural(options.Epochs, "epoch")}, batch {options.BatchSize}, seed {options.Seed}, {Report.Plural(settings.Threads, "thread")}.");

        var clock = Stopwatch.StartNew();
        var runs = new List<ModelRun>();
        void TrainAll(ITrainingProgress progress)
        {
            foreach (var model in models)
            {
                // The same seed before each model: its initial weights do not depend on which model was trained first.
                random.manual_seed(options.Seed);
                using var module = model.Create();
                var epochs = Trainer.Train(model.Name, module, train, test, options, progress);
                runs.Add(new ModelRun(model.Name, model.Parameters, model.MultiplyAdds, epochs));
            }
        }

        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context => TrainAll(new LiveProgress(context)));
        }
        else
        {
            TrainAll(new LineProgress(Console.Out));
        }

        clock.Stop();
        AnsiConsole.Write(ResultTable(runs));
        string report = Report.Write(outputDirectory, settings, runs);
        Console.WriteLine($"Trained in {Report.Seconds(clock.Elapsed)}. Report: {Path.GetFullPath(report)}");
        return 0;
    }

    private static Table ResultTable(IReadOnlyList<ModelRun> runs)
    {
        var table = new Table().Title("Fashion-MNIST, final epoch");
        table.AddColumn("model");
        table.AddColumn(new TableColumn("parameters").RightAligned());
        table.AddColumn(new TableColumn("MACs per image").RightAligned());
        table.AddColumn(new TableColumn("epoch time").RightAligned());
        table.AddColumn(new TableColumn("test accuracy").RightAligned());
        foreach (ModelRun run in runs)
        {
            table.AddRow(run.Name, Count(run.Parameters), Count(run.MultiplyAdds), Report.Seconds(run.EpochTime), Report.Percent(run.Final.TestAccuracy));
        }

        return table;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
