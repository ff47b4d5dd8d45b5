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

    [Fact]
    public void The_uses_compile_against_a_valid_network()
    {
        // Without this, the use file itself could be what fails.
        var run = GeneratorHarness.Run(Sources.Usings + "namespace Demo;\n[Network(3, 8, 8)] public partial class Net { [ReLU] private readonly ReLU relu; }", NetworkUses);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
    }
}
