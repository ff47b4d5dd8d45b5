using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using SeDsl.Tests.Infrastructure;
using Xunit;
using static SeDsl.Tests.Generator.ReliabilityAssert;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Issue 19, item 6: work bounded by limits that no real network reaches (docs/reliability-diagnostics.md), each
/// with a diagnostic, and a run that stops soon after it is cancelled.
/// </summary>
public class ReliabilityLimitTests
{
    /// <summary>Blocks one stage may repeat.</summary>
    private const int MaxStageBlocks = 10_000;

    /// <summary>Layers one network may expand to, counting the layers inside every block it creates.</summary>
    private const int MaxNetworkLayers = 100_000;

    /// <summary>Nested parentheses in one channel expression.</summary>
    private const int MaxExpressionDepth = 64;

    /// <summary>Binary operators in one channel expression.</summary>
    private const int MaxExpressionOperators = 256;

    private const string OneLayerBlock = "[Block] public partial class B { [ReLU] private readonly ReLU relu; }\n";

    [Fact]
    public void A_stage_of_more_than_ten_thousand_blocks_is_SEDSL107_on_its_count()
    {
        var run = GeneratorHarness.Run(Code(OneLayerBlock + $"[Network(3, 8, 8)] public partial class Net {{ [Stage(typeof(B), {MaxStageBlocks + 1})] private readonly Sequential layer1; }}"));

        var diagnostic = Single(run, "SEDSL107", (MaxStageBlocks + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("layer1", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("10000", Message(diagnostic).Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100_000_000)]
    [InlineData(int.MaxValue)]
    public void A_stage_of_a_huge_count_is_SEDSL107_at_once(int count)
    {
        // Without the limit, 100,000,000 blocks keep the generator busy for minutes: fail at once instead of running it.
        Assert.True(LimitsEnforced(), "a stage of 10,001 blocks gets no SEDSL107, so a huge one would run for minutes");

        var watch = Stopwatch.StartNew();
        var run = GeneratorHarness.Run(Code(OneLayerBlock + $"[Network(3, 8, 8)] public partial class Net {{ [Stage(typeof(B), {count})] private readonly Sequential layer1; }}"));

        Single(run, "SEDSL107", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 5);
    }

    [Fact]
    public void A_stage_of_exactly_ten_thousand_blocks_generates_code_that_compiles()
    {
        var run = GeneratorHarness.Run(Code(OneLayerBlock + $"[Network(3, 8, 8)] public partial class Net {{ [Stage(typeof(B), {MaxStageBlocks})] private readonly Sequential layer1; }}"));

        Compiles(run, "Demo.Net.SeDsl.Module.g.cs");
    }

    [Fact]
    public void A_network_of_more_than_a_hundred_thousand_layers_is_SEDSL302_on_the_layer_that_passes_the_limit()
    {
        string stages = string.Concat(Enumerable.Range(0, MaxNetworkLayers / MaxStageBlocks)
            .Select(i => $"    [Stage(typeof(B), {MaxStageBlocks})] private readonly Sequential layer{i};\n"));
        var run = GeneratorHarness.Run(Code(OneLayerBlock + $"[Network(3, 8, 8)] public partial class Net\n{{\n{stages}    [Stage(typeof(B), 1)] private readonly Sequential last;\n}}"));

        var diagnostic = Single(run, "SEDSL302", "Stage(typeof(B), 1)");
        Assert.Contains("Net", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("100000", Message(diagnostic).Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_nested_into_more_than_a_hundred_thousand_layers_are_SEDSL302_too()
    {
        // Each block uses the one before it twice: D16 is 2^16 = 65,536 ReLU layers, written in 17 small classes.
        var blocks = new System.Text.StringBuilder("[Block] public partial class D0 { [ReLU] private readonly ReLU relu; }\n");
        for (int i = 1; i <= 16; i++)
        {
            blocks.Append($"[Block] public partial class D{i} {{ [Use(typeof(D{i - 1}))] private readonly D{i - 1} a; [Use(typeof(D{i - 1}))] private readonly D{i - 1} b; }}\n");
        }

        var run = GeneratorHarness.Run(Code(blocks + "[Network(3, 8, 8)] public partial class Net { [Use(typeof(D16))] private readonly D16 half; [Use(typeof(D16))] private readonly D16 whole; }"));

        // Every block is within the limit; the network passes it with its second use of D16 (65,536 + 65,536 layers).
        Single(run, "SEDSL302", "Use(typeof(D16))", within: "[Use(typeof(D16))] private readonly D16 whole");
    }

    private static string Nested(int depth) => new string('(', depth) + "width" + new string(')', depth);

    private static string Sum(int operators) => string.Join(" + ", Enumerable.Repeat("width", operators + 1));

    private static string ExpressionBlock(string expression) =>
        Code($"[Block] public partial class E {{ [Param] private readonly int width; [Conv2d(\"{expression}\", 1)] private readonly Conv2d conv; }}");

    [Fact]
    public void An_expression_nested_deeper_than_64_parentheses_is_SEDSL106()
    {
        string expression = Nested(MaxExpressionDepth + 1);

        var run = GeneratorHarness.Run(ExpressionBlock(expression));

        var diagnostic = Single(run, "SEDSL106", "\"" + expression + "\"");
        Assert.Contains("64", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_of_more_than_256_operators_is_SEDSL106()
    {
        string expression = Sum(MaxExpressionOperators + 1);

        var run = GeneratorHarness.Run(ExpressionBlock(expression));

        var diagnostic = Single(run, "SEDSL106", "\"" + expression + "\"");
        Assert.Contains("256", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void Expressions_at_the_limits_generate_code_that_compiles()
    {
        Compiles(GeneratorHarness.Run(ExpressionBlock(Nested(MaxExpressionDepth))), "Demo.E.SeDsl.Block.g.cs");
        Compiles(GeneratorHarness.Run(ExpressionBlock(Sum(MaxExpressionOperators))), "Demo.E.SeDsl.Block.g.cs");
    }

    [Theory]
    [InlineData(true, 20_000)]
    [InlineData(false, 60_000)]
    public void Huge_expressions_are_SEDSL106_without_exhausting_the_stack(bool nested, int size)
    {
        string expression = nested ? Nested(size) : Sum(size);
        if (!nested)
        {
            // Without the operator limit a sum of 60,000 terms takes minutes: fail at once instead of running it.
            Assert.True(GeneratorHarness.Run(ExpressionBlock(Sum(MaxExpressionOperators + 1))).GeneratorDiagnostics.Any(d => d.Id == "SEDSL106"),
                "a sum of 257 operators gets no SEDSL106, so a sum of 60,000 terms would run for minutes");
        }

        // On a 1 GiB stack: before the limits this recursion overflowed the compiler's stack, which would end the test process.
        var run = ReliabilityHarness.OnLargeStack(() => GeneratorHarness.Run(ExpressionBlock(expression)));

        Single(run, "SEDSL106", "\"" + expression + "\"");
    }

    [Fact]
    public void A_cancelled_run_over_a_huge_stage_stops_within_five_seconds()
    {
        // Three million blocks: without the stage limit the check step expands them for seconds without looking at the
        // token (thirty million ran 22 s past a cancellation to the end). Cancelled after a second, inside that step;
        // with the limit the stage is an instant SEDSL107, so the run may well have ended before the cancellation.
        AssertStopsSoonAfterCancel(1000, mustStillRun: false, Code(OneLayerBlock + "[Network(3, 8, 8)] public partial class Net { [Stage(typeof(B), 3000000)] private readonly Sequential layer1; }"));
    }

    [Fact]
    public void A_cancelled_run_over_networks_at_the_layer_limit_stops_within_five_seconds()
    {
        // Twenty networks within every limit: seconds of legal work, which every step must interrupt when cancelled. The run
        // must still be working when the token is cancelled, else the test would pass without testing anything.
        string stages = string.Concat(Enumerable.Range(0, MaxNetworkLayers / MaxStageBlocks)
            .Select(i => $"[Stage(typeof(B), {MaxStageBlocks})] private readonly Sequential layer{i}; "));
        AssertStopsSoonAfterCancel(300, mustStillRun: true, Code(OneLayerBlock + string.Concat(Enumerable.Range(0, 20).Select(n => $"[Network(3, 8, 8)] public partial class Net{n} {{ {stages}}}\n"))));
    }

    private static void AssertStopsSoonAfterCancel(int cancelAfterMilliseconds, bool mustStillRun, string source)
    {
        var input = GeneratorHarness.Compile(source);
        var driver = GeneratorHarness.CreateDriver();
        using var cancel = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        Exception? ended = null;

        // A thread of its own, so that the run starts at once and the token is cancelled while it works, not before.
        var run = new Thread(() =>
        {
            started.Set();
            try
            {
                driver.RunGeneratorsAndUpdateCompilation(input, out _, out _, cancel.Token);
            }
            catch (Exception e)
            {
                ended = e;
            }
        });
        run.Start();
        started.Wait();
        Thread.Sleep(cancelAfterMilliseconds);
        bool running = run.IsAlive;
        var watch = Stopwatch.StartNew();
        cancel.Cancel();
        bool stopped = run.Join(TimeSpan.FromSeconds(5));
        var waited = watch.Elapsed;
        if (!stopped)
        {
            // Do not leave the work running beside other tests.
            run.Join(TimeSpan.FromMinutes(5));
        }

        Assert.True(running || !mustStillRun, $"the run ended within {cancelAfterMilliseconds} ms, before it was cancelled, so the cancellation was not tested");
        Assert.True(stopped, $"the run went on for {watch.Elapsed.TotalSeconds:F1} s after cancellation ({waited.TotalSeconds:F1} s waited)");
        Assert.True(ended is null or OperationCanceledException, $"the run ended with {ended}");
    }

    /// <summary>Whether the generator enforces the stage limit: the huge cases would otherwise run for minutes.</summary>
    private static bool LimitsEnforced() =>
        GeneratorHarness.Run(Code(OneLayerBlock + $"[Network(3, 8, 8)] public partial class Net {{ [Stage(typeof(B), {MaxStageBlocks + 1})] private readonly Sequential layer1; }}"))
            .GeneratorDiagnostics.Any(d => d.Id == "SEDSL107");
}
