using System.Linq;
using System.Text;
using Xunit;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// Generative tests: thousands of random declarations, valid and invalid by construction. The generator must never
/// throw, must locate an error in every invalid declaration, and must generate warning-free code for every valid one.
/// <c>SEDSL_FUZZ_CASES=100000 dotnet test --filter FullyQualifiedName~FuzzTests</c> runs more;
/// <c>SEDSL_FUZZ_SEED</c> moves the first seed (a failure names its seed: rerun it with that seed and one case).
/// </summary>
public class FuzzTests
{
    private const int DefaultCases = 2000;
    private const int DefaultSeed = 20261125;

    [Fact]
    public void Random_declarations_never_crash_and_get_located_errors_or_clean_code()
    {
        int count = FuzzOracle.CaseCount(DefaultCases);
        int first = FuzzOracle.FirstSeed(DefaultSeed);

        var failures = FuzzOracle.RunMany(first, count);

        var report = new StringBuilder();
        foreach (var (fuzzCase, failure) in failures.Take(int.TryParse(System.Environment.GetEnvironmentVariable("SEDSL_FUZZ_SHOW"), out int show) ? show : 5))
        {
            report.Append("\n--- ").Append(fuzzCase).Append(": ").Append(failure).Append('\n').Append(fuzzCase.Describe());
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {count} cases failed (seeds {string.Join(", ", failures.Take(20).Select(f => f.Case.Seed))}):{report}");
    }

    [Fact]
    public void The_fuzzer_builds_both_kinds_and_every_defect_kind()
    {
        var cases = Enumerable.Range(DefaultSeed, 600).Select(NetworkFuzzer.Generate).ToList();

        Assert.InRange(cases.Count(c => c.Invalid), 200, 400);
        foreach (string kind in new[] { "layer value", "shape", "layer misuse", "class", "input shape", "block", "syntax", "recursion", "overflow" })
        {
            Assert.True(cases.Any(c => c.Defect?.Contains(kind, System.StringComparison.Ordinal) == true), $"no '{kind}' defect in 600 cases");
        }

        Assert.Contains(cases, c => !c.Invalid && c.Source.Contains("[Stage(", System.StringComparison.Ordinal));
        Assert.Contains(cases, c => !c.Invalid && c.Source.Contains("Parallel = true", System.StringComparison.Ordinal));
        Assert.Contains(cases, c => !c.Invalid && c.Source.Contains(", AfterConcatenation]", System.StringComparison.Ordinal));
        Assert.Contains(cases, c => !c.Invalid && c.Source.Contains("Residual = true", System.StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_seed_gives_the_same_case()
    {
        Assert.Equal(NetworkFuzzer.Generate(42).Source, NetworkFuzzer.Generate(42).Source);
        Assert.NotEqual(NetworkFuzzer.Generate(42).Source, NetworkFuzzer.Generate(43).Source);
    }

    [Fact]
    public void The_oracle_catches_a_declaration_labelled_wrongly()
    {
        // The oracle must be able to fail: a valid declaration labelled invalid, and an invalid one labelled valid.
        var valid = NetworkFuzzer.GenerateValid(7);
        string broken = GeneratorHarnessSources.Broken;

        Assert.NotNull(FuzzOracle.Check(valid with { Defect = "mislabelled" }));
        Assert.NotNull(FuzzOracle.Check(new FuzzCase(0, broken, null, new[] { "Broken" }, System.Array.Empty<string>())));
    }
}

internal static class GeneratorHarnessSources
{
    public const string Broken = """
        using SeDsl;
        using TorchSharp.Modules;

        [Network(3, 8, 8)]
        public partial class Broken
        {
            [Conv2d(0, 3)] private readonly Conv2d conv;
        }
        """;
}
