using System;
using System.Collections.Generic;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SeDsl.Samples.Training;

/// <summary>How to train: epochs, batch size, the learning-rate schedule's peak, and the seed of the batch order.</summary>
internal sealed record TrainingOptions(int Epochs, int BatchSize = 64, double LearningRate = 0.003, double WeightDecay = 0.0001, int Seed = 2026);

/// <summary>The figures of one epoch: mean training loss and accuracy over its batches, then loss and accuracy on the test set.</summary>
internal sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, TimeSpan TrainTime);

/// <summary>Receives the progress of training, batch by batch (a progress bar, plain lines, or nothing).</summary>
internal interface ITrainingProgress
{
    void EpochStarted(string model, int epoch, int epochs, int batches);

    void BatchDone(int batchesDone, double meanLoss, double accuracy);

    void EpochDone(string model, EpochResult result);
}

/// <summary>Reports nothing (tests).</summary>
internal sealed class SilentProgress : ITrainingProgress
{
    public static SilentProgress Instance { get; } = new();

    public void EpochStarted(string model, int epoch, int epochs, int batches)
    {
    }

    public void BatchDone(int batchesDone, double meanLoss, double accuracy)
    {
    }

    public void EpochDone(string model, EpochResult result)
    {
    }
}

/// <summary>
/// Trains a classifier with AdamW and cross-entropy, the learning rate following one cosine cycle after a one-epoch
/// linear warm-up (computed here per batch), and evaluates it on the test set after every epoch. The batch order comes
/// from a <see cref="Random"/> seeded with <see cref="TrainingOptions.Seed"/>, so two models trained with the same
/// options see the same batches.
/// </summary>
internal static class Trainer
{
    // Fashion-MNIST's pixel mean and standard deviation (of the 60,000 original training images, on a 0-1 scale).
    private const float Mean = 0.2860f;
    private const float Std = 0.3530f;
    private const int EvaluationBatch = 500;

    public static IReadOnlyList<EpochResult> Train(string name, nn.Module<Tensor, Tensor> model, ImageSet train, ImageSet test, TrainingOptions options, ITrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        if (train.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"Training needs images: {train.Count} training and {test.Count} test images given.");
        }

        using Tensor trainImages = Normalise(train);
        using Tensor trainLabels = tensor(Array.ConvertAll(train.Labels, l => (long)l));
        using Tensor testImages = Normalise(test);
        using Tensor testLabels = tensor(Array.ConvertAll(test.Labels, l => (long)l));

        using optim.Optimizer optimizer = optim.AdamW(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var order = new Random(options.Seed);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        int totalSteps = batches * options.Epochs;
        int warmupSteps = options.Epochs > 1 ? batches : 0;
        int step = 0;
        var results = new List<EpochResult>();

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            progress.EpochStarted(name, epoch, options.Epochs, batches);
            model.train();
            long[] permutation = Permutation(train.Count, order);
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            var clock = Stopwatch.StartNew();
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                int start = b * options.BatchSize;
                int length = Math.Min(options.BatchSize, train.Count - start);
                Tensor index = tensor(permutation[start..(start + length)]);
                Tensor images = trainImages.index_select(0, index);
                Tensor labels = trainLabels.index_select(0, index);

                SetLearningRate(optimizer, LearningRate(options.LearningRate, step++, warmupSteps, totalSteps));
                optimizer.zero_grad();
                Tensor logits = model.forward(images);
                Tensor loss = nn.functional.cross_entropy(logits, labels);
                loss.backward();
                optimizer.step();

                lossSum += loss.item<float>() * length;
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                seen += length;
                progress.BatchDone(b + 1, lossSum / seen, (double)correct / seen);
            }

            clock.Stop();
            (double testLoss, double testAccuracy) = Evaluate(model, testImages, testLabels);
            var result = new EpochResult(epoch, lossSum / seen, (double)correct / seen, testLoss, testAccuracy, clock.Elapsed);
            results.Add(result);
            progress.EpochDone(name, result);
        }

        return results;
    }

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> in evaluation mode.</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels)
    {
        model.eval();
        using var noGrad = no_grad();
        long count = images.shape[0];
        double lossSum = 0;
        long correct = 0;
        for (long start = 0; start < count; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(EvaluationBatch, count - start);
            Tensor logits = model.forward(images.narrow(0, start, length));
            Tensor target = labels.narrow(0, start, length);
            lossSum += nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(target).sum().item<long>();
        }

        return (lossSum / count, (double)correct / count);
    }

    /// <summary>The images as an N x 1 x 28 x 28 float tensor, standardised with Fashion-MNIST's mean and deviation.</summary>
    public static Tensor Normalise(ImageSet set)
    {
        using var scope = NewDisposeScope();
        Tensor pixels = tensor(set.Pixels, dtype: ScalarType.Byte).reshape(set.Count, 1, ImageSet.Rows, ImageSet.Columns);
        return pixels.to_type(ScalarType.Float32).div_(255f).sub_(Mean).div_(Std).MoveToOuterDisposeScope();
    }

    /// <summary>Linear warm-up to <paramref name="peak"/>, then half a cosine down to zero at the last step.</summary>
    public static double LearningRate(double peak, int step, int warmupSteps, int totalSteps)
    {
        if (step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }

        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    private static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }

    private static long[] Permutation(int count, Random random)
    {
        var permutation = new long[count];
        for (int i = 0; i < count; i++)
        {
            permutation[i] = i;
        }

        random.Shuffle(permutation);
        return permutation;
    }
}
