using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using SeDsl.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace SeDsl.Training;

/// <summary>
/// Trains a TorchSharp module on a data set: TorchSharp's <c>DataLoader</c>, optimizer and learning-rate scheduler,
/// a loss and metrics per epoch on training and validation data, progress events, the best and last checkpoints
/// (atomic, resumable), early stopping and a CSV log, all from one seed.
/// </summary>
/// <remarks>
/// <para>Data sets are <c>torch.utils.data.IterableDataset</c>s whose items are a list of tensors, the input first
/// and the target second, as <c>torch.utils.data.TensorDataset(inputs, targets)</c> makes them. Batches go to the
/// device of the model's first parameter.</para>
/// <para>The optimizer and the scheduler are created by <see cref="Fit"/> through the factories given here, so a
/// resumed run can rebuild them and restore their state. A trainer holds no state between calls and no static
/// state; do not call <see cref="Fit"/> on one model from two threads at once.</para>
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer(model, parameters => optim.AdamW(parameters, lr: 0.003),
///     new TrainingOptions { Epochs = 5, Seed = 1, CheckpointDirectory = "runs/se", Resume = true },
///     scheduler: (optimizer, steps) => optim.lr_scheduler.OneCycleLR(optimizer, max_lr: 0.003, total_steps: 5 * steps));
/// TrainingHistory history = trainer.Fit(train, validation);
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Func<IEnumerable<Parameter>, optim.Optimizer> createOptimizer;
    private readonly Func<optim.Optimizer, int, LRScheduler>? createScheduler;

    /// <summary>Creates a trainer for <paramref name="model"/>.</summary>
    /// <param name="model">The module to train, on any device.</param>
    /// <param name="optimizer">Creates the optimizer from the model's parameters, e.g. <c>p => optim.SGD(p, 0.1, momentum: 0.9)</c>.</param>
    /// <param name="options">How to train; default <c>new TrainingOptions()</c>.</param>
    /// <param name="scheduler">
    /// Creates the learning-rate scheduler from the optimizer and the number of steps in an epoch, e.g.
    /// <c>(o, steps) => optim.lr_scheduler.CosineAnnealingLR(o, T_max: epochs * steps)</c>; null for a constant rate.
    /// </param>
    public Trainer(
        nn.Module<Tensor, Tensor> model,
        Func<IEnumerable<Parameter>, optim.Optimizer> optimizer,
        TrainingOptions? options = null,
        Func<optim.Optimizer, int, LRScheduler>? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        this.model = model;
        createOptimizer = optimizer;
        createScheduler = scheduler;
        Options = options ?? new TrainingOptions();
        CheckMonitor(Options);
    }

    /// <summary>The options this trainer trains with.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Raised after every training step, on the training thread (keep handlers quick).</summary>
    public event EventHandler<StepProgress>? StepCompleted;

    /// <summary>Raised after every epoch, once its evaluation and checkpoints are written.</summary>
    public event EventHandler<EpochResult>? EpochCompleted;

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs (or until early stopping), evaluating on
    /// <paramref name="validation"/> after each, and returns every epoch's figures. With
    /// <see cref="TrainingOptions.Resume"/> and a last checkpoint it continues after that checkpoint's epoch.
    /// </summary>
    /// <param name="train">The training set: items [input, target].</param>
    /// <param name="validation">The set evaluated after each epoch; null for none (the monitor then reads training figures).</param>
    /// <param name="cancellation">Stops between steps with <see cref="OperationCanceledException"/>; the last checkpoint is that of the last completed epoch.</param>
    /// <exception cref="CheckpointException">The checkpoint folder holds a run and <see cref="TrainingOptions.Resume"/> is off, or its checkpoint does not fit.</exception>
    public TrainingHistory Fit(utils.data.IterableDataset train, utils.data.IterableDataset? validation = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        TrainingOptions o = Options;
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        int steps = checked((int)((train.Count + o.BatchSize - 1) / o.BatchSize));
        Device device = DeviceOf(model);
        CheckpointStore? store = o.CheckpointDirectory is null ? null : new CheckpointStore(o.CheckpointDirectory);

        // Mixed precision: the optimizer updates float32 masters of the convolutions and linear layers (MixedPrecision).
        using MixedPrecision? mixed = o.Precision == Precision.BFloat16 ? new MixedPrecision(model, o.Precision) : null;
        using optim.Optimizer optimizer = createOptimizer(mixed?.Parameters ?? model.parameters())
            ?? throw new InvalidOperationException("The optimizer factory returned null.");
        OptimizerHelper? savable = optimizer as OptimizerHelper;
        if (store is not null && savable is null)
        {
            throw new ArgumentException(
                $"Checkpoints need an optimizer whose state TorchSharp can save (those of torch.optim: SGD, Adam, AdamW, RMSprop, ...); {optimizer.GetType().Name} cannot. Leave CheckpointDirectory unset to train without checkpoints.");
        }

        LRScheduler? scheduler = createScheduler?.Invoke(optimizer, steps);
        bool plateau = scheduler is impl.ReduceLROnPlateau;
        var run = new RunState();

        CheckpointManifest? last = store?.TryRead(CheckpointKind.Last);
        CheckpointManifest? best = store?.TryRead(CheckpointKind.Best);
        if ((last is not null || best is not null) && !o.Resume)
        {
            throw new CheckpointException(
                $"{store!.Directory} already holds checkpoints of a run ({Describe(last ?? best!)}); they are not overwritten. " +
                "Set TrainingOptions.Resume to continue that run, or choose another CheckpointDirectory.");
        }

        if (last is not null)
        {
            Restore(store!, last, steps, optimizer, savable!, scheduler, run);
            mixed?.PullFromModule();
        }
        else
        {
            random.manual_seed(o.Seed);
        }

        if (best is not null && (run.BestEpoch == 0 || best.Epoch > run.BestEpoch))
        {
            // The best checkpoint is written before the last one: after an interruption between the two it is newer.
            run.BestValue = best.BestValue;
            run.BestEpoch = best.Epoch;
        }

        int resumedAfter = last?.Epoch ?? 0;
        bool stoppedEarly = o.EarlyStopping is { } rule && run.StaleEpochs >= rule.Patience;
        if (resumedAfter >= o.Epochs || stoppedEarly)
        {
            return new TrainingHistory(run.History.ToArray(), resumedAfter, stoppedEarly);
        }

        var sampler = new EpochSampler(train.Count, o.Seed, o.Shuffle);
        using var loader = utils.data.DataLoader(train, o.BatchSize, sampler, device, num_worker: 1, drop_last: false, disposeBatch: true, disposeDataset: false);
        var clock = new RunClock(o.WarmupSteps, steps * (o.Epochs - resumedAfter));

        for (int epoch = resumedAfter + 1; epoch <= o.Epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            sampler.Epoch = epoch;
            EpochResult result = TrainEpoch(epoch, steps, loader, optimizer, mixed, scheduler, plateau, run, clock, validation, cancellation);
            run.History.Add(result);

            if (result.IsBest && store is not null)
            {
                store.Write(CheckpointKind.Best, epoch, model, null, (weights, _) => Manifest(CheckpointKind.Best, epoch, steps, weights, null, null, null, scheduler, run));
            }

            store?.Write(CheckpointKind.Last, epoch, model, savable, (weights, optimizerFile) =>
            {
                using Tensor state = random.get_rng_state();
                return Manifest(CheckpointKind.Last, epoch, steps, weights, optimizerFile, optimizer.GetType().Name, state.data<byte>().ToArray(), scheduler, run);
            });

            if (o.CsvLog is not null)
            {
                CsvLog.Write(o.CsvLog, o.Metrics, run.History);
            }

            EpochCompleted?.Invoke(this, result);
            if (o.EarlyStopping is { } stopping && run.StaleEpochs >= stopping.Patience && epoch < o.Epochs)
            {
                stoppedEarly = true;
                break;
            }
        }

        return new TrainingHistory(run.History.ToArray(), resumedAfter, stoppedEarly);
    }

    /// <summary>Evaluates the trained model with this trainer's loss, metrics and evaluation batch size.</summary>
    /// <param name="data">Items [input, target].</param>
    /// <param name="classes">When above 0, also counts a confusion matrix of that many classes.</param>
    public Evaluation Evaluate(utils.data.IterableDataset data, int classes = 0) => Evaluate(model, data, Options, classes);

    /// <summary>
    /// The mean loss and metrics of <paramref name="model"/> on <paramref name="data"/>, in evaluation mode and
    /// without gradients (the model's training mode is restored afterwards).
    /// </summary>
    /// <param name="model">Any module mapping a batch of inputs to outputs.</param>
    /// <param name="data">Items [input, target].</param>
    /// <param name="options">The loss, metrics and <see cref="TrainingOptions.EvaluationBatchSize"/>; default <c>new TrainingOptions()</c>.</param>
    /// <param name="classes">When above 0, also counts a confusion matrix (targets must be class indices below it).</param>
    public static Evaluation Evaluate(nn.Module<Tensor, Tensor> model, utils.data.IterableDataset data, TrainingOptions? options = null, int classes = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(classes);
        options ??= new TrainingOptions();
        if (data.Count == 0)
        {
            throw new ArgumentException("The data set to evaluate is empty.", nameof(data));
        }

        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var loader = utils.data.DataLoader(data, options.EvaluationBatchSize, shuffle: false, device: DeviceOf(model), disposeBatch: true, disposeDataset: false);
            double lossSum = 0;
            var sums = new double[options.Metrics.Count];
            long[]? counts = classes > 0 ? new long[classes * classes] : null;
            long seen = 0;
            foreach (IList<Tensor> batch in loader)
            {
                using var scope = NewDisposeScope();
                (Tensor input, Tensor target) = Split(batch);
                Tensor output = model.forward(input);
                long n = input.shape[0];
                lossSum += options.Loss(output, target).ToDouble() * n;
                for (int i = 0; i < sums.Length; i++)
                {
                    sums[i] += options.Metrics[i].Sum(output, target);
                }

                if (counts is not null)
                {
                    Count(counts, classes, output, target);
                }

                seen += n;
            }

            return new Evaluation(
                lossSum / seen,
                Means(options.Metrics, sums, seen),
                seen,
                counts is null ? null : new ConfusionMatrix(classes, counts));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private EpochResult TrainEpoch(
        int epoch,
        int steps,
        IEnumerable<IList<Tensor>> loader,
        optim.Optimizer optimizer,
        MixedPrecision? mixed,
        LRScheduler? scheduler,
        bool plateau,
        RunState run,
        RunClock clock,
        utils.data.IterableDataset? validation,
        CancellationToken cancellation)
    {
        TrainingOptions o = Options;
        model.train();
        double lossSum = 0;
        var sums = new double[o.Metrics.Count];
        long seen = 0;
        int step = 0;
        double learningRate = CurrentRate(optimizer);
        clock.StartEpoch();
        // The module holds bfloat16 copies only during the steps: evaluation and checkpoints below see float32.
        mixed?.Enter();
        foreach (IList<Tensor> batch in loader)
        {
            cancellation.ThrowIfCancellationRequested();
            long n;
            using (var scope = NewDisposeScope())
            {
                (Tensor input, Tensor target) = Split(batch);
                n = input.shape[0];
                learningRate = CurrentRate(optimizer);
                optimizer.zero_grad();
                Tensor output = mixed is null ? model.forward(input) : PrecisionPlan.Exit(model.forward(mixed.Input(input)));
                Tensor loss = o.Loss(output, target);
                loss.backward();
                if (mixed is null)
                {
                    optimizer.step();
                }
                else
                {
                    mixed.Step(optimizer);
                }

                if (scheduler is not null && !plateau && o.SchedulerStep == SchedulerInterval.Step)
                {
                    scheduler.step();
                    run.SchedulerSteps++;
                }

                lossSum += loss.ToDouble() * n;
                using (no_grad())
                {
                    Tensor detached = output.detach();
                    for (int i = 0; i < sums.Length; i++)
                    {
                        sums[i] += o.Metrics[i].Sum(detached, target);
                    }
                }
            }

            seen += n;
            step++;
            clock.StepDone(n);
            StepCompleted?.Invoke(this, new StepProgress(
                epoch, o.Epochs, step, steps, lossSum / seen, Means(o.Metrics, sums, seen),
                clock.EpochSamplesPerSecond, clock.EpochElapsed, clock.Remaining));
        }

        // (After an exception Fit disposes the MixedPrecision, which exits too.)
        mixed?.Exit();

        TimeSpan trainTime = clock.EpochElapsed;
        double samplesPerSecond = clock.EpochSamplesPerSecond;
        Dictionary<string, double> trainMetrics = Means(o.Metrics, sums, seen);
        Evaluation? evaluation = validation is null ? null : Evaluate(model, validation, o);

        double monitored = evaluation is not null
            ? (o.Monitor == "loss" ? evaluation.Loss : evaluation.Metrics[o.Monitor])
            : (o.Monitor == "loss" ? lossSum / seen : trainMetrics[o.Monitor]);
        bool lowerIsBetter = o.Monitor == "loss";
        bool isBest = !double.IsNaN(monitored) && (run.BestEpoch == 0 || (lowerIsBetter ? monitored < run.BestValue : monitored > run.BestValue));
        double delta = o.EarlyStopping?.MinDelta ?? 0;
        bool improved = !double.IsNaN(monitored) && (run.BestEpoch == 0 || (lowerIsBetter ? monitored < run.BestValue - delta : monitored > run.BestValue + delta));
        run.StaleEpochs = improved ? 0 : run.StaleEpochs + 1;
        if (isBest)
        {
            run.BestValue = monitored;
            run.BestEpoch = epoch;
        }

        if (scheduler is not null && plateau)
        {
            scheduler.step(monitored, null);
            run.PlateauValues.Add(monitored);
        }
        else if (scheduler is not null && o.SchedulerStep == SchedulerInterval.Epoch)
        {
            scheduler.step();
            run.SchedulerSteps++;
        }

        return new EpochResult(epoch, learningRate, lossSum / seen, trainMetrics, evaluation, trainTime, samplesPerSecond, isBest);
    }

    private void Restore(CheckpointStore store, CheckpointManifest last, int steps, optim.Optimizer optimizer, OptimizerHelper savable, LRScheduler? scheduler, RunState run)
    {
        TrainingOptions o = Options;
        string where = store.ManifestPath(CheckpointKind.Last);
        long parameters = model.parameters().Sum(p => p.numel());
        var differences = new List<string>();
        void Differ<T>(string what, T saved, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(saved, now))
            {
                differences.Add($"{what}: checkpoint {saved?.ToString() ?? "none"}, now {now?.ToString() ?? "none"}");
            }
        }

        Differ("model", last.ModelType, model.GetType().Name);
        Differ("parameters", last.Parameters, parameters);
        Differ("batch size", last.BatchSize, o.BatchSize);
        Differ("steps per epoch (the training set's size)", last.StepsPerEpoch, steps);
        Differ("seed", last.Seed, o.Seed);
        Differ("monitor", last.Monitor, o.Monitor);
        Differ("optimizer", last.OptimizerType, optimizer.GetType().Name);
        Differ("scheduler", last.SchedulerType, scheduler?.GetType().Name);
        if (differences.Count > 0)
        {
            throw new CheckpointException($"{where} was written by a run that differs from this one, so it cannot be resumed: {string.Join("; ", differences)}.");
        }

        if (last.Optimizer is null || last.RandomState is null)
        {
            throw new CheckpointException($"{where} lacks the optimizer or random state a resume needs.");
        }

        string weights = store.Verified(CheckpointKind.Last, last.Weights);
        string optimizerPath = store.Verified(CheckpointKind.Last, last.Optimizer);
        Weights.Load(model, weights);

        // TorchSharp's schedulers have no state_dict: the scheduler is brought to the checkpoint's step by replaying its
        // steps on the fresh optimizer (schedules are functions of their steps and, for ReduceLROnPlateau, of the
        // values it was given); the optimizer's saved state, learning rates included, is then loaded over it.
        if (scheduler is not null)
        {
            for (long i = 0; i < last.SchedulerSteps; i++)
            {
                scheduler.step();
            }

            foreach (double value in last.PlateauValues)
            {
                scheduler.step(value, null);
            }
        }

        try
        {
            using FileStream stream = File.OpenRead(optimizerPath);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: false);
            savable.load_state_dict(reader);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not CheckpointException)
        {
            throw new CheckpointException($"{optimizerPath}: the optimizer state cannot be loaded into {optimizer.GetType().Name} ({e.GetType().Name}: {e.Message}).", e);
        }

        using (Tensor state = tensor(last.RandomState, dtype: ScalarType.Byte))
        {
            random.set_rng_state(state);
        }

        run.History.AddRange(last.History);
        run.BestValue = last.BestValue;
        run.BestEpoch = last.BestEpoch;
        run.StaleEpochs = last.StaleEpochs;
        run.SchedulerSteps = last.SchedulerSteps;
        run.PlateauValues.AddRange(last.PlateauValues);
    }

    private CheckpointManifest Manifest(CheckpointKind kind, int epoch, int steps, CheckpointFile weights, CheckpointFile? optimizer, string? optimizerType, byte[]? randomState, LRScheduler? scheduler, RunState run) =>
        new(kind, epoch, model.GetType().Name, model.parameters().Sum(p => p.numel()), Options.BatchSize, steps, Options.Seed, Options.Monitor,
            run.BestValue, run.BestEpoch, run.StaleEpochs, weights, optimizer, optimizerType, randomState, scheduler?.GetType().Name,
            run.SchedulerSteps, run.PlateauValues.ToArray(), run.History.ToArray());

    private static string Describe(CheckpointManifest manifest) =>
        $"{CheckpointStore.Prefix(manifest.Kind)} checkpoint of {manifest.ModelType} after epoch {manifest.Epoch}";

    private static void CheckMonitor(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Metrics);
        var names = new HashSet<string>(StringComparer.Ordinal) { "loss" };
        foreach (Metric metric in options.Metrics)
        {
            if (!names.Add(metric.Name))
            {
                throw new ArgumentException($"Two metrics are named '{metric.Name}'; names must be unique and not 'loss'.", nameof(options));
            }
        }

        if (!names.Contains(options.Monitor))
        {
            throw new ArgumentException($"Monitor '{options.Monitor}' is neither 'loss' nor one of the metrics ({string.Join(", ", options.Metrics.Select(m => m.Name))}).", nameof(options));
        }
    }

    private static (Tensor Input, Tensor Target) Split(IList<Tensor> batch) =>
        batch.Count >= 2
            ? (batch[0], batch[1])
            : throw new ArgumentException($"Each item of the data set must be [input, target]; this one has {batch.Count} tensor(s). Build it with torch.utils.data.TensorDataset(inputs, targets).");

    private static void Count(long[] counts, int classes, Tensor output, Tensor target)
    {
        Tensor predicted = output.argmax(1);
        Tensor labels = target.to_type(ScalarType.Int64);
        long low = labels.min().ToInt64(), high = labels.max().ToInt64();
        if (low < 0 || high >= classes)
        {
            throw new ArgumentException($"A confusion matrix of {classes} classes needs targets 0-{classes - 1}; found {(low < 0 ? low : high)}.");
        }

        long[] batch = (labels * classes + predicted).bincount(null, classes * classes).cpu().data<long>().ToArray();
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] += batch[i];
        }
    }

    private static Dictionary<string, double> Means(IReadOnlyList<Metric> metrics, double[] sums, long count)
    {
        var means = new Dictionary<string, double>(metrics.Count, StringComparer.Ordinal);
        for (int i = 0; i < metrics.Count; i++)
        {
            means[metrics[i].Name] = sums[i] / count;
        }

        return means;
    }

    private static double CurrentRate(optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    private static Device DeviceOf(nn.Module model) => model.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>What a run carries from epoch to epoch, and from a checkpoint into a resumed run.</summary>
    private sealed class RunState
    {
        public List<EpochResult> History { get; } = [];

        public double BestValue { get; set; } = double.NaN;

        public int BestEpoch { get; set; }

        public int StaleEpochs { get; set; }

        public long SchedulerSteps { get; set; }

        public List<double> PlateauValues { get; } = [];
    }
}
