using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SeDsl.Tests.Fuzz;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Generated files are byte-identical from run to run and whatever the culture of the compiler's process, over the whole zoo,
/// the every-layer network and generated networks (GeneratedCodeTests covers the every-layer network alone).
/// </summary>
public class DeterminismTests
{
    /// <summary>Every network and block of the zoo, read at run time, and a few valid fuzz cases (numbers of every kind).</summary>
    public static IEnumerable<object[]> Inputs()
    {
        string zoo = Path.Combine(DiagnosticTests.RepositoryRoot(), "samples", "SeDsl.Zoo", "Networks");
        yield return new object[] { "zoo", Directory.GetFiles(zoo, "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToArray() };
        yield return new object[] { "every layer", new[] { Sources.EveryLayer } };
        foreach (int seed in new[] { 11, 12, 13, 14, 15 })
        {
            yield return new object[] { "fuzz " + seed.ToString(CultureInfo.InvariantCulture), new[] { NetworkFuzzer.GenerateValid(seed).Source } };
        }
    }

    private static SortedDictionary<string, byte[]> Generate(string[] sources)
    {
        var run = GeneratorHarness.Run(sources);
        // Warnings may occur (the zoo acknowledges one SEDSL104 with #pragma, which only the compiler applies); errors may not.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && !d.IsWarningAsError);
        Assert.NotEmpty(run.Sources);
        return new SortedDictionary<string, byte[]>(
            run.Sources.ToDictionary(s => s.Key, s => Encoding.UTF8.GetBytes(s.Value)), StringComparer.Ordinal);
    }

    private static void AssertSame(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual, string what)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (hint, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[hint]), $"{hint} differs {what}");
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Two_runs_give_byte_identical_output(string name, string[] sources)
    {
        var first = Generate(sources);
        var second = Generate(sources);

        AssertSame(first, second, "between two runs of " + name);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Output_is_the_same_under_invariant_german_and_turkish_cultures(string name, string[] sources)
    {
        var invariant = InCulture(CultureInfo.InvariantCulture, () => Generate(sources));

        foreach (string culture in new[] { "de-DE", "tr-TR", "ar-SA" })
        {
            var other = InCulture(CultureInfo.GetCultureInfo(culture), () => Generate(sources));
            AssertSame(invariant, other, $"under {culture} for {name}");
        }
    }

    [Fact]
    public void The_cultures_under_test_do_format_numbers_and_letters_differently()
    {
        // Guards the test above against a runtime without culture data (globalization-invariant mode), where it would prove nothing.
        Assert.Equal("0,1", InCulture(CultureInfo.GetCultureInfo("de-DE"), () => 0.1.ToString(CultureInfo.CurrentCulture)));
        Assert.NotEqual("I", InCulture(CultureInfo.GetCultureInfo("tr-TR"), () => "i".ToUpper(CultureInfo.CurrentCulture)));
    }

    private static T InCulture<T>(CultureInfo culture, Func<T> action)
    {
        var (culture0, ui0) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture0;
            CultureInfo.CurrentUICulture = ui0;
        }
    }
}
