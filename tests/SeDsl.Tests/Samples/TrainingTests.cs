using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using SeDsl.Samples.Training;
using SeDsl.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Samples;

/// <summary>
/// Tests that seed libtorch's global generator and then create a model; they run alone, because another test drawing
/// random numbers in between would change the weights.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSeedCollection
{
    public const string Name = "libtorch's global seed";
}

/// <summary>The samples app's training loop on a few hundred shipped images, and its report.</summary>
[Collection(TorchSeedCollection.Name)]
public class TrainingTests
{
    private static readonly (ImageSet Train, ImageSet Test) Data = Load();

    [Fact]
    public void A_short_training_run_lowers_the_loss_and_beats_chance() => OnOneThread(() =>
    {
        random.manual_seed(7);
        using var model = new FashionSeResNet();
        using Tensor images = Trainer.Normalise(Data.Test);
        using Tensor labels = tensor(Array.ConvertAll(Data.Test.Labels, l => (long)l));
        (double initialLoss, _) = Trainer.Evaluate(model, images, labels);

        var epochs = Trainer.Train("FashionSeResNet", model, Data.Train, Data.Test, new TrainingOptions(Epochs: 2, BatchSize: 32, Seed: 7), SilentProgress.Instance);

        Assert.True(epochs[^1].TestLoss < initialLoss, $"test loss {epochs[^1].TestLoss} after training, {initialLoss} before");
        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss, $"train loss {epochs[0].TrainLoss} then {epochs[^1].TrainLoss}");
        Assert.True(epochs[^1].TestAccuracy > 0.3, $"test accuracy {epochs[^1].TestAccuracy}; chance is 0.1");
        return 0;
    });

    [Fact]
    public void The_same_seed_gives_the_same_numbers_and_another_seed_other_numbers()
    {
        IReadOnlyList<EpochResult> first = Run(seed: 11);
        IReadOnlyList<EpochResult> second = Run(seed: 11);
        IReadOnlyList<EpochResult> other = Run(seed: 12);

        Assert.Equal(first.Select(Figures), second.Select(Figures));
        Assert.NotEqual(first.Select(Figures), other.Select(Figures));
    }

    [Fact]
    public void The_learning_rate_warms_up_linearly_then_decays_to_zero()
    {
        Assert.Equal(0.25, Trainer.LearningRate(1, 0, 4, 12), 12);
        Assert.Equal(1.0, Trainer.LearningRate(1, 3, 4, 12), 12);
        Assert.Equal(1.0, Trainer.LearningRate(1, 4, 4, 12), 12);
        Assert.Equal(0.5, Trainer.LearningRate(1, 8, 4, 12), 12);
        Assert.True(Trainer.LearningRate(1, 11, 4, 12) < 0.05);
    }

    [Fact]
    public void The_chart_is_valid_SVG_with_one_line_per_model_and_higher_accuracy_drawn_higher()
    {
        var runs = new[]
        {
            new ModelRun("A", 10, 20, [Epoch(1, 0.70), Epoch(2, 0.80), Epoch(3, 0.85)]),
            new ModelRun("B", 10, 20, [Epoch(1, 0.60), Epoch(2, 0.75), Epoch(3, 0.90)]),
        };

        XDocument svg = XDocument.Parse(Report.Chart(runs));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToList();

        Assert.Equal(2, lines.Count);
        foreach (var (line, run) in lines.Zip(runs))
        {
            var points = line.Attribute("points")!.Value.Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
            Assert.Equal(run.Epochs.Count, points.Count);
            Assert.True(points.Zip(points.Skip(1)).All(pair => pair.First[0] < pair.Second[0]), "epochs run left to right");
            Assert.True(points.Zip(points.Skip(1)).All(pair => pair.First[1] > pair.Second[1]), "rising accuracy is drawn upwards (smaller y)");
        }
    }

    [Fact]
    public void The_report_links_the_chart_and_has_a_row_per_model()
    {
        var runs = new[] { new ModelRun("A", 1_234, 5_678, [Epoch(1, 0.5)]), new ModelRun("B", 9, 9, [Epoch(1, 0.25)]) };
        var settings = new RunSettings("data", 100, 50, new TrainingOptions(1), 2);

        string[] lines = Report.Markdown(settings, runs).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("| A | 1,234 | 5,678 |", StringComparison.Ordinal) && l.TrimEnd().EndsWith("| 50.00 % |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| B | 9 | 9 |", StringComparison.Ordinal) && l.TrimEnd().EndsWith("| 25.00 % |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(" + Report.ChartFile + ")", StringComparison.Ordinal));
    }

    private static IReadOnlyList<EpochResult> Run(int seed) => OnOneThread(() =>
    {
        random.manual_seed(seed);
        using var model = new FashionResNet();
        return Trainer.Train("FashionResNet", model, Data.Train.Take(200), Data.Test.Take(100), new TrainingOptions(Epochs: 2, BatchSize: 50, Seed: seed), SilentProgress.Instance);
    });

    // As the samples app does by default: one libtorch thread is fast on shared cores and gives thread-count-independent numbers.
    // The collection runs alone, so changing the process-wide setting here affects no other test.
    private static T OnOneThread<T>(Func<T> action)
    {
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return action();
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static (double, double, double, double) Figures(EpochResult e) => (e.TrainLoss, e.TrainAccuracy, e.TestLoss, e.TestAccuracy);

    private static EpochResult Epoch(int epoch, double accuracy) => new(epoch, 1, accuracy, 1, accuracy, TimeSpan.FromSeconds(1));

    private static (ImageSet, ImageSet) Load()
    {
        (ImageSet train, ImageSet test) = FashionMnist.Load(FashionMnist.ShippedDirectory);
        return (train.Take(400), test.Take(200));
    }
}
