using System;
using System.Globalization;
using Spectre.Console;

namespace SeDsl.Samples.Training;

/// <summary>A Spectre.Console progress bar per epoch per model: batches done, running loss and accuracy.</summary>
internal sealed class LiveProgress(ProgressContext context) : ITrainingProgress
{
    private ProgressTask? task;
    private string label = string.Empty;

    public void EpochStarted(string model, int epoch, int epochs, int batches)
    {
        label = $"{model} epoch {epoch}/{epochs}";
        task = context.AddTask(Markup.Escape(label), maxValue: batches);
    }

    public void BatchDone(int batchesDone, double meanLoss, double accuracy)
    {
        if (task is null)
        {
            return;
        }

        task.Value = batchesDone;
        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{label}  loss {meanLoss:0.0000}  acc {Report.Percent(accuracy)}"));
    }

    public void EpochDone(string model, EpochResult result)
    {
        if (task is null)
        {
            return;
        }

        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{label}  loss {result.TrainLoss:0.0000}  acc {Report.Percent(result.TrainAccuracy)}  test {Report.Percent(result.TestAccuracy)}"));
        task.StopTask();
    }
}

/// <summary>One plain line per epoch, for output that is not a terminal (CI logs, files).</summary>
internal sealed class LineProgress(System.IO.TextWriter output) : ITrainingProgress
{
    private int epochs;

    public void EpochStarted(string model, int epoch, int epochs, int batches) => this.epochs = epochs;

    public void BatchDone(int batchesDone, double meanLoss, double accuracy)
    {
    }

    public void EpochDone(string model, EpochResult result) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model} epoch {result.Epoch}/{epochs}: train loss {result.TrainLoss:0.0000}, train acc {Report.Percent(result.TrainAccuracy)}, test loss {result.TestLoss:0.0000}, test acc {Report.Percent(result.TestAccuracy)}, {Report.Seconds(result.TrainTime)}"));
}
