using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SeDsl.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// Issue 14, item 8: the fuzzer's language-v2 class (<see cref="FuzzClasses.LanguageV2"/>). Valid cases must generate
/// warning-free code whose <c>ParameterCount</c> is the fuzzer's own model's, and whose built modules have the model's
/// parameters (by state_dict name), output shape and compile-time summary; each planted defect must give exactly one
/// located error. <c>SEDSL_FUZZ_CASES</c> and <c>SEDSL_FUZZ_SEED</c> move the count and first seed as in <c>FuzzTests</c>.
/// </summary>
public class LanguageV2FuzzTests
{
    private const int FirstSeed = 20261214;
    private const FuzzClasses V2 = FuzzClasses.LanguageV2;

    private static string Report(IReadOnlyList<(FuzzCase Case, string Failure)> failures, int count)
    {
        var report = new StringBuilder();
        foreach (var (fuzzCase, failure) in failures.Take(40))
        {
            report.Append("\n* ").Append(fuzzCase).Append(": ").Append(failure.Length > 300 ? failure[..300] : failure);
        }

        foreach (var (fuzzCase, failure) in failures.Take(3))
        {
            report.Append("\n--- ").Append(fuzzCase).Append(": ").Append(failure).Append('\n').Append(fuzzCase.Describe());
        }

        return $"{failures.Count} of {count} cases failed (seeds {string.Join(", ", failures.Take(20).Select(f => f.Case.Seed))}):{report}";
    }

    [Fact]
    public void Typed_blocks_expressions_conditions_and_keys_get_one_located_error_or_clean_code_with_the_models_count()
    {
        int count = FuzzOracle.CaseCount(300);
        var failures = FuzzOracle.RunMany(FuzzOracle.FirstSeed(FirstSeed), count, V2);

        Assert.True(failures.Count == 0, Report(failures, count));
    }

    [Fact]
    public void With_the_other_classes_on_too_cases_still_get_located_errors_or_clean_code()
    {
        int count = FuzzOracle.CaseCount(100);
        var failures = FuzzOracle.RunMany(FuzzOracle.FirstSeed(FirstSeed + 500_000), count, FuzzClasses.All | V2);

        Assert.True(failures.Count == 0, Report(failures, count));
    }

