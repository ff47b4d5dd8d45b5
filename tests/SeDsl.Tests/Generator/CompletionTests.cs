using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// One mistake, one error: a class with errors is completed (CompletionEmitter), so that the compilation's errors are
/// the SEDSL ones, and each use of the class elsewhere gets one error (CS0619) that names the SEDSL error to fix first.
/// </summary>
public class CompletionTests
{
    /// <summary>A file that uses every member a network has, one use per line, with no error of its own when the network is valid.</summary>
    private const string NetworkUses = """
        namespace Uses;

        public static class UseOfNet
        {
            public static void Run(TorchSharp.torch.Tensor x)
            {
                var net = new Demo.Net();
                long parameters = Demo.Net.ParameterCount;
                long multiplyAdds = Demo.Net.MultiplyAdds;
                long flops = Demo.Net.Flops;
                string diagram = Demo.Net.Diagram;
                var summary = Demo.Net.Summary;
                net.Fuse();
                net.Fuse(channelsLast: true);
                var measured = net.MeasureSummary();
                using var y = net.forward(x);
                System.Console.WriteLine($"{parameters} {multiplyAdds} {flops} {diagram} {summary} {measured}");
            }
        }
        """;

    /// <summary>The lines of <see cref="NetworkUses"/> that name a generated member of Net, other than forward.</summary>
    private static readonly int[] UseLines = NetworkUses.Split('\n').Select((line, i) => (line, i))
        .Where(l => l.line.Contains("Demo.Net", StringComparison.Ordinal) || l.line.Contains("net.Fuse", StringComparison.Ordinal) || l.line.Contains("net.MeasureSummary", StringComparison.Ordinal))
        .Select(l => l.i).ToArray();

    /// <summary>Ids whose class cannot be completed: the declaration that the generated part would complete is what is wrong.</summary>
    private static readonly string[] Incompletable = [DiagnosticIds.ClassNotPartial, DiagnosticIds.UnsupportedClassShape, DiagnosticIds.BaseClassNotAllowed];

