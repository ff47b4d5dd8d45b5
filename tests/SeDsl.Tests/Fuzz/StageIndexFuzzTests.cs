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
/// Issue 14, item 8, for a stage's <c>index</c> and double arithmetic (<see cref="FuzzClasses.StageIndex"/>): valid
/// cases must generate warning-free code whose <c>ParameterCount</c> is the fuzzer's model's, and whose built modules
/// have the model's rate, dropout and eps in every block and the model's channels out of every block; each planted
/// defect must give exactly one error, of the id due, underlining the argument due and naming the instance due.
/// <c>SEDSL_FUZZ_CASES</c> and <c>SEDSL_FUZZ_SEED</c> move the count and first seed as in <c>FuzzTests</c>.
/// </summary>
public class StageIndexFuzzTests
{
    private const int FirstSeed = 20261220;
    private const FuzzClasses Index = FuzzClasses.StageIndex;

    private static string Report(IReadOnlyList<(FuzzCase Case, string Failure)> failures, int count)
    {
        var report = new StringBuilder();
        foreach (var (fuzzCase, failure) in failures.Take(40))
        {
            report.Append("\n* ").Append(fuzzCase).Append(": ").Append(failure.Length > 300 ? failure[..300] : failure);
        }

        foreach (var (fuzzCase, failure) in failures.Take(3))
        {
            report.Append("\n--- ").Append(fuzzCase).Append(": ").Append(failure).Append('\n').Append(fuzzCase.IndexAppended);
        }

        return $"{failures.Count} of {count} cases failed (seeds {string.Join(", ", failures.Take(20).Select(f => f.Case.Seed))}):{report}";
    }

    [Fact]
    public void Stages_with_index_and_doubles_get_one_located_error_or_clean_code_with_the_models_count()
    {
        int count = FuzzOracle.CaseCount(50);
        var failures = FuzzOracle.RunMany(FuzzOracle.FirstSeed(FirstSeed), count, Index);

        Assert.True(failures.Count == 0, Report(failures, count));
    }

    [Fact]
    public void With_every_other_class_on_too_cases_still_get_located_errors_or_clean_code()
    {
        int count = FuzzOracle.CaseCount(20);
        var failures = FuzzOracle.RunMany(FuzzOracle.FirstSeed(FirstSeed + 500_000), count, FuzzClasses.All | FuzzClasses.LanguageV2 | Index);

        Assert.True(failures.Count == 0, Report(failures, count));
    }

