using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SeDsl.Samples.Training;
using SeDsl.Training;
using Xunit;

namespace SeDsl.Tests.Samples;

/// <summary>The live progress display at fixed widths, on a terminal (lines rewritten in place) and in a log.</summary>
public sealed class ProgressTests
{
    private const string Model = "FashionSeResNet";

    public static TheoryData<int> Widths => new() { 40, 60, 80, 100, 160 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_line_fits_the_width_even_with_large_figures(int width)
    {
        foreach (StepProgress step in new[] { Step(47, 94), Step(93_999, 94_000, loss: 12.3456, speed: 1_234_567, remaining: TimeSpan.FromHours(123)) })
        {
            Assert.InRange(ProgressLine.Step(Model, step, width).Length, 1, width - 1);
        }

        Assert.InRange(ProgressLine.Epoch(Model, Epoch(3), 5, width).Length, 1, width - 1);
    }

    [Fact]
    public void At_80_columns_a_step_shows_position_loss_accuracy_throughput_and_ETA()
    {
        string line = ProgressLine.Step(Model, Step(47, 94), 80);

        Assert.Equal("FashionSeResNet  e2/5 47/94  loss 0.4123  acc 85.12%  1,950 img/s  ETA 1:23", line);
        Assert.DoesNotContain("[", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wide_terminal_gets_a_bar_filled_in_proportion()
    {
        string line = ProgressLine.Step(Model, Step(47, 94), 160);

        string bar = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)];
        Assert.Equal(30, bar.Length);
        Assert.Equal(15, bar.Count(c => c == '#'));
        Assert.Contains("ETA 1:23", line, StringComparison.Ordinal);
    }

    [Fact]
    public void At_80_columns_the_epoch_summary_keeps_both_losses_accuracies_time_and_throughput()
    {
        Assert.Equal("FashionSeResNet 3/5  train 0.512 81.2%  test 0.457 83.4%  3.1 s  1,950 img/s", ProgressLine.Epoch(Model, Epoch(3), 5, 80));
        Assert.StartsWith("FashionSeResNet epoch 3/5:  train loss 0.5123 acc 81.23%  test loss 0.4567 acc 83.40%", ProgressLine.Epoch(Model, Epoch(3), 5, 120), StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_terminal_of_80_columns_no_drawn_segment_reaches_the_last_column()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, 80, interactive: true);
        for (int s = 1; s <= 94; s++)
        {
            progress.Step(Model, Step(s, 94, remaining: TimeSpan.FromSeconds(94 - s)));
        }

        progress.Epoch(Model, Epoch(2), 5);

        string text = output.ToString();
        string[] segments = text.Split('\r', '\n');
        Assert.All(segments, s => Assert.InRange(s.Length, 0, 79));
        // One lasting line: every step drawn over the one before, the summary drawn last.
        string[] lasting = text.Split(Environment.NewLine);
        Assert.Equal(2, lasting.Length);
        Assert.Equal(string.Empty, lasting[1]);
        Assert.Equal(ProgressLine.Epoch(Model, Epoch(2), 5, 80), lasting[0][(lasting[0].LastIndexOf('\r') + 1)..]);
        Assert.Contains(ProgressLine.Step(Model, Step(94, 94, remaining: TimeSpan.Zero), 80), text, StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_log_progress_is_plain_lines_at_each_quarter_and_a_summary()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, 80, interactive: false);
        for (int s = 1; s <= 94; s++)
        {
            progress.Step(Model, Step(s, 94));
        }

        progress.Epoch(Model, Epoch(2), 5);

        string text = output.ToString();
        Assert.DoesNotContain('\r', text);
        string[] lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { "24/94", "47/94", "71/94", "94/94" }, lines.Take(4).Select(l => l.Split("  ")[1].Split(' ')[1]));
        Assert.StartsWith("FashionSeResNet 2/5", lines[4], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
    }

    private static StepProgress Step(int step, int steps, double loss = 0.4123, double speed = 1950, TimeSpan? remaining = null) =>
        new(2, 5, step, steps, loss, new Dictionary<string, double> { ["accuracy"] = 0.8512 }, speed, TimeSpan.FromSeconds(10), remaining ?? TimeSpan.FromSeconds(83));

    private static EpochResult Epoch(int epoch) =>
        new(epoch, 0.001, 0.5123, new Dictionary<string, double> { ["accuracy"] = 0.8123 },
            new Evaluation(0.4567, new Dictionary<string, double> { ["accuracy"] = 0.834 }, 2000), TimeSpan.FromSeconds(3.1), 1950, false);
}