    public static TheoryData<string, string, string> ErrorCases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var row in DiagnosticTests.Cases)
        {
            string id = (string)row[0];
            if (!DiagnosticIds.IsWarning(id))
            {
                cases.Add(id, (string)row[1], (string)row[2]);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Every_error_case_compiles_to_its_SEDSL_errors_and_nothing_else(string id, string source, string underlined)
    {
        _ = underlined;
        var run = GeneratorHarness.Run(source);

        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == id);
        var others = run.CompileDiagnostics.Where(d => !d.Id.StartsWith("SEDSL", StringComparison.Ordinal)).ToList();
        if (run.GeneratorDiagnostics.Any(d => Incompletable.Contains(d.Id)))
        {
            // Nothing can complete a class that is not partial, has a base class or another shape: only its fields can be wrong.
            Assert.All(others, d => Assert.Contains(d.Id, new[] { "CS8618", "CS0169" }));
            return;
        }

        Assert.True(others.Count == 0, string.Join("\n", others) + "\n" + string.Join("\n---\n", run.Sources.Values));
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Each_use_of_a_network_with_errors_gets_one_error_naming_the_SEDSL_error(string id, string source, string underlined)
    {
        _ = underlined;
        if (!source.Contains("namespace Demo;", StringComparison.Ordinal) || !source.Contains("partial class Net\n", StringComparison.Ordinal)
            || source.Contains("NET", StringComparison.Ordinal) || id == DiagnosticIds.MemberNamedLikeGenerated)
        {
            return;   // the case has no network Demo.Net whose members are all generated
        }

        var run = GeneratorHarness.Run(source, NetworkUses);

        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToHashSet();
        var uses = run.CompileDiagnostics.Where(d => d.Location.GetLineSpan().Path == "Network1.cs").ToList();
        Assert.All(uses, d => Assert.Equal("CS0619", d.Id));
        Assert.Equal(UseLines, uses.Select(d => d.Location.GetLineSpan().StartLinePosition.Line).OrderBy(l => l));
        Assert.All(uses, d => Assert.Contains(errors, e => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(e + ":", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Asserts that the run generated exactly the completing parts with <paramref name="hints"/> (each ending the hint name)
    /// and that they compile: they add no error or warning to those of the user's own code.
    /// </summary>
    internal static void AssertCompleted(GeneratorRun run, params string[] hints)
    {
        Assert.Equal(hints.Order(StringComparer.Ordinal), run.Sources.Keys.Select(k => hints.Single(h => k.EndsWith(h, StringComparison.Ordinal))).Order(StringComparer.Ordinal));
        Assert.All(run.Sources.Values, s => Assert.Contains("which has errors: this part only", s, StringComparison.Ordinal));
        Assert.Empty(ReliabilityHarness.AddedByGeneration(run));
    }

    /// <summary>The measured case of issue 17: a network with r = 64 on 32 channels.</summary>
    private const string RatioTooLarge = """
        using SeDsl;
        using SeDsl.Layers;
        using TorchSharp.Modules;

        namespace Demo;

        [Network(3, 32, 32)]
        public partial class Net
        {
            [Conv2d(32, 3, Padding = 1)] private readonly Conv2d conv;
            [ReLU] private readonly ReLU relu;
            [SqueezeExcite(r: 64)] private readonly SqueezeExcitation se;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(10)] private readonly Linear fc;
        }
        """;

    [Fact]
    public void The_completed_network_matches_snapshot()
    {
        var run = GeneratorHarness.Run(RatioTooLarge);

        Assert.Equal(DiagnosticIds.ReductionLeavesNoChannels, Assert.Single(run.GeneratorDiagnostics).Id);
        Snapshot.Verify(run.Source(".SeDsl.Module.g.cs"), "CompletionTests.RatioTooLarge#Demo.Net.SeDsl.Module.g");
    }

    [Fact]
    public void The_completed_block_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Sources.Usings + """
            namespace Demo;

            [Block(Residual = true)]
            public partial class Widen
            {
                [Param] private readonly int planes;
                [Conv2d("planes * 2", 1)] private readonly Conv2d conv;
                [Linear(10)] private readonly Linear fc;
            }
            """);

        Assert.Equal(DiagnosticIds.LayerNotAllowedInBlock, Assert.Single(run.GeneratorDiagnostics).Id);
        Snapshot.Verify(run.Source(".SeDsl.Block.g.cs"), "CompletionTests.Widen#Demo.Widen.SeDsl.Block.g");
    }

    [Fact]
    public void The_one_mistake_case_gets_one_error_and_one_per_use()
    {
        const string use = "namespace Uses;\npublic static class UseOfNet { public static long Count() => Demo.Net.ParameterCount; }";

        var run = GeneratorHarness.Run(RatioTooLarge, use);

        Assert.Equal(DiagnosticIds.ReductionLeavesNoChannels, Assert.Single(run.GeneratorDiagnostics).Id);
        var error = Assert.Single(run.CompileDiagnostics);
        Assert.Equal("CS0619", error.Id);
        Assert.StartsWith("'Net.ParameterCount' is obsolete: 'SEDSL103: Layer 'se': reduction ratio r = 64", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_of_a_network_with_errors_throws_rather_than_answer()
    {
        // Only a project that lowered the SEDSL error's severity can build it; reflection then meets the throwing bodies.
        var run = GeneratorHarness.Run(RatioTooLarge);
        var type = ReliabilityHarness.Load(run).GetType("Demo.Net")!;

        var constructor = Assert.Throws<System.Reflection.TargetInvocationException>(() => Activator.CreateInstance(type));
        Assert.Contains("SEDSL103", Assert.IsType<InvalidOperationException>(constructor.InnerException).Message, StringComparison.Ordinal);
        var summary = Assert.Throws<System.Reflection.TargetInvocationException>(() => type.GetProperty("Summary")!.GetValue(null));
        Assert.IsType<InvalidOperationException>(summary.InnerException);
    }

    [Fact]
    public void A_comment_edit_in_a_network_with_errors_keeps_its_completion_cached()
    {
        var compilation = GeneratorHarness.Compile(RatioTooLarge);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var old = compilation.SyntaxTrees.Single();
        var edited = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(RatioTooLarge.Replace("{\n    [Conv2d", "{\n    // a comment moves every location\n    [Conv2d", StringComparison.Ordinal), GeneratorHarness.ParseOptions, old.FilePath);

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));

        var result = driver.GetRunResult().Results.Single();
        Assert.All(result.TrackedSteps[SeDsl.Generator.NetworkGenerator.Steps.Plan].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.Contains(result.TrackedSteps[SeDsl.Generator.NetworkGenerator.Steps.Diagnostics].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void A_warning_inside_a_used_block_stays_on_the_use_so_that_a_pragma_there_applies()
    {
        var run = GeneratorHarness.Run(Sources.Usings + """
            namespace Demo;

            [Block] public partial class S { [Param] private readonly int r; [SqueezeExcite(nameof(r))] private readonly SqueezeExcitation se; }

            [Network(24, 4, 4)]
            public partial class Net { [Use(typeof(S), 5)] private readonly S squeeze; }
            """);

        var warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.ReductionNotExact, warning.Id);
        Assert.Equal("Use(typeof(S), 5)", run.Underlined(warning));
        var inBlock = Assert.Single(warning.AdditionalLocations);
        Assert.Equal("nameof(r)", run.Input.SyntaxTrees.Single().GetText().ToString(inBlock.SourceSpan));
        Assert.Contains("'squeeze.se'", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_inside_a_nested_block_is_located_in_the_innermost_block()
    {
        var run = GeneratorHarness.Run(Sources.Usings + """
            namespace Demo;

            [Block] public partial class Inner { [Param] private readonly int r; [SqueezeExcite(nameof(r))] private readonly SqueezeExcitation se; }
            [Block] public partial class Outer { [Use(typeof(Inner), 64)] private readonly Inner inner; }

            [Network(16, 4, 4)]
            public partial class Net { [Stage(typeof(Outer), 2)] private readonly Sequential layer1; }
            """);

        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.ReductionLeavesNoChannels, error.Id);
        Assert.Equal("nameof(r)", run.Underlined(error));
        Assert.Equal("Stage(typeof(Outer), 2)", run.Input.SyntaxTrees.Single().GetText().ToString(Assert.Single(error.AdditionalLocations).SourceSpan));
        Assert.Contains("'layer1.0.inner.se'", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("which has errors: this part only", run.Source("Demo.Net.SeDsl.Module.g.cs"), StringComparison.Ordinal);
        Assert.Empty(ReliabilityHarness.AddedByGeneration(run));
    }

    [Theory]
    [InlineData("[Conv2d(8, 3, Stride = 0)] private readonly Conv2d @class;")]
    [InlineData("[Conv2d(8, 3)] private readonly Conv2d conv;\n[SqueezeExcite(r: 16)] private readonly SqueezeExcitation se;\nprivate const int SeDslError = 1;")]
    public void A_keyword_field_or_a_member_named_like_the_message_constant_still_compiles(string members)
    {
        var run = GeneratorHarness.Run(Sources.Usings + "namespace Demo;\n[Network(3, 8, 8)]\npublic partial class Net\n{\n" + members + "\n}\n");

        Assert.Single(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        AssertCompleted(run, "Demo.Net.SeDsl.Module.g.cs");
        Assert.Empty(run.CompileDiagnostics.Where(d => !d.Id.StartsWith("SEDSL", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_uses_compile_against_a_valid_network()
    {
        // Without this, the use file itself could be what fails.
        var run = GeneratorHarness.Run(Sources.Usings + "namespace Demo;\n[Network(3, 8, 8)] public partial class Net { [ReLU] private readonly ReLU relu; }", NetworkUses);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
    }
}