    [Fact]
    public void Built_networks_have_the_models_parameters_state_keys_and_output_shape()
    {
        var cases = Enumerable.Range(FuzzOracle.FirstSeed(FirstSeed), 400).Select(s => NetworkFuzzer.Generate(s, V2))
            .Where(c => !c.Invalid && c.Expectations.Count > 0).Take(FuzzOracle.CaseCount(30)).ToList();
        Assert.True(cases.Count >= 20, $"only {cases.Count} valid language-v2 cases");

        var failures = new List<string>();
        foreach (var batch in cases.Chunk(10))
        {
            var run = FuzzOracle.Run(FuzzOracle.Compile(batch.SelectMany(c => c.Files).ToArray()));
            Assert.Empty(run.Result.Diagnostics);
            var assembly = Load(run.Output);
            foreach (var fuzzCase in batch)
            {
                foreach (var expected in fuzzCase.Expectations)
                {
                    string? failure = Measure(assembly.GetType(expected.Network, throwOnError: true)!, expected);
                    if (failure is not null)
                    {
                        failures.Add($"{fuzzCase}: {failure}\n{fuzzCase.Describe()}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} networks differ from the model:\n" + string.Join("\n---\n", failures.Take(3)));
    }

    [Fact]
    public void Every_mechanism_and_every_defect_kind_appears()
    {
        var cases = Enumerable.Range(FirstSeed, 600).Select(s => NetworkFuzzer.Generate(s, V2)).ToList();
        string valid = string.Concat(cases.Where(c => !c.Invalid).Select(c => c.Appended));

        foreach (string mechanism in new[]
        {
            "[Param] private readonly bool se;", "[Param] private readonly double eps;", "[Param] private readonly Activation act;",
            "[Param] private readonly SqueezeOperator squeeze;", "[Param] private readonly ExcitationGate gate;",
            "When = ", "? vse", "makeDivisible(", "\"max(", "\"min(", " ? ", "Eps = nameof(eps)", "Dropout(nameof(drop)", "Activation(nameof(act)",
            "Width = ", "InnerActivation = ", "Squeeze = ", "Gate = ", "Multiplier = \"se ? 2 : 1\"", "Padding = \"(kernel - 1) / 2\"",
            "Key = \"features.#\"", "Key = \"stages.", "Key = \"head.", "Key = \"ops.#\"", "Key = \"body.", "ChildKey = \"",
            "Shortcut = ShortcutPolicy.IdentityOrNone", "ShortcutName = \"proj\"", "[Use(typeof(F", "[Stage(typeof(F",
        })
        {
            Assert.True(valid.Contains(mechanism, StringComparison.Ordinal), $"no valid case has '{mechanism}'");
        }

        var defects = cases.Where(c => c.SingleError).Select(c => c.Defect!).ToHashSet(StringComparer.Ordinal);
        Assert.True(defects.Count(d => d.StartsWith("variants:", StringComparison.Ordinal)) >= 17, "defect kinds: " + string.Join(", ", defects));
        Assert.InRange(cases.Count(c => c.SingleError), 100, 200);
        Assert.InRange(cases.Count(c => !c.Invalid && c.Expectations.Count > 0), 150, 450);
    }

    [Fact]
    public void The_group_is_appended_and_leaves_the_rest_of_every_case_as_it_was()
    {
        foreach (int seed in Enumerable.Range(FirstSeed, 300))
        {
            foreach (var others in new[] { FuzzClasses.None, FuzzClasses.All })
            {
                var without = NetworkFuzzer.Generate(seed, others);
                var with = NetworkFuzzer.Generate(seed, others | V2);

                Assert.Equal(without.Source, with.Appended.Length == 0 ? with.Source : with.Source.Replace(with.Appended, "", StringComparison.Ordinal));
                Assert.Equal(without.Files.Count, with.Files.Count);
                Assert.Equal(with.SingleError ? null : without.Defect, with.SingleError ? null : with.Defect);
                Assert.Equal(with.Source, NetworkFuzzer.Generate(seed, others | V2).Source);
            }
        }
    }

    [Fact]
    public void The_oracle_catches_a_wrong_count_and_a_second_error()
    {
        var cases = Enumerable.Range(FirstSeed, 100).Select(s => NetworkFuzzer.Generate(s, V2)).ToList();
        var valid = cases.First(c => !c.Invalid && c.Expectations.Count > 0);
        var defect = cases.First(c => c.SingleError);
        Assert.Null(FuzzOracle.Check(valid));
        Assert.Null(FuzzOracle.Check(defect));

        var expected = valid.Expectations[0];
        Assert.NotNull(FuzzOracle.Check(valid with { Expectations = [expected with { ParameterCount = expected.ParameterCount + 1 }] }));

        // A second, independent error in the same file: one defect must give one error.
        string second = "\n[Network(3, 8, 8)] public partial class " + defect.Prefix + "Second { [Conv2d(0, 3)] private readonly Conv2d conv; }\n";
        Assert.NotNull(FuzzOracle.Check(defect with { Files = [.. defect.Files.Take(defect.Files.Count - 1), defect.Files[^1] + second] }));
    }

    /// <summary>The compilation with generated code, emitted and loaded into a collectible context.</summary>
    private static System.Reflection.Assembly Load(Microsoft.CodeAnalysis.Compilation output)
    {
        using var image = new System.IO.MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("; ", emitted.Diagnostics.Take(5)));
        image.Position = 0;
        return new System.Runtime.Loader.AssemblyLoadContext("SeDslFuzzV2", isCollectible: true).LoadFromStream(image);
    }

    /// <summary>Null when the built network matches <paramref name="expected"/>, otherwise the first difference.</summary>
    private static string? Measure(Type type, FuzzExpectation expected)
    {
        var summary = ReliabilityHarness.Static<NetworkSummary>(type, "Summary");
        if (summary.Parameters != expected.ParameterCount)
        {
            return $"Summary.Parameters {summary.Parameters}, model {expected.ParameterCount}";
        }

        if (!summary.Layers[^1].OutputShape.SequenceEqual(expected.OutputShape))
        {
            return $"Summary output [{string.Join(", ", summary.Layers[^1].OutputShape)}], model [{string.Join(", ", expected.OutputShape)}]";
        }

        using var scope = NewDisposeScope();
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        var named = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.numel(), StringComparer.Ordinal);
        var differences = named.Where(p => !expected.Parameters.TryGetValue(p.Key, out long n) || n != p.Value).Select(p => $"built {p.Key} ({p.Value})")
            .Concat(expected.Parameters.Where(p => !named.TryGetValue(p.Key, out long n) || n != p.Value).Select(p => $"model {p.Key} ({p.Value})")).ToList();
        if (differences.Count > 0)
        {
            return "parameters differ: " + string.Join(", ", differences.Take(8));
        }

        module.eval();
        using var output = module.forward(randn(2, expected.Input[0], expected.Input[1], expected.Input[2]));
        var shape = output.shape.Skip(1).ToArray();
        return output.shape[0] == 2 && shape.SequenceEqual(expected.OutputShape)
            ? null
            : $"output [{string.Join(", ", output.shape)}], model [2, {string.Join(", ", expected.OutputShape)}]";
    }
}
