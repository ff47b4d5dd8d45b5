using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using SeDsl.Tests.Runtime;
using SeDsl.Tests.Samples;
using SeDsl.Training;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Training;

/// <summary>The training API end to end on a small SE network and a four-class task it can learn in seconds.</summary>
[Collection(TorchSeedCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private static readonly TensorDataset Train = TrainingData.Textures(256, 1);
    private static readonly TensorDataset Validation = TrainingData.Textures(128, 2);
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void Fit_learns_the_task_and_the_history_has_every_epoch()
    {
        TrainingHistory history = Fit(new TrainingOptions { Epochs = 4, BatchSize = 32, Seed = 3 });

        Assert.Equal([1, 2, 3, 4], history.Epochs.Select(e => e.Epoch));
        Assert.Equal(0, history.ResumedAfter);
        Assert.False(history.StoppedEarly);
        EpochResult last = history.Last!;
        Assert.True(last.TrainLoss < history.Epochs[0].TrainLoss, $"train loss {history.Epochs[0].TrainLoss} then {last.TrainLoss}");
        Assert.True(last.Validation!["accuracy"] > 0.8, $"validation accuracy {last.Validation["accuracy"]}; chance is 0.25");
        Assert.Equal(128, last.Validation.Samples);
        Assert.All(history.Epochs, e => Assert.InRange(e.TrainMetrics["accuracy"], 0, 1));
    }

    [Fact]
    public void The_same_seed_gives_the_same_numbers_and_another_seed_other_numbers()
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = 5 };
        double[] first = Figures(Fit(options, initSeed: 9));
        double[] second = Figures(Fit(options, initSeed: 9));
        double[] otherOrder = Figures(Fit(options with { Seed = 6 }, initSeed: 9));

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherOrder);
    }

    [Fact]
    public void A_run_cancelled_in_its_second_epoch_and_resumed_ends_exactly_as_an_uninterrupted_run()
    {
        string straight = Path.Combine(directory.Path, "straight");
        string broken = Path.Combine(directory.Path, "broken");
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 4 };

        // Step-wise one-cycle schedule, AdamW moments, batch-norm statistics and dropout all have to continue exactly.
        (TrainingHistory expected, Dictionary<string, float[]> expectedWeights) = FitWithSchedule(options with { CheckpointDirectory = straight }, initSeed: 1);

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => FitWithSchedule(options with { CheckpointDirectory = broken }, initSeed: 1, trainer =>
            trainer.StepCompleted += (_, step) =>
            {
                if (step.Epoch == 2 && step.Step == 3)
                {
                    cancel.Cancel();
                }
            }, cancel.Token));
        Assert.Equal(1, Checkpoint.Read(broken, CheckpointKind.Last)!.Epoch);

        // Another initialisation: everything must come from the checkpoint.
        (TrainingHistory resumed, Dictionary<string, float[]> resumedWeights) = FitWithSchedule(options with { CheckpointDirectory = broken, Resume = true }, initSeed: 77);

        Assert.Equal(1, resumed.ResumedAfter);
        Assert.Equal(Figures(expected), Figures(resumed));
        Assert.Equal(expected.Epochs.Select(e => e.LearningRate), resumed.Epochs.Select(e => e.LearningRate));
        Assert.Equal(expectedWeights.Keys, resumedWeights.Keys);
        foreach (string key in expectedWeights.Keys)
        {
            Assert.True(expectedWeights[key].SequenceEqual(resumedWeights[key]), $"{key} differs after resuming");
        }
    }

    [Fact]
    public void A_folder_with_checkpoints_is_refused_without_Resume_and_left_as_it_was()
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64, CheckpointDirectory = directory.Path };
        Fit(options);
        var before = Directory.GetFiles(directory.Path).ToDictionary(f => f, File.ReadAllBytes);

        var error = Assert.Throws<CheckpointException>(() => Fit(options));

        Assert.Contains(directory.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Resume", error.Message, StringComparison.Ordinal);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(directory.Path).Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void Resuming_with_another_batch_size_is_refused_naming_both()
    {
        Fit(new TrainingOptions { Epochs = 1, BatchSize = 64, CheckpointDirectory = directory.Path });

        var error = Assert.Throws<CheckpointException>(() => Fit(new TrainingOptions { Epochs = 2, BatchSize = 32, CheckpointDirectory = directory.Path, Resume = true }));

        Assert.Contains("batch size: checkpoint 64, now 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weights_file_changed_after_the_checkpoint_is_not_loaded()
    {
        Fit(new TrainingOptions { Epochs = 1, BatchSize = 64, CheckpointDirectory = directory.Path });
        Checkpoint last = Checkpoint.Read(directory.Path, CheckpointKind.Last)!;
        byte[] bytes = File.ReadAllBytes(last.WeightsPath);
        bytes[^1] ^= 0x55;
        File.WriteAllBytes(last.WeightsPath, bytes);

        using var model = new TinyTrainNet();
        var error = Assert.Throws<CheckpointException>(() => last.LoadWeights(model));
        Assert.Contains("has changed", error.Message, StringComparison.Ordinal);
        Assert.Throws<CheckpointException>(() => Fit(new TrainingOptions { Epochs = 2, BatchSize = 64, CheckpointDirectory = directory.Path, Resume = true }));
    }

    [Fact]
    public void The_best_checkpoint_holds_the_epoch_with_the_best_monitored_figure_and_only_its_files_remain()
    {
        var options = new TrainingOptions { Epochs = 4, BatchSize = 32, Seed = 2, Monitor = "accuracy", CheckpointDirectory = directory.Path };
        TrainingHistory history = Fit(options);

        EpochResult bestEpoch = history.Epochs.OrderByDescending(e => e.Validation!["accuracy"]).ThenBy(e => e.Epoch).First();
        Checkpoint best = Checkpoint.Read(directory.Path, CheckpointKind.Best)!;
        Assert.Equal(bestEpoch.Epoch, best.Epoch);
        Assert.Equal(bestEpoch.Epoch, history.Best!.Epoch);
        Assert.Equal(bestEpoch.Validation!["accuracy"], best.BestValue);

        // Its weights are that epoch's: evaluated again they give the recorded figures.
        using var model = new TinyTrainNet();
        best.LoadWeights(model);
        Evaluation again = Trainer.Evaluate(model, Validation, options);
        Assert.Equal(bestEpoch.Validation["accuracy"], again["accuracy"]);
        Assert.Equal(bestEpoch.Validation.Loss, again.Loss, 5);

        string[] files = Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(new[] { $"best-epoch{best.Epoch:D4}.safetensors", "best.json", "last-epoch0004.optimizer.bin", "last-epoch0004.safetensors", "last.json" }, files);
    }

    [Fact]
    public void A_resumed_run_keeps_a_better_best_checkpoint()
    {
        // The schedule stops learning after three epochs: a resumed run cannot beat the best epoch of the first three,
        // so its best checkpoint must stay untouched (a run that forgot the best value would overwrite it with epoch 4).
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 2, CheckpointDirectory = directory.Path };
        FitPlain(options, learningUntilEpoch: 3);
        Checkpoint best = Checkpoint.Read(directory.Path, CheckpointKind.Best)!;
        byte[] bestWeights = File.ReadAllBytes(best.WeightsPath);

        TrainingHistory more = FitPlain(options with { Epochs = 5, Resume = true }, learningUntilEpoch: 3);

        Checkpoint after = Checkpoint.Read(directory.Path, CheckpointKind.Best)!;
        Assert.Equal(5, more.Epochs.Count);
        Assert.Equal(more.Epochs[2].Validation!.Loss, more.Epochs[4].Validation!.Loss);
        Assert.Equal(best.Epoch, after.Epoch);
        Assert.Equal(bestWeights, File.ReadAllBytes(after.WeightsPath));
        Assert.DoesNotContain(more.Epochs.Skip(3), e => e.IsBest);
    }

    [Fact]
    public void Early_stopping_ends_the_run_after_patience_epochs_without_improvement()
    {
        // Nothing is learnt, so epoch 1 stays the best and epochs 2 and 3 are stale.
        TrainingHistory history = FitPlain(new TrainingOptions { Epochs = 10, BatchSize = 64, EarlyStopping = new EarlyStopping(Patience: 2) }, learningUntilEpoch: 0);

        Assert.True(history.StoppedEarly);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.Best!.Epoch);
        Assert.Equal(history.Epochs[0].Validation!.Loss, history.Epochs[2].Validation!.Loss);
    }

    [Fact]
    public void An_epoch_wise_scheduler_sets_each_epochs_learning_rate()
    {
        TrainingHistory history = TrainingData.OnOneThread(() =>
        {
            random.manual_seed(1);
            using var model = new TinyTrainNet();
            return new Trainer(model, p => optim.SGD(p, 0.1), new TrainingOptions { Epochs = 3, BatchSize = 64, SchedulerStep = SchedulerInterval.Epoch },
                scheduler: (o, _) => optim.lr_scheduler.StepLR(o, step_size: 1, gamma: 0.5)).Fit(Train);
        });

        Assert.Equal(new[] { 0.1, 0.05, 0.025 }, history.Epochs.Select(e => Math.Round(e.LearningRate, 12)));
    }

    [Fact]
    public void Progress_events_count_every_step_and_the_estimate_runs_down_to_zero()
    {
        var steps = new List<StepProgress>();
        var epochs = new List<EpochResult>();
        TrainingData.OnOneThread(() =>
        {
            random.manual_seed(1);
            using var model = new TinyTrainNet();
            var trainer = new Trainer(model, p => optim.AdamW(p), new TrainingOptions { Epochs = 2, BatchSize = 100, WarmupSteps = 1 });
            trainer.StepCompleted += (_, s) => steps.Add(s);
            trainer.EpochCompleted += (_, e) => epochs.Add(e);
            return trainer.Fit(Train);
        });

        // 256 samples in batches of 100: 3 steps per epoch, the last of 56 samples.
        Assert.Equal(new[] { (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3) }, steps.Select(s => (s.Epoch, s.Step)));
        Assert.All(steps, s => Assert.Equal(3, s.Steps));
        Assert.Equal(TimeSpan.Zero, steps[^1].Remaining);
        Assert.True(steps[1].Remaining > steps[4].Remaining);
        Assert.Equal(0, steps[0].SamplesPerSecond);       // the one warm-up step is not timed
        Assert.True(steps[1].SamplesPerSecond > 0);
        Assert.Equal(new[] { 1, 2 }, epochs.Select(e => e.Epoch));
        Assert.Equal(steps[2].RunningLoss, epochs[0].TrainLoss, 12);
    }

    [Fact]
    public void The_CSV_log_has_a_row_per_epoch_with_the_histories_figures()
    {
        string csv = directory.File("log/epochs.csv");
        TrainingHistory history = Fit(new TrainingOptions { Epochs = 2, BatchSize = 64, CsvLog = csv, Metrics = [Metric.Accuracy, Metric.TopK(2)] });

        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("epoch,learning_rate,train_loss,train_accuracy,train_top2,val_loss,val_accuracy,val_top2,train_seconds,samples_per_second,is_best", lines[0]);
        Assert.Equal(3, lines.Length);
        for (int i = 0; i < 2; i++)
        {
            string[] cells = lines[i + 1].Split(',');
            EpochResult e = history.Epochs[i];
            Assert.Equal(e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(e.TrainLoss, double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(e.Validation!["top2"], double.Parse(cells[7], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(e.Validation["top2"] >= e.Validation["accuracy"]);
        }
    }

    [Fact]
    public void A_monitor_that_is_no_metric_is_refused_at_construction()
    {
        using var model = new TinyTrainNet();
        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, p => optim.AdamW(p), new TrainingOptions { Monitor = "top5" }));
        Assert.Contains("top5", error.Message, StringComparison.Ordinal);
    }

    private static TrainingHistory Fit(TrainingOptions options, int initSeed = 1) => TrainingData.OnOneThread(() =>
    {
        random.manual_seed(initSeed);
        using var model = new TinyTrainNet();
        return new Trainer(model, p => optim.AdamW(p, lr: 0.01), options).Fit(Train, Validation);
    });

    /// <summary>Trains <see cref="TinyPlainNet"/> with SGD whose learning rate drops to 0 after <paramref name="learningUntilEpoch"/>.</summary>
    private static TrainingHistory FitPlain(TrainingOptions options, int learningUntilEpoch) => TrainingData.OnOneThread(() =>
    {
        random.manual_seed(1);
        using var model = new TinyPlainNet();
        return new Trainer(model, p => optim.SGD(p, 0.05), options, scheduler: (o, steps) =>
            optim.lr_scheduler.LambdaLR(o, step => step < learningUntilEpoch * steps ? 1.0 : 0.0)).Fit(Train, Validation);
    });

    private static (TrainingHistory, Dictionary<string, float[]>) FitWithSchedule(TrainingOptions options, int initSeed, Action<Trainer>? configure = null, CancellationToken cancellation = default) =>
        TrainingData.OnOneThread(() =>
        {
            random.manual_seed(initSeed);
            using var model = new TinyTrainNet();
            int epochs = options.Epochs;
            var trainer = new Trainer(model, p => optim.AdamW(p, lr: 0.01, weight_decay: 0.01), options,
                scheduler: (o, steps) => optim.lr_scheduler.OneCycleLR(o, max_lr: 0.01, total_steps: epochs * steps));
            configure?.Invoke(trainer);
            TrainingHistory history = trainer.Fit(Train, Validation, cancellation);
            var weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.to_type(ScalarType.Float32).data<float>().ToArray());
            return (history, weights);
        });

    private static double[] Figures(TrainingHistory history) =>
        history.Epochs.SelectMany(e => new[] { e.TrainLoss, e.TrainMetrics["accuracy"], e.Validation?.Loss ?? double.NaN, e.Validation?["accuracy"] ?? double.NaN }).ToArray();
}
