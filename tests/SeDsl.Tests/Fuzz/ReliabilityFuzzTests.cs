using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// The classes of input issue 19 added to the fuzzer (<see cref="FuzzClasses"/>): partial classes over several files,
/// several fields in one declaration, blocks from a referenced assembly, layer fields in two parts. These tests run
/// every class; <c>FuzzTests</c> runs <see cref="FuzzClasses.Default"/> unless <c>SEDSL_FUZZ_CLASSES</c> says otherwise.
/// </summary>
public class ReliabilityFuzzTests
{
    private const int FirstSeed = 20261201;

    /// <summary>The first <paramref name="count"/> seeds from <see cref="FirstSeed"/> whose case uses one of <paramref name="wanted"/>.</summary>
    private static List<int> SeedsUsing(FuzzClasses wanted, int count)
    {
        var seeds = new List<int>();
        for (int seed = FuzzOracle.FirstSeed(FirstSeed); seeds.Count < count; seed++)
        {
            if ((NetworkFuzzer.Generate(seed, FuzzClasses.All).Classes & wanted) != 0)
            {
                seeds.Add(seed);
            }
        }

        return seeds;
    }

    [Fact]
    public void Cases_of_the_new_classes_get_located_errors_or_clean_code()
    {
        var seeds = SeedsUsing(FuzzClasses.All, FuzzOracle.CaseCount(400));

        var failures = FuzzOracle.RunMany(seeds, FuzzClasses.All);

        var report = new StringBuilder();
        foreach (var (fuzzCase, failure) in failures.Take(5))
        {
            report.Append("\n--- ").Append(fuzzCase).Append(": ").Append(failure).Append('\n').Append(fuzzCase.Describe());
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Count} cases failed (seeds {string.Join(", ", failures.Take(20).Select(f => f.Case.Seed))}):{report}");
    }

    [Fact]
    public void Valid_cases_over_several_files_generate_the_same_in_either_file_order()
    {
        var cases = SeedsUsing(FuzzClasses.Parts, 400).Select(s => NetworkFuzzer.Generate(s, FuzzClasses.All))
            .Where(c => !c.Invalid && c.Files.Count > 1).Take(60).ToList();
        Assert.NotEmpty(cases);

        foreach (var fuzzCase in cases)
        {
            var forward = FuzzOracle.Run(FuzzOracle.Compile(fuzzCase.Files)).Result;
            var backward = FuzzOracle.Run(FuzzOracle.Compile(fuzzCase.Files.Reverse().ToArray())).Result;

            Assert.Empty(forward.Diagnostics);
            Assert.Equal(
                forward.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString()),
                backward.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString()));
        }
    }

    [Fact]
    public void With_no_new_class_every_seed_gives_the_case_it_gave_before()
    {
        foreach (int seed in Enumerable.Range(FirstSeed, 300))
        {
            var before = NetworkFuzzer.Generate(seed);
            var none = NetworkFuzzer.Generate(seed, FuzzClasses.None);

            Assert.Equal(before.Source, none.Source);
            Assert.Equal(before.Defect, none.Defect);
            Assert.Equal(new[] { before.Source }, none.Files);
            Assert.Null(none.Library);
            Assert.Equal(FuzzClasses.None, none.Classes);
        }
    }

    [Fact]
    public void Every_new_class_appears_and_every_case_is_the_same_from_its_seed()
    {
        var cases = Enumerable.Range(FirstSeed, 600).Select(s => NetworkFuzzer.Generate(s, FuzzClasses.All)).ToList();

        foreach (var kind in new[] { FuzzClasses.Parts, FuzzClasses.SharedDeclarations, FuzzClasses.LibraryBlocks, FuzzClasses.LayersAcrossParts })
        {
            Assert.True(cases.Count(c => c.Classes.HasFlag(kind)) >= 10, $"fewer than 10 cases of {kind} in 600");
        }

        Assert.Contains(cases, c => c.Defect?.StartsWith("parts:", System.StringComparison.Ordinal) == true && c.Defect.Contains("before", System.StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Defect?.StartsWith("parts:", System.StringComparison.Ordinal) == true && c.Defect.Contains("after", System.StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Defect?.StartsWith("library:", System.StringComparison.Ordinal) == true && c.LibraryAsReferenceAssembly);
        Assert.Contains(cases, c => c.Defect?.StartsWith("library:", System.StringComparison.Ordinal) == true && !c.LibraryAsReferenceAssembly);
        Assert.Contains(cases, c => !c.Invalid && c.Classes.HasFlag(FuzzClasses.SharedDeclarations));
        Assert.Contains(cases, c => !c.Invalid && c.Files.Count > 1);
        Assert.InRange(cases.Count(c => c.Invalid), 200, 400);

        foreach (var fuzzCase in cases.Take(100))
        {
            Assert.Equal(fuzzCase.Describe(), NetworkFuzzer.Generate(fuzzCase.Seed, FuzzClasses.All).Describe());
        }
    }

    [Fact]
    public void The_oracle_judges_every_file_of_a_case()
    {
        // An error in the second file of a case counts as located in its input; a valid case over two files labelled invalid is caught.
        var split = SeedsUsing(FuzzClasses.Parts, 200).Select(s => NetworkFuzzer.Generate(s, FuzzClasses.All)).First(c => !c.Invalid && c.Files.Count > 1);
        Assert.Null(FuzzOracle.Check(split));
        Assert.NotNull(FuzzOracle.Check(split with { Defect = "mislabelled" }));

        string broken = split.Files[^1] + "\npublic partial class BrokenSecondFile { [Conv2d(0, 3)] private readonly Conv2d conv; }\n"
            .Replace("public partial class BrokenSecondFile", "[Network(3, 8, 8)] public partial class " + split.Prefix + "Broken", System.StringComparison.Ordinal);
        var files = split.Files.Take(split.Files.Count - 1).Append(broken).ToArray();
        Assert.Null(FuzzOracle.Check(split with { Defect = "planted in the last file", Files = files }));
    }
}
