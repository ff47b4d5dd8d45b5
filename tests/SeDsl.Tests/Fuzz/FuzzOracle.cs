using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Generator;
using SeDsl.Tests.Infrastructure;

namespace SeDsl.Tests.Fuzz;

/// <summary>
/// Runs the generator on one <see cref="FuzzCase"/> and judges the result against what the case was built to be.
/// References, parse and compilation options are shared by all cases: every case's compilation derives from one
/// empty compilation whose references are already bound.
/// </summary>
public static class FuzzOracle
{
    /// <summary>The warning level the repository builds with (the SDK's default for net10.0).</summary>
    public const int WarningLevel = 10;

    private static readonly Lazy<CSharpCompilation> Empty = new(() =>
    {
        var compilation = CSharpCompilation.Create("SeDslFuzz", references: References(),
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: WarningLevel));
        _ = compilation.GetTypeByMetadataName("TorchSharp.torch")?.GetMembers();   // binds the references once
        return compilation;
    });

    /// <summary>
    /// SeDsl.Runtime, TorchSharp and the framework assemblies they need, transitively: a compilation over this closure
    /// binds exactly as one over the whole framework, and name lookups stay cheap for thousands of compilations.
    /// </summary>
    private static MetadataReference[] References()
    {
        string framework = System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var pending = new Stack<string>(new[]
        {
            typeof(object).Assembly.Location,
            System.IO.Path.Combine(framework, "System.Runtime.dll"),
            System.IO.Path.Combine(framework, "netstandard.dll"),
            typeof(TorchSharp.torch).Assembly.Location,
            typeof(SeDsl.NetworkAttribute).Assembly.Location,
        });
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var references = new List<MetadataReference>();
        while (pending.Count > 0)
        {
            string path = pending.Pop();
            if (!System.IO.File.Exists(path) || !seen.Add(System.IO.Path.GetFileName(path)))
            {
                continue;
            }

            references.Add(MetadataReference.CreateFromFile(path));
            using var stream = System.IO.File.OpenRead(path);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
            foreach (var handle in metadata.AssemblyReferences)
            {
                string name = metadata.GetString(metadata.GetAssemblyReference(handle).Name) + ".dll";
                pending.Push(System.IO.Path.Combine(framework, name));
            }
        }

        return references.ToArray();
    }

    private static readonly ISourceGenerator Generator = new NetworkGenerator().AsSourceGenerator();

    /// <summary>The compilation of one source text, sharing the bound references.</summary>
    public static CSharpCompilation Compile(string source) => Compile(new[] { source });

    /// <summary>The compilation of source texts <c>Fuzz0.cs</c>, <c>Fuzz1.cs</c>, ..., sharing the bound references.</summary>
    public static CSharpCompilation Compile(IReadOnlyList<string> sources) =>
        Empty.Value.AddSyntaxTrees(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions, PathOf(i))));

    private static string PathOf(int index) => "Fuzz" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".cs";

    /// <summary>Runs a fresh driver over <paramref name="input"/>.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(Compilation input)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { Generator }, parseOptions: GeneratorHarness.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>Null when the generator did what the case requires, otherwise why not.</summary>
    public static string? Check(FuzzCase fuzzCase) => Check(new[] { fuzzCase })[0];

    /// <summary>
    /// Checks several cases in one compilation (every name a case declares carries its seed, so cases cannot meet),
    /// which shares the compiler's per-compilation work. A case that fails in the batch, or any batch where the
    /// generator failed as a whole, is checked again alone, and the verdict is that of the lone run.
    /// </summary>
    public static IReadOnlyList<string?> Check(IReadOnlyList<FuzzCase> cases)
    {
        // Case i's files are Fuzz{i}.cs, Fuzz{i}_1.cs, ... in the case's own order; its library, if any, is referenced.
        var trees = cases.SelectMany((c, i) => c.Files.Select((f, j) =>
            CSharpSyntaxTree.ParseText(f, GeneratorHarness.ParseOptions, PathOf(i, j)))).ToArray();
        CSharpCompilation input;
        try
        {
            input = Empty.Value.AddReferences(cases.Where(c => c.Library is not null).Select(Library)).AddSyntaxTrees(trees);
        }
        catch (InvalidOperationException e) when (cases.Count == 1)
        {
            return new[] { e.Message };
        }

        var lengths = trees.ToDictionary(t => t.FilePath, t => t.Length, StringComparer.Ordinal);
        var (result, output) = Run(input);
        var verdicts = new string?[cases.Count];
        string? whole = null;
        if (result.Exception is not null)
        {
            whole = $"the generator threw {result.Exception.GetType().Name}: {result.Exception.Message}";
        }
        else if (result.Diagnostics.Any(d => d.Id is "SEDSL901" or "CS8785" or "CS8784"))
        {
            whole = "internal error: " + string.Join("; ", result.Diagnostics.Where(d => d.Id is "SEDSL901" or "CS8785" or "CS8784").Select(Describe));
        }
        else if (result.Diagnostics.Any(d => PathIndex(d.Location) is null))
        {
            whole = "diagnostics outside every input: " + string.Join("; ", result.Diagnostics.Where(d => PathIndex(d.Location) is null).Take(3).Select(Describe));
        }

        if (whole is not null)
        {
            return cases.Count == 1 ? new[] { whole } : cases.Select(Check).ToArray();
        }

        var sources = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText, StringComparer.Ordinal);

        // Compiler diagnostics by case: its input file, and the generated files named after its classes.
        var compile = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        for (int i = 0; i < cases.Count; i++)
        {
            var fuzzCase = cases[i];
            int index = i;
            bool Mine(Diagnostic d) => PathIndex(d.Location) == index || BelongsTo(d.Location, fuzzCase);
            bool InInput(Diagnostic d) => PathIndex(d.Location) == index && d.Location.SourceSpan.End <= lengths[d.Location.GetLineSpan().Path];
            verdicts[i] = Judge(fuzzCase, InInput, result.Diagnostics.Where(d => PathIndex(d.Location) == i).ToList(),
                sources, compile.Where(Mine).ToList());
        }

        if (cases.Count > 1 && compile.Any(d => d.Location.Kind != LocationKind.SourceFile || (PathIndex(d.Location) is null && !cases.Any(c => BelongsTo(d.Location, c)))))
        {
            return cases.Select(Check).ToArray();   // a diagnostic no case owns: judge each alone
        }

        for (int i = 0; i < cases.Count; i++)
        {
            if (verdicts[i] is not null && cases.Count > 1)
            {
                verdicts[i] = Check(cases[i]);
            }
        }

        return verdicts;
    }

    private static int? PathIndex(Location location)
    {
        if (location.Kind is not (LocationKind.SourceFile or LocationKind.ExternalFile))
        {
            return null;
        }

        string path = location.GetLineSpan().Path;
        if (!path.StartsWith("Fuzz", StringComparison.Ordinal) || !path.EndsWith(".cs", StringComparison.Ordinal))
        {
            return null;
        }

        var name = path.AsSpan(4, path.Length - 7);
        int part = name.IndexOf('_');
        if (part >= 0)
        {
            if (part == name.Length - 1 || !int.TryParse(name.Slice(part + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return null;
            }

            name = name.Slice(0, part);
        }

        return int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : null;
    }

    private static string PathOf(int index, int file) =>
        file == 0 ? PathOf(index) : "Fuzz" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + file.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".cs";

    /// <summary>
    /// The case's library built as another project would be: the generator run over it, then emitted as a full
    /// assembly or as a reference assembly. A library that does not build is the fuzzer's mistake.
    /// </summary>
    private static MetadataReference Library(FuzzCase fuzzCase)
    {
        var compilation = CSharpCompilation.Create("SeDslFuzzLibrary" + ((uint)fuzzCase.Seed).ToString(System.Globalization.CultureInfo.InvariantCulture),
            new[] { CSharpSyntaxTree.ParseText(fuzzCase.Library!, GeneratorHarness.ParseOptions, "Library.cs") }, Empty.Value.References, Empty.Value.Options);
        var (result, output) = Run(compilation);
        using var image = new System.IO.MemoryStream();
        var emitted = output.Emit(image, options: fuzzCase.LibraryAsReferenceAssembly
            ? new Microsoft.CodeAnalysis.Emit.EmitOptions(metadataOnly: true, includePrivateMembers: false)
            : new Microsoft.CodeAnalysis.Emit.EmitOptions());
        if (result.Exception is not null || !result.Diagnostics.IsEmpty || !emitted.Success)
        {
            throw new InvalidOperationException($"the library of {fuzzCase} does not build: "
                + string.Join("; ", result.Diagnostics.Concat(emitted.Diagnostics).Take(3).Select(Describe)));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>Whether a location lies in a generated file of one of the case's classes (their names start with its prefix).</summary>
    private static bool BelongsTo(Location location, FuzzCase fuzzCase)
    {
        string path = location.GetLineSpan().Path ?? "";
        string file = path.Substring(path.LastIndexOf('/') + 1);
        int at = file.IndexOf(fuzzCase.Prefix, StringComparison.Ordinal);
        int after = at + fuzzCase.Prefix.Length;
        return at >= 0 && (at == 0 || file[at - 1] == '.') && after < file.Length && !char.IsDigit(file[after]);
    }

    private static string? Judge(FuzzCase fuzzCase, Func<Diagnostic, bool> inInput, List<Diagnostic> generator, Dictionary<string, Microsoft.CodeAnalysis.Text.SourceText> sources, List<Diagnostic> compile)
    {
        bool IsError(Diagnostic d) => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError;

        if (fuzzCase.Invalid && fuzzCase.SingleError)
        {
            // One defect, one error: SEDSL018 on each use of a block with errors is the documented consequence, not a second error.
            var own = generator.Where(d => d.Id != "SEDSL018").ToList();
            if (own.Count != 1 || !IsError(own[0]) || !inInput(own[0]))
            {
                return $"{own.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} diagnostics for one defect, where exactly one located error was due: "
                    + string.Join("; ", own.Take(5).Select(Describe));
            }

            if (fuzzCase.ExpectedId is { } id && own[0].Id != id)
            {
                return $"{own[0].Id} where {id} was due: {Describe(own[0])}";
            }

            if (fuzzCase.ExpectedSpan is { } span && own[0].Location.SourceTree?.GetText().ToString(own[0].Location.SourceSpan) is { } underlined && underlined != span)
            {
                return $"the error underlines '{underlined}' where '{span}' was due: {Describe(own[0])}";
            }

            string message = own[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            if (fuzzCase.ExpectedMessages.FirstOrDefault(m => !message.Contains(m, StringComparison.Ordinal)) is { } absent)
            {
                return $"the error does not say '{absent}': {Describe(own[0])}";
            }

            var stray = generator.Where(d => d.Id == "SEDSL018" && !inInput(d)).Concat(compile.Where(IsError)).ToList();
            return stray.Count == 0 ? null : "errors besides the one due: " + string.Join("; ", stray.Take(3).Select(Describe));
        }

        if (fuzzCase.Invalid)
        {
            if (generator.Any(d => IsError(d) && inInput(d)) || compile.Any(d => IsError(d) && inInput(d)))
            {
                return null;
            }

            var errors = generator.Concat(compile).Where(IsError).ToList();
            return errors.Count == 0
                ? "no error diagnostic for an invalid declaration"
                : "errors only outside the input: " + string.Join("; ", errors.Take(3).Select(Describe));
        }

        if (generator.Count > 0)
        {
            return "diagnostics for a valid declaration: " + string.Join("; ", generator.Take(8).Select(Describe));
        }

        var missing = fuzzCase.Networks.Select(n => n + ".SeDsl.Module.g.cs")
            .Concat(fuzzCase.Blocks.Select(b => b + ".SeDsl.Block.g.cs"))
            .Where(h => !sources.ContainsKey(h))
            .ToList();
        if (missing.Count > 0)
        {
            return "not generated: " + string.Join(", ", missing);
        }

        foreach (var expected in fuzzCase.Expectations)
        {
            long? count = GeneratedParameterCount(sources[expected.Network + ".SeDsl.Module.g.cs"].ToString());
            if (count != expected.ParameterCount)
            {
                return $"{expected.Network}.ParameterCount is {count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}, the fuzzer's model says {expected.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            }
        }

        return compile.Count == 0
            ? null
            : "the generated code does not compile cleanly: " + string.Join("; ", compile.Take(5).Select(Describe));
    }

    /// <summary>The value of the generated <c>ParameterCount</c> constant in a network's module source, or null.</summary>
    public static long? GeneratedParameterCount(string source)
    {
        const string Marker = "public const long ParameterCount = ";
        int at = source.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        int end = source.IndexOf(';', at);
        return long.TryParse(source.AsSpan(at + Marker.Length, end - at - Marker.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n) ? n : null;
    }

    private static string Describe(Diagnostic d)
    {
        string where = d.Location.Kind is LocationKind.SourceFile or LocationKind.ExternalFile
            ? $"{d.Location.GetLineSpan().Path}({d.Location.GetLineSpan().StartLinePosition.Line + 1})"
            : "no location";
        return $"{d.Id} at {where}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Cases to run: <c>SEDSL_FUZZ_CASES</c> (default <paramref name="fallback"/>).</summary>
    public static int CaseCount(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("SEDSL_FUZZ_CASES"), out int n) && n > 0 ? n : fallback;

    /// <summary>
    /// The classes of input beyond the original fuzzer's: <c>SEDSL_FUZZ_CLASSES</c>, <c>all</c>, <c>none</c>, <c>default</c>
    /// or a comma-separated list of <see cref="FuzzClasses"/> names (default <paramref name="fallback"/>).
    /// </summary>
    public static FuzzClasses Classes(FuzzClasses fallback)
    {
        string? text = Environment.GetEnvironmentVariable("SEDSL_FUZZ_CLASSES");
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return fallback;
        }

        return Enum.TryParse(text, ignoreCase: true, out FuzzClasses classes)
            ? classes
            : throw new ArgumentException($"SEDSL_FUZZ_CLASSES={text}: expected all, none, default or names of {nameof(FuzzClasses)} separated by commas");
    }

    /// <summary>First seed: <c>SEDSL_FUZZ_SEED</c> (default <paramref name="fallback"/>).</summary>
    public static int FirstSeed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("SEDSL_FUZZ_SEED"), out int n) ? n : fallback;

    /// <summary>Failures of a run of cases, in seed order; cases are checked in batches of <see cref="BatchSize"/>.</summary>
    public static IReadOnlyList<(FuzzCase Case, string Failure)> RunMany(int firstSeed, int count, Action<int>? progress = null) =>
        RunMany(firstSeed, count, Classes(FuzzClasses.Default), progress);

    /// <summary>Failures of a run of cases written with the classes of input <paramref name="classes"/>.</summary>
    public static IReadOnlyList<(FuzzCase Case, string Failure)> RunMany(int firstSeed, int count, FuzzClasses classes, Action<int>? progress = null) =>
        RunMany(Enumerable.Range(0, count).Select(i => unchecked(firstSeed + i)).ToArray(), classes, progress);

    /// <summary>Failures of the cases of <paramref name="seeds"/> written with the classes of input <paramref name="classes"/>.</summary>
    public static IReadOnlyList<(FuzzCase Case, string Failure)> RunMany(IReadOnlyList<int> seeds, FuzzClasses classes, Action<int>? progress = null)
    {
        int count = seeds.Count;
        var failures = new System.Collections.Concurrent.ConcurrentBag<(FuzzCase, string)>();
        int done = 0;
        int batches = (count + BatchSize - 1) / BatchSize;
        System.Threading.Tasks.Parallel.For(0, batches, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            var cases = Enumerable.Range(b * BatchSize, Math.Min(BatchSize, count - (b * BatchSize)))
                .Select(i => NetworkFuzzer.Generate(seeds[i], classes)).ToArray();
            IReadOnlyList<string?> verdicts;
            try
            {
                verdicts = Check(cases);
            }
            catch (Exception e)
            {
                verdicts = cases.Select(_ => (string?)("the check itself threw " + e)).ToArray();
            }

            for (int i = 0; i < cases.Length; i++)
            {
                if (verdicts[i] is { } failure)
                {
                    failures.Add((cases[i], failure));
                }
            }

            progress?.Invoke(System.Threading.Interlocked.Add(ref done, cases.Length));
        });
        return failures.OrderBy(f => f.Item1.Seed).ToList();
    }

    /// <summary>Cases per compilation.</summary>
    public const int BatchSize = 20;

    /// <summary>A compilation with its generated code, emitted and loaded into a collectible context named <paramref name="context"/>.</summary>
    public static System.Reflection.Assembly Load(Compilation output, string context)
    {
        using var image = new System.IO.MemoryStream();
        var emitted = output.Emit(image);
        Xunit.Assert.True(emitted.Success, string.Join("; ", emitted.Diagnostics.Take(5)));
        image.Position = 0;
        return new System.Runtime.Loader.AssemblyLoadContext(context, isCollectible: true).LoadFromStream(image);
    }

    /// <summary>
    /// Null when the network <paramref name="type"/>'s compile-time summary has the model's parameter count and its built
    /// <paramref name="module"/> the model's parameters, key for key and size for size; otherwise the first differences.
    /// </summary>
    public static string? CountAndParameters(Type type, TorchSharp.torch.nn.Module module, FuzzExpectation expected)
    {
        var summary = ReliabilityHarness.Static<NetworkSummary>(type, "Summary");
        if (summary.Parameters != expected.ParameterCount)
        {
            return $"Summary.Parameters {summary.Parameters}, model {expected.ParameterCount}";
        }

        var named = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.numel(), StringComparer.Ordinal);
        var differences = named.Where(p => !expected.Parameters.TryGetValue(p.Key, out long n) || n != p.Value).Select(p => $"built {p.Key} ({p.Value})")
            .Concat(expected.Parameters.Where(p => !named.TryGetValue(p.Key, out long n) || n != p.Value).Select(p => $"model {p.Key} ({p.Value})")).ToList();
        return differences.Count > 0 ? "parameters differ: " + string.Join(", ", differences.Take(8)) : null;
    }
}
