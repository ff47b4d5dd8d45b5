using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using SeDsl.Samples.Training;
using SeDsl.Training;
using SeDsl.Zoo;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace SeDsl.Samples.Commands;

/// <summary>What the main job trains with (the command-line options, checked).</summary>
internal sealed record TrainSettings(
    string DataDirectory,
    int? TrainSize,
    int? TestSize,
    int Epochs,
    int BatchSize,
    long Seed,
    int Threads,
    string OutputDirectory,
    string? CheckpointDirectory = null,
    bool Resume = false,
    double LearningRate = 0.003,
    double WeightDecay = 0.0001,
    int WarmupSteps = 5,
    int ProcessWarmupSteps = 10,
    Precision Precision = Precision.Float32);

/// <summary>
/// The default job: the compile-time summaries of a small SE-ResNet and its plain twin, a check that TorchSharp counts
/// the same parameters, then both trained on Fashion-MNIST through <see cref="Trainer"/> with the same seed and batches,
/// their weights saved, a table, and a report with charts, per-class accuracy and confusion matrices.
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
    private static readonly Option<string> Output = new("--output") { Description = "Folder for report.md, the charts, each model's weights (.safetensors) and CSV log.", DefaultValueFactory = _ => Path.Combine("out", "fashion-mnist") };
    private static readonly Option<string?> Data = new("--data") { Description = "Folder with the four Fashion-MNIST IDX files (see fetch-data); default: the subset shipped with the app." };
    private static readonly Option<string?> Checkpoints = new("--checkpoints") { Description = "Keep each model's best and last checkpoints in a folder of its own under this one." };
    private static readonly Option<bool> Resume = new("--resume") { Description = "With --checkpoints: continue each model from its last checkpoint." };
    private static readonly Option<string> PrecisionOption = PrecisionOptionWithValues();

    private static Option<string> PrecisionOptionWithValues()
    {
        var option = new Option<string>("--precision")
        {
            Description = "fp32 (default), or bf16: mixed precision, bfloat16 convolutions and linear layers from float32 master weights (TrainingOptions.Precision).",
            DefaultValueFactory = _ => "fp32",
        };
        option.AcceptOnlyFromAmong("fp32", "bf16");
        return option;
    }

    /// <summary>Adds the options to the root command and makes training its action.</summary>
    public static void Configure(RootCommand root)
    {
        foreach (Option option in new Option[] { Epochs, TrainSize, TestSize, Seed, BatchSize, Threads, Output, Data, Checkpoints, Resume, PrecisionOption })
        {
            root.Options.Add(option);
        }

        root.SetAction(result => Run(new TrainSettings(
            result.GetValue(Data) ?? FashionMnist.ShippedDirectory,
            result.GetValue(TrainSize),
            result.GetValue(TestSize),
            result.GetValue(Epochs),
            result.GetValue(BatchSize),
            result.GetValue(Seed),
            result.GetValue(Threads),
            result.GetValue(Output)!,
            result.GetValue(Checkpoints),
            result.GetValue(Resume),
            Precision: result.GetValue(PrecisionOption) == "bf16" ? Precision.BFloat16 : Precision.Float32)));
    }

    public static int Run(TrainSettings settings) => Run(settings, Console.Out, AnsiConsole.Console);

    /// <summary>Runs the job, writing progress to <paramref name="output"/> and the tables to <paramref name="console"/>.</summary>
    public static int Run(TrainSettings settings, TextWriter output, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? invalid = settings.Epochs < 1 ? "--epochs must be at least 1."
            : settings.BatchSize < 1 ? "--batch-size must be at least 1."
            : settings.TrainSize < 1 || settings.TestSize < 1 ? "--train-size and --test-size must be at least 1."
            : settings.Threads < 0 ? "--threads must be 0 or more."
            : settings.Resume && settings.CheckpointDirectory is null ? "--resume needs --checkpoints."
            : null;
        if (invalid is not null)
        {
            Console.Error.WriteLine(invalid);
            return 2;
        }

        output.WriteLine("Compile-time summaries (no forward pass needed):");
        output.WriteLine();
        output.WriteLine(FashionSeResNet.Summary);
        output.WriteLine(FashionResNet.Summary);

        // The generated constants against TorchSharp's own count of the built modules.
        var models = new (string Name, long Parameters, long MultiplyAdds, Func<nn.Module<Tensor, Tensor>> Create, Action<nn.Module<Tensor, Tensor>, Precision> Fuse)[]
        {
            (nameof(FashionSeResNet), FashionSeResNet.ParameterCount, FashionSeResNet.MultiplyAdds, () => new FashionSeResNet(), (m, p) => ((FashionSeResNet)m).Fuse(p)),
            (nameof(FashionResNet), FashionResNet.ParameterCount, FashionResNet.MultiplyAdds, () => new FashionResNet(), (m, p) => ((FashionResNet)m).Fuse(p)),
        };
        bool countsAgree = true;
        foreach (var model in models)
        {
            using var module = model.Create();
            long runtime = module.parameters().Sum(p => p.numel());
            countsAgree &= runtime == model.Parameters;
            output.WriteLine($"{model.Name}: TorchSharp counts {Count(runtime)} parameters, " +
                (runtime == model.Parameters ? "as the constant says." : $"DIFFERENT from the compile-time constant {Count(model.Parameters)}!"));
        }

        if (!countsAgree)
        {
            return 1;
        }

        ImageSet train, test;
        try
        {
            (train, test) = FashionMnist.Load(settings.DataDirectory);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        train = train.Take(settings.TrainSize ?? train.Count);
        test = test.Take(settings.TestSize ?? test.Count);
        if (settings.Threads > 0)
        {
            torch.set_num_threads(settings.Threads);
        }

        var run = new RunSettings(Path.GetFullPath(settings.DataDirectory), train.Count, test.Count, settings.Epochs, settings.BatchSize,
            settings.LearningRate, settings.WeightDecay, settings.Seed, torch.get_num_threads(), settings.WarmupSteps, settings.ProcessWarmupSteps, Machine());
        output.WriteLine();
        output.WriteLine($"Training both on {Count(train.Count)} training and {Count(test.Count)} test images of Fashion-MNIST,");
        output.WriteLine($"  {Report.Plural(settings.Epochs, "epoch")}, batch {settings.BatchSize}, seed {settings.Seed}, {Report.Plural(run.Threads, "libtorch thread")}" +
            $"{(settings.Precision == Precision.BFloat16 ? ", mixed precision (bf16)" : "")}; data from");
        output.WriteLine($"  {run.Data}");

        bool interactive = console.Profile.Capabilities.Interactive && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var progress = new ConsoleProgress(output, interactive ? console.Profile.Width : 80, interactive);
        Directory.CreateDirectory(settings.OutputDirectory);
        var clock = Stopwatch.StartNew();
        var runs = new List<ModelRun>();
        var agreements = new List<string>();
        using (var trainSet = FashionData.ToDataset(train))
        using (var testSet = FashionData.ToDataset(test))
        using (var testImages = FashionData.Normalise(test))
        {
            WarmUp(models.Select(m => m.Create), train, settings);
            foreach (var model in models)
            {
                try
                {
                    runs.Add(TrainOne(model.Name, model.Parameters, model.MultiplyAdds, model.Create, trainSet, testSet, settings, progress,
                        trained => agreements.Add($"{model.Name}: bf16 fused inference gives the fp32 fused top-1 class for {Agreement(trained, model.Create, model.Fuse, testImages)} test images.")));
                }
                catch (CheckpointException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return 2;
                }
            }
        }

        clock.Stop();
        console.Write(ResultTable(runs));
        foreach (string agreement in agreements)
        {
            output.WriteLine(agreement);
        }

        string report = Report.Write(settings.OutputDirectory, run, runs, FashionMnist.Classes);
        output.WriteLine($"Trained in {Report.Seconds(clock.Elapsed)}. Report: {Path.GetFullPath(report)}");
        return 0;
    }

    private static ModelRun TrainOne(string name, long parameters, long multiplyAdds, Func<nn.Module<Tensor, Tensor>> create,
        utils.data.IterableDataset train, utils.data.IterableDataset test, TrainSettings settings, ConsoleProgress progress, Action<nn.Module<Tensor, Tensor>> afterTraining)
    {
        // The same seed before each model: its initial weights do not depend on which model was trained first.
        random.manual_seed(settings.Seed);
        using var module = create();
        var options = new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            Seed = settings.Seed,
            WarmupSteps = settings.WarmupSteps,
            CsvLog = Path.Combine(settings.OutputDirectory, name + ".csv"),
            CheckpointDirectory = settings.CheckpointDirectory is null ? null : Path.Combine(settings.CheckpointDirectory, name),
            Resume = settings.Resume,
            Precision = settings.Precision,
        };
        int epochs = settings.Epochs;
        var trainer = new Trainer(module, p => optim.AdamW(p, lr: settings.LearningRate, weight_decay: settings.WeightDecay), options,
            scheduler: (optimizer, steps) => optim.lr_scheduler.OneCycleLR(optimizer, max_lr: settings.LearningRate, total_steps: epochs * steps,
                pct_start: epochs > 1 ? 1.0 / epochs : 0.25, cycle_momentum: false));
        progress.Attach(trainer, name);
        TrainingHistory history = trainer.Fit(train, test);
        Evaluation final = trainer.Evaluate(test, classes: FashionMnist.Classes.Count);
        string weights = Path.Combine(settings.OutputDirectory, name + ".safetensors");
        Weights.Save(module, weights);
        afterTraining(module);
        return new ModelRun(name, parameters, multiplyAdds, history, final, weights);
    }

    /// <summary>
    /// A few untimed, unreported steps of each model on a throwaway copy, so that neither model's figures carry the
    /// process's first-use costs (JIT compilation, libtorch's allocator and the kernels' first calls); whichever model
    /// is trained first would otherwise look slower.
    /// </summary>
    private static void WarmUp(IEnumerable<Func<nn.Module<Tensor, Tensor>>> models, ImageSet train, TrainSettings settings)
    {
        if (settings.ProcessWarmupSteps == 0)
        {
            return;
        }

        using var subset = FashionData.ToDataset(train.Take(settings.ProcessWarmupSteps * settings.BatchSize));
        foreach (var create in models)
        {
            using var module = create();
            new Trainer(module, p => optim.AdamW(p, lr: settings.LearningRate), new TrainingOptions { BatchSize = settings.BatchSize, WarmupSteps = 0, Precision = settings.Precision }).Fit(subset);
        }
    }

    /// <summary>
    /// "k of n (p %)": on how many of <paramref name="images"/> two fused copies of <paramref name="trained"/>, one in
    /// float32 and one with the bfloat16 precision plan, choose the same class.
    /// </summary>
    private static string Agreement(nn.Module<Tensor, Tensor> trained, Func<nn.Module<Tensor, Tensor>> create, Action<nn.Module<Tensor, Tensor>, Precision> fuse, Tensor images)
    {
        using var fp32 = create();
        using var bf16 = create();
        fp32.load_state_dict(trained.state_dict());
        bf16.load_state_dict(trained.state_dict());
        fuse(fp32, Precision.Float32);
        fuse(bf16, Precision.BFloat16);
        long total = images.shape[0];
        long same = 0;
        for (long start = 0; start < total; start += 500)
        {
            using var scope = NewDisposeScope();
            var batch = images.narrow(0, start, Math.Min(500, total - start));
            same += fp32.forward(batch).argmax(1).eq(bf16.forward(batch).argmax(1)).sum().item<long>();
        }

        return $"{Count(same)} of {Count(total)} ({(100.0 * same / total).ToString("F2", CultureInfo.InvariantCulture)} %)";
    }

    private static Table ResultTable(IReadOnlyList<ModelRun> runs)
    {
        var table = new Table().Title("Fashion-MNIST, final weights");
        table.AddColumn("model");
        table.AddColumn(new TableColumn("parameters").RightAligned());
        table.AddColumn(new TableColumn("epoch time").RightAligned());
        table.AddColumn(new TableColumn("images/s").RightAligned());
        table.AddColumn(new TableColumn("test loss").RightAligned());
        table.AddColumn(new TableColumn("test acc").RightAligned());
        foreach (ModelRun run in runs)
        {
            table.AddRow(run.Name, Count(run.Parameters), Report.Seconds(run.EpochTime), Count((long)Math.Round(run.ImagesPerSecond)),
                run.Test.Loss.ToString("0.0000", CultureInfo.InvariantCulture), Report.Percent(run.Test["accuracy"]));
        }

        return table;
    }

    private static string Machine() =>
        $"{Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
