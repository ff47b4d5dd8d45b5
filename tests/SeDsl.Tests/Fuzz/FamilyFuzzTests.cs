using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using SeDsl.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// Network families and families of a family (docs/dsl.md) over the fuzzer's networks: every valid network of the
/// language-v2 and stage-index classes is declared again through a family (its layers moved into a family with a
/// parameter) and through a family of that family, and both must generate warning-free code with the fuzzer's model's
/// parameter count and the same state_dict keys and sizes. <c>SEDSL_FUZZ_CASES</c> and <c>SEDSL_FUZZ_SEED</c> move the
/// count and first seed as in <c>FuzzTests</c>.
/// </summary>
public partial class FamilyFuzzTests
{
    private const int FirstSeed = 20261301;

    [GeneratedRegex(@"\[Network\((\d+, \d+, \d+)\)\]\npublic partial class (\w+)\n\{\n")]
    private static partial Regex NetworkHeader();

    [Fact]
    public void Fuzzed_networks_declared_through_a_family_and_a_family_of_a_family_have_the_models_counts_and_keys()
    {
        var cases = Cases(FuzzOracle.FirstSeed(FirstSeed), FuzzOracle.CaseCount(16));
        Assert.True(cases.Count >= 12, $"only {cases.Count} valid cases");

        var failures = new List<string>();
        foreach (var batch in cases.Chunk(8))
        {
            var sources = batch.Select(c => ThroughFamilies(c.Case.Source)).ToArray();
            var run = FuzzOracle.Run(FuzzOracle.Compile(sources));
            Assert.True(run.Result.Diagnostics.IsEmpty, string.Join("\n", run.Result.Diagnostics.Take(5)) + "\n" + sources[0]);
            var assembly = FuzzOracle.Load(run.Output, "SeDslFuzzFamilies");
            foreach (var (fuzzCase, expected) in batch)
            {
                foreach (string name in new[] { expected.Network, expected.Network + "ThroughMiddle" })
                {
                    if (Measure(assembly.GetType(name, throwOnError: true)!, expected) is { } failure)
                    {
                        failures.Add($"{fuzzCase} {name}: {failure}\n{ThroughFamilies(fuzzCase.Source)}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} networks differ from the model:\n" + string.Join("\n---\n", failures.Take(3)));
    }

    [Fact]
    public void The_measure_catches_a_wrong_count_and_a_wrong_key()
    {
        var (fuzzCase, expected) = Cases(FirstSeed, 1).Single();
        var run = FuzzOracle.Run(FuzzOracle.Compile(new[] { ThroughFamilies(fuzzCase.Source) }));
        var type = FuzzOracle.Load(run.Output, "SeDslFuzzFamilies").GetType(expected.Network + "ThroughMiddle", throwOnError: true)!;
        Assert.Null(Measure(type, expected));

        Assert.NotNull(Measure(type, expected with { ParameterCount = expected.ParameterCount + 1 }));
        var first = expected.Parameters.First();
        var renamed = expected.Parameters.Where(p => p.Key != first.Key).Append(new(first.Key + "x", first.Value)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.NotNull(Measure(type, expected with { Parameters = renamed }));
    }

    /// <summary>Valid single-file cases with one expected network whose declaration the rewrite recognises.</summary>
    private static List<(FuzzCase Case, FuzzExpectation Expected)> Cases(int firstSeed, int count) =>
        Enumerable.Range(firstSeed, 400)
            .Select(s => NetworkFuzzer.Generate(s, s % 2 == 0 ? FuzzClasses.LanguageV2 : FuzzClasses.StageIndex))
            .Where(c => !c.Invalid && c.Files.Count == 1 && c.Library is null && c.Expectations.Count > 0)
            .Select(c => (Case: c, Expected: c.Expectations[^1]))
            .Where(c => NetworkHeader().Matches(c.Case.Source).Any(m => c.Expected.Network.EndsWith("." + m.Groups[2].Value, StringComparison.Ordinal)))
            .Take(count).ToList();

    /// <summary>
    /// The source with each network's layers moved into a family <c>NFamily</c> with one parameter, and <c>N</c>,
    /// <c>NMiddle</c> (a family of the family) and <c>NThroughMiddle</c> declared in its place.
    /// </summary>
    private static string ThroughFamilies(string source) => NetworkHeader().Replace(source, m =>
    {
        string input = m.Groups[1].Value, name = m.Groups[2].Value;
        return $$"""
            [Network(typeof({{name}}Family), 1)]
            public partial class {{name}} { }

            [Network(typeof({{name}}Family), nameof(value))]
            public partial class {{name}}Middle { [Param] private readonly int value; }

            [Network(typeof({{name}}Middle), 2)]
            public partial class {{name}}ThroughMiddle { }

            [Network({{input}})]
            public partial class {{name}}Family
            {
                [Param] private readonly int familyValue;

            """;
    });

    /// <summary>Null when the built network has the model's count and parameter sizes by key, else the first difference.</summary>
    private static string? Measure(Type type, FuzzExpectation expected)
    {
        using var scope = NewDisposeScope();
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        return FuzzOracle.CountAndParameters(type, module, expected);
    }
}