    [Fact]
    public void Built_networks_have_the_models_rates_eps_and_channels_in_every_block()
    {
        var cases = ValidCases(FuzzOracle.FirstSeed(FirstSeed), FuzzOracle.CaseCount(10));
        Assert.True(cases.Count >= 8, $"only {cases.Count} valid stage-index cases");

        var failures = new List<string>();
        foreach (var batch in cases.Chunk(10))
        {
            var assembly = Build(batch);
            foreach (var fuzzCase in batch)
            {
                var expected = fuzzCase.Expectations.Single();
                string? failure = Measure(assembly.GetType(expected.Network, throwOnError: true)!, expected);
                if (failure is not null)
                {
                    failures.Add($"{fuzzCase}: {failure}\n{fuzzCase.IndexAppended}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} networks differ from the model:\n" + string.Join("\n---\n", failures.Take(3)));
    }

    [Fact]
    public void The_measure_catches_a_wrong_rate_and_a_wrong_block_width()
    {
        var fuzzCase = ValidCases(FirstSeed, 40).First(c => c.Expectations[0].Values.Count > 0 && c.Expectations[0].BlockChannels.Count > 0);
        var type = Build([fuzzCase]).GetType(fuzzCase.Expectations[0].Network, throwOnError: true)!;
        var expected = fuzzCase.Expectations[0];
        Assert.Null(Measure(type, expected));

        var value = expected.Values.First();
        var wrongValue = new Dictionary<string, double>(expected.Values, StringComparer.Ordinal) { [value.Key] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(value.Value) + 1) };
        Assert.NotNull(Measure(type, expected with { Values = wrongValue }));

        var block = expected.BlockChannels.First();
        var wrongWidth = new Dictionary<string, long>(expected.BlockChannels, StringComparer.Ordinal) { [block.Key] = block.Value + 1 };
        Assert.NotNull(Measure(type, expected with { BlockChannels = wrongWidth }));
    }

    [Fact]
    public void Every_mechanism_and_every_defect_kind_appears()
    {
        var cases = Enumerable.Range(FirstSeed, 600).Select(s => NetworkFuzzer.Generate(s, Index)).ToList();
        string valid = string.Concat(cases.Where(c => !c.Invalid).Select(c => c.IndexAppended));

        foreach (string mechanism in new[]
        {
            "[Stage(typeof(", "[Use(typeof(", "First = new object[] {", "\"0.2 * (", "\"0.1 * index / 4\"", "\"(1 + index) / 4 * 0.5\"", "\"16 + 8 * index\"",
            "\"index > 0 ? 3 : 1\"", "(1 - index)", " / (index + 1)", "e-2", "[DropPath(nameof(rate))]", "[DropPath(nameof(rate), When = ",
            "[Dropout(nameof(p))]", "\"0.1 * width / 64\"", "\"width / 16 * 0.125\"", "Eps = nameof(eps)", "nameof(kernel), Padding = \"(kernel - 1) / 2\"",
            "[Block(Residual = true)]", ", nameof(rate)", "1e-3",
        })
        {
            Assert.True(valid.Contains(mechanism, StringComparison.Ordinal), $"no valid case has '{mechanism}'");
        }

        var defects = cases.Where(c => c.SingleError).Select(c => c.Defect!).ToHashSet(StringComparer.Ordinal);
        Assert.True(defects.SetEquals(new[]
        {
            "index: index in a network's [Use]", "index: index in a block's layer", "index: arithmetic on a double parameter",
            "index: a rate out of [0, 1) for a later block only",
        }), "defect kinds: " + string.Join(", ", defects));
        Assert.InRange(cases.Count(c => c.SingleError), 60, 150);
        Assert.InRange(cases.Count(c => !c.Invalid && c.Expectations.Count > 0), 150, 400);
    }

    [Fact]
    public void The_group_is_appended_and_leaves_the_rest_of_every_case_as_it_was()
    {
        foreach (int seed in Enumerable.Range(FirstSeed, 200))
        {
            foreach (var others in new[] { FuzzClasses.None, FuzzClasses.All, FuzzClasses.LanguageV2, FuzzClasses.All | FuzzClasses.LanguageV2 })
            {
                var without = NetworkFuzzer.Generate(seed, others);
                var with = NetworkFuzzer.Generate(seed, others | Index);

                Assert.NotEqual("", with.IndexAppended);
                Assert.Equal(without.Source, with.Source.Replace(with.IndexAppended, "", StringComparison.Ordinal));
                Assert.Equal(without.Appended, with.Appended);
                Assert.Equal(without.Files.Count, with.Files.Count);
                bool planted = with.Defect?.StartsWith("index:", StringComparison.Ordinal) == true;
                Assert.Equal(planted ? null : without.Defect, planted ? null : with.Defect);
                Assert.Equal(without.Expectations.Count + (with.Invalid ? 0 : 1), with.Expectations.Count);
                Assert.Equal(with.Source, NetworkFuzzer.Generate(seed, others | Index).Source);
            }
        }
    }

    [Fact]
    public void The_oracle_catches_a_wrong_span_a_wrong_message_and_a_wrong_count()
    {
        var cases = Enumerable.Range(FirstSeed, 200).Select(s => NetworkFuzzer.Generate(s, Index)).ToList();
        var spanned = cases.First(c => c.SingleError && c.ExpectedSpan is not null);
        var named = cases.First(c => c.SingleError && c.Defect!.Contains("later block", StringComparison.Ordinal));
        var valid = cases.First(c => !c.Invalid && c.Expectations.Count > 0);
        Assert.Null(FuzzOracle.Check(spanned));
        Assert.Null(FuzzOracle.Check(named));
        Assert.Null(FuzzOracle.Check(valid));

        Assert.NotNull(FuzzOracle.Check(spanned with { ExpectedSpan = spanned.ExpectedSpan + " " }));
        Assert.NotNull(FuzzOracle.Check(named with { ExpectedMessages = [named.ExpectedMessages[0].Replace(".", ".1", StringComparison.Ordinal)] }));
        var expected = valid.Expectations[0];
        Assert.NotNull(FuzzOracle.Check(valid with { Expectations = [expected with { ParameterCount = expected.ParameterCount - 1 }] }));
    }

    /// <summary>Valid cases of the class alone from <paramref name="firstSeed"/> on, at most <paramref name="count"/>.</summary>
    private static List<FuzzCase> ValidCases(int firstSeed, int count) =>
        Enumerable.Range(firstSeed, 400).Select(s => NetworkFuzzer.Generate(s, Index))
            .Where(c => !c.Invalid && c.Expectations.Count == 1).Take(count).ToList();

    /// <summary>The cases compiled with the generated code, emitted and loaded into a collectible context.</summary>
    private static System.Reflection.Assembly Build(IReadOnlyList<FuzzCase> cases)
    {
        var run = FuzzOracle.Run(FuzzOracle.Compile(cases.SelectMany(c => c.Files).ToArray()));
        Assert.Empty(run.Result.Diagnostics);
        return FuzzOracle.Load(run.Output, "SeDslFuzzIndex");
    }

    /// <summary>Null when the built network matches <paramref name="expected"/>, otherwise the first difference.</summary>
    private static string? Measure(Type type, FuzzExpectation expected)
    {
        using var scope = NewDisposeScope();
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        if (FuzzOracle.CountAndParameters(type, module, expected) is { } difference)
        {
            return difference;
        }

        // Every drop path, dropout and batch norm with the double the model computed, bit for bit, and no other.
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var blocks = new Dictionary<string, nn.Module<Tensor, Tensor>>(StringComparer.Ordinal);
        foreach (var (name, child) in module.named_modules())
        {
            double? value = child switch
            {
                SeDsl.Layers.DropPath d => d.P,
                TorchSharp.Modules.Dropout d => d.p,
                TorchSharp.Modules.BatchNorm2d b => b.eps,
                _ => null,
            };
            if (value is { } v)
            {
                values[name] = v;
            }

            if (expected.BlockChannels.ContainsKey(name))
            {
                blocks[name] = (nn.Module<Tensor, Tensor>)child;
            }
        }

        var valueDifferences = values.Where(p => !expected.Values.TryGetValue(p.Key, out double v) || v != p.Value).Select(p => $"built {p.Key} = {p.Value:R}")
            .Concat(expected.Values.Where(p => !values.TryGetValue(p.Key, out double v) || v != p.Value).Select(p => $"model {p.Key} = {p.Value:R}")).ToList();
        if (valueDifferences.Count > 0)
        {
            return "values differ: " + string.Join(", ", valueDifferences.Take(8));
        }

        // The channels out of every block of a stage, seen by a forward hook in a pass through the whole network (a stage's
        // Sequential calls its blocks through call(), which runs hooks); a block used directly is called with forward(),
        // which runs none, so its channels are those of its row in the compile-time summary.
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in ReliabilityHarness.Static<NetworkSummary>(type, "Summary").Layers.Where(l => blocks.ContainsKey(l.Name)))
        {
            seen[row.Name] = row.OutputShape[0];
        }

        foreach (var (name, block) in blocks.Where(b => b.Key.Contains('.', StringComparison.Ordinal)))
        {
            block.register_forward_hook((_, _, output) =>
            {
                seen[name] = output.shape[1];
                return output;
            });
        }

        module.eval();
        using var output = module.forward(randn(2, expected.Input[0], expected.Input[1], expected.Input[2]));
        var channelDifferences = expected.BlockChannels.Where(p => !seen.TryGetValue(p.Key, out long c) || c != p.Value)
            .Select(p => $"{p.Key}: model {p.Value}, built {(seen.TryGetValue(p.Key, out long c) ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "not called")}").ToList();
        if (channelDifferences.Count > 0)
        {
            return "block channels differ: " + string.Join(", ", channelDifferences.Take(8));
        }

        var shape = output.shape.Skip(1).ToArray();
        return output.shape[0] == 2 && shape.SequenceEqual(expected.OutputShape)
            ? null
            : $"output [{string.Join(", ", output.shape)}], model [2, {string.Join(", ", expected.OutputShape)}]";
    }
}
