using System;
using SeDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Training;

/// <summary>Accuracy, top-k and the confusion matrix on outputs written out by hand.</summary>
public sealed class MetricTests
{
    // Three samples, four classes; the targets' ranks among the outputs are 1, 3 and 2.
    private static Tensor Outputs() => tensor(new float[,] { { 0.1f, 0.9f, 0.0f, 0.0f }, { 0.5f, 0.2f, 0.1f, 0.3f }, { 0.2f, 0.1f, 0.3f, 0.4f } });

    private static Tensor Targets() => tensor(new long[] { 1, 1, 2 });

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    public void Top_k_counts_the_samples_whose_target_is_among_the_k_highest(int k, int hits)
    {
        using Tensor outputs = Outputs();
        using Tensor targets = Targets();
        Assert.Equal(hits, Metric.TopK(k).Sum(outputs, targets));
    }

    [Fact]
    public void Accuracy_is_top_1_and_named_accuracy()
    {
        using Tensor outputs = Outputs();
        using Tensor targets = Targets();
        Assert.Equal("accuracy", Metric.Accuracy.Name);
        Assert.Equal("top3", Metric.TopK(3).Name);
        Assert.Equal(1, Metric.Accuracy.Sum(outputs, targets));
    }

    [Fact]
    public void Top_k_above_the_number_of_classes_names_both()
    {
        using Tensor outputs = Outputs();
        using Tensor targets = Targets();
        var error = Assert.Throws<ArgumentException>(() => Metric.TopK(5).Sum(outputs, targets));
        Assert.Contains("at least 5 classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_counts_the_confusion_matrix_and_the_per_class_accuracy()
    {
        // An identity model: the inputs are the outputs. Predictions 1, 0, 3 for targets 1, 1, 2.
        using var identity = nn.Identity();
        using var data = utils.data.TensorDataset(Outputs(), Targets());

        Evaluation result = Trainer.Evaluate(identity, data, new TrainingOptions { EvaluationBatchSize = 2 }, classes: 4);

        ConfusionMatrix m = result.Confusion!;
        Assert.Equal(3, m.Total);
        Assert.Equal(1, m[1, 1]);
        Assert.Equal(1, m[1, 0]);
        Assert.Equal(1, m[2, 3]);
        Assert.Equal(0, m[2, 2]);
        Assert.Equal(1.0 / 3, m.Accuracy, 12);
        Assert.Equal(1.0 / 3, result["accuracy"], 12);
        Assert.Equal(new[] { double.NaN, 0.5, 0.0, double.NaN }, m.PerClassAccuracy());
        Assert.Equal(3, result.Samples);
    }

    [Fact]
    public void A_metric_that_was_not_computed_names_those_that_were()
    {
        var result = new Evaluation(0.5, new System.Collections.Generic.Dictionary<string, double> { ["accuracy"] = 0.9 }, 10);
        var error = Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => result["top5"]);
        Assert.Contains("accuracy", error.Message, StringComparison.Ordinal);
    }
}
