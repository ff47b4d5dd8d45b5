using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SeDsl.Training;

namespace SeDsl.Samples.Training;

/// <summary>
/// Formats training progress as one line that fits a given width: the most detailed form that fits, a progress bar
/// only where there is room, and cut with an ellipsis only as a last resort.
/// </summary>
internal static class ProgressLine
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A step: model, epoch, steps, running loss and accuracy, images/s, time remaining.</summary>
    public static string Step(string model, StepProgress p, int width)
    {
        string position = $"e{p.Epoch}/{p.Epochs} {p.Step}/{p.Steps}";
        string loss = string.Create(Invariant, $"loss {p.RunningLoss:0.0000}");
        string accuracy = p.RunningMetrics.TryGetValue("accuracy", out double a) ? $"acc {Report.Percent(a, 2, space: false)}" : string.Empty;
        string speed = p.SamplesPerSecond > 0 ? string.Create(Invariant, $"{p.SamplesPerSecond:N0} img/s") : "- img/s";
        string eta = "ETA " + (p.Remaining is { } r ? Clock(r) : "-");
        string[][] forms =
        [
            [model, position, loss, accuracy, speed, eta],
            [model, position, string.Create(Invariant, $"loss {p.RunningLoss:0.000}"), accuracy.Replace("acc ", string.Empty, StringComparison.Ordinal), speed.Replace(" img/s", "/s", StringComparison.Ordinal), eta],
            [Short(model), position, string.Create(Invariant, $"{p.RunningLoss:0.000}"), accuracy.Replace("acc ", string.Empty, StringComparison.Ordinal), eta],
        ];

        string line = Fit(forms, width);
        int room = width - 1 - line.Length - 2;
        if (room >= 12 && line == Join(forms[0]))
        {
            // The bar goes after the position; it takes what is left, up to 30 cells.
            int cells = Math.Min(30, room - 2);
            int filled = (int)Math.Round(cells * (double)p.Step / p.Steps);
            string bar = "[" + new string('#', filled) + new string('.', cells - filled) + "]";
            line = Join([model, position, bar, loss, accuracy, speed, eta]);
        }

        return line;
    }

    /// <summary>An epoch's summary: training and test loss and accuracy, time and throughput.</summary>
    public static string Epoch(string model, EpochResult e, int epochs, int width)
    {
        double trainAccuracy = e.TrainMetrics["accuracy"];
        string time = string.Create(Invariant, $"{e.TrainTime.TotalSeconds:0.0} s");
        string speed = e.SamplesPerSecond > 0 ? string.Create(Invariant, $"{e.SamplesPerSecond:N0} img/s") : string.Empty;
        string Figures(string label, double loss, double accuracy, bool named) => named
            ? string.Create(Invariant, $"{label} loss {loss:0.0000} acc {Report.Percent(accuracy, 2, space: false)}")
            : string.Create(Invariant, $"{label} {loss:0.000} {Report.Percent(accuracy, 1, space: false)}");
        string Test(bool named) => e.Validation is { } v ? Figures("test", v.Loss, v["accuracy"], named) : string.Empty;
        string[][] forms =
        [
            [$"{model} epoch {e.Epoch}/{epochs}:", Figures("train", e.TrainLoss, trainAccuracy, named: true), Test(named: true), time, speed],
            [$"{model} {e.Epoch}/{epochs}", Figures("train", e.TrainLoss, trainAccuracy, named: false), Test(named: false), time, speed],
            [$"{Short(model)} {e.Epoch}/{epochs}", Figures("train", e.TrainLoss, trainAccuracy, named: false), Test(named: false), time],
        ];
        return Fit(forms, width);
    }

    /// <summary>h:mm:ss, or m:ss under an hour.</summary>
    public static string Clock(TimeSpan time)
    {
        long seconds = (long)Math.Ceiling(time.TotalSeconds);
        return seconds >= 3600
            ? string.Create(Invariant, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(Invariant, $"{seconds / 60}:{seconds % 60:00}");
    }

    // Terminals wrap a line that fills the last column, so a line gets at most width - 1 characters.
    private static string Fit(string[][] forms, int width)
    {
        int limit = Math.Max(1, width - 1);
        foreach (string[] form in forms)
        {
            string line = Join(form);
            if (line.Length <= limit)
            {
                return line;
            }
        }

        string shortest = Join(forms[^1]);
        return limit <= 1 ? shortest[..limit] : shortest[..(limit - 1)] + "…";
    }

    private static string Join(IEnumerable<string> parts) => string.Join("  ", System.Linq.Enumerable.Where(parts, p => p.Length > 0));

    // FashionSeResNet -> SeResNet: without its first word, so that twins with a common prefix stay distinct.
    private static string Short(string model)
    {
        int second = model.Length <= 10 ? -1 : model.AsSpan(1).IndexOfAnyInRange('A', 'Z');
        return second < 0 ? model : model[(second + 1)..];
    }
}

/// <summary>
/// Shows a trainer's progress: on a terminal one line rewritten in place (at most ten times a second) and a lasting
/// summary line per epoch; elsewhere (CI logs, files) plain lines at every quarter of an epoch and the summary.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output, int width, bool interactive)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private DateTime lastDrawn = DateTime.MinValue;
    private int shown;

    /// <summary>Subscribes to <paramref name="trainer"/>'s events, labelling its lines with <paramref name="model"/>.</summary>
    public void Attach(Trainer trainer, string model)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        int epochs = trainer.Options.Epochs;
        trainer.StepCompleted += (_, step) => Step(model, step);
        trainer.EpochCompleted += (_, epoch) => Epoch(model, epoch, epochs);
    }

    public void Step(string model, StepProgress step)
    {
        if (interactive)
        {
            DateTime now = DateTime.UtcNow;
            if (now - lastDrawn < Interval && step.Step != step.Steps && step.Step != 1)
            {
                return;
            }

            lastDrawn = now;
            Draw(ProgressLine.Step(model, step, width));
            return;
        }

        // A quarter boundary is crossed when step * 4 / steps grows.
        if (step.Step * 4 / step.Steps > (step.Step - 1) * 4 / step.Steps)
        {
            output.WriteLine(ProgressLine.Step(model, step, width));
        }
    }

    public void Epoch(string model, EpochResult epoch, int epochs)
    {
        string line = ProgressLine.Epoch(model, epoch, epochs, width);
        if (interactive)
        {
            Draw(line);
            output.WriteLine();
            shown = 0;
        }
        else
        {
            output.WriteLine(line);
        }

        output.Flush();
    }

    private void Draw(string line)
    {
        // Back to the line's start, the new text, blanks over what is left of a longer earlier line.
        output.Write('\r');
        output.Write(line);
        if (shown > line.Length)
        {
            output.Write(new string(' ', shown - line.Length));
            output.Write('\r');
            output.Write(line);
        }

        shown = line.Length;
        output.Flush();
    }
}
