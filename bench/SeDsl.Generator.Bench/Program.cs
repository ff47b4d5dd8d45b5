using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Tests.Fuzz;

namespace SeDsl.Generator.Bench;

/// <summary>
/// Times the generator in-process: the whole zoo (samples/SeDsl.Zoo/Networks/*.cs, read at run time) and generated
/// valid networks, cold (a new driver over a new compilation) and incremental (the same driver after one attribute
/// argument changed). Prints medians after warm-up; <c>--json</c> prints one JSON object instead.
/// </summary>
internal static class Program
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static int Main(string[] args)
    {
        bool json = args.Contains("--json");
        int iterations = Option(args, "--iterations", 15);
        int warmup = Option(args, "--warmup", 3);
        int fuzzNetworks = Option(args, "--networks", 200);

        var empty = EmptyCompilation();
        string root = RepositoryRoot();
        var zooFiles = Directory.GetFiles(Path.Combine(root, "samples", "SeDsl.Zoo", "Networks"), "*.cs").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var zoo = zooFiles.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, Path.GetFileName(f))).ToArray();
        int zooNetworks = zoo.Sum(t => Regex.Matches(t.ToString(), @"\[(SeDsl\.)?Network(Attribute)?\(").Count);
        int zooBlocks = zoo.Sum(t => Regex.Matches(t.ToString(), @"\[(SeDsl\.)?Block(Attribute)?[\(\]]").Count);

        // Each fuzz case holds one or two networks and up to three blocks; each is timed as its own compilation.
        var fuzz = Enumerable.Range(1, fuzzNetworks)
            .Select(seed => CSharpSyntaxTree.ParseText(NetworkFuzzer.GenerateValid(seed).Source, ParseOptions, $"Fuzz{seed}.cs"))
            .ToArray();

        var results = new List<Row>();
        var zooCold = Measure(warmup, iterations, () => Cold(empty, zoo));
        results.Add(new Row("zoo, cold (new driver)", $"{zooFiles.Length} files, {zooNetworks} networks, {zooBlocks} blocks", zooCold, 300));
        results.Add(new Row("zoo, cold, per network", "", zooCold / Math.Max(1, zooNetworks), null));
        var zooEdit = Measure(warmup, iterations, Incremental(empty, zoo));
        results.Add(new Row("zoo, one-argument edit (driver reused)", "first [Linear] out-features, n <-> n+1", zooEdit, 20));
        var blockEdit = Measure(warmup, iterations, Incremental(empty, zoo, SharedBlockEditPoint));
        results.Add(new Row("zoo, one-argument edit of a block in six networks", "ResNet.cs Bottleneck conv2 padding, 1 <-> 2", blockEdit, 30));

        var coldPerCase = fuzz.Select(tree => Measure(1, Math.Max(3, iterations / 5), () => Cold(empty, new[] { tree }))).ToArray();
        results.Add(new Row("generated networks, cold, per case", $"{fuzz.Length} cases, median of per-case medians", MedianOf(coldPerCase), null));
        var editPerCase = fuzz.Select(tree => Measure(1, Math.Max(3, iterations / 5), Incremental(empty, new[] { tree }))).ToArray();
        results.Add(new Row("generated networks, one-argument edit, per case", "first [Linear] / [Conv2d] / input height, n <-> n+1", MedianOf(editPerCase), 20));

        if (json)
        {
            var document = new Dictionary<string, object?>
            {
                ["machine"] = $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                ["iterations"] = iterations,
                ["warmup"] = warmup,
                ["results"] = results.Select(r => new Dictionary<string, object?>
                {
                    ["scenario"] = r.Scenario,
                    ["input"] = r.Input,
                    ["medianMs"] = Math.Round(r.MedianMs, 3),
                    ["medianCpuMs"] = Math.Round(r.Median.Cpu, 3),
                    ["targetMs"] = r.TargetMs,
                    ["ratioToTarget"] = r.TargetMs is { } t ? Math.Round(r.MedianMs / t, 3) : null,
                }).ToList(),
            };
            Console.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Console.WriteLine($"SeDsl generator benchmark: medians of {iterations} runs after {warmup} warm-up runs ({Environment.ProcessorCount} logical cores)");
            Console.WriteLine("ratio = median wall-clock ms / target ms (below 1 meets the target); CPU ms = process CPU time of the same runs");
            Console.WriteLine();
            Console.WriteLine($"{"scenario",-48} {"median ms",10} {"CPU ms",8} {"target ms",10} {"ratio",7}  input");
            Console.WriteLine(new string('-', 120));
            foreach (var r in results)
            {
                string target = r.TargetMs is { } t ? t.ToString(CultureInfo.InvariantCulture) : "";
                string ratio = r.TargetMs is { } t2 ? (r.MedianMs / t2).ToString("F2", CultureInfo.InvariantCulture) : "";
                Console.WriteLine($"{r.Scenario,-48} {r.MedianMs.ToString("F2", CultureInfo.InvariantCulture),10} {r.Median.Cpu.ToString("F1", CultureInfo.InvariantCulture),8} {target,10} {ratio,7}  {r.Input}");
            }
        }

        return 0;
    }

    private sealed record Row(string Scenario, string Input, Timing Median, double? TargetMs)
    {
        public double MedianMs => Median.Wall;
    }

    /// <summary>A new compilation over <paramref name="trees"/> and a new driver: everything the generator does on a first build.</summary>
    private static void Cold(CSharpCompilation empty, SyntaxTree[] trees)
    {
        var compilation = empty.AddSyntaxTrees(trees);
        var driver = NewDriver().RunGenerators(compilation);
        Consume(driver);
    }

    /// <summary>
    /// Returns a timed step that edits one attribute argument (alternately +1 and -1) and reruns the same driver; the
    /// driver's first run happens before timing starts.
    /// </summary>
    private static Func<Action> Incremental(CSharpCompilation empty, SyntaxTree[] trees, Func<SyntaxTree[], (SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan, int)>? editPoint = null)
    {
        return () =>
        {
            Compilation compilation = empty.AddSyntaxTrees(trees);
            var driver = NewDriver().RunGenerators(compilation);
            var (tree, span, value) = (editPoint ?? EditPoint)(trees);
            int step = 0;
            return () =>
            {
                step++;
                string text = (value + (step % 2)).ToString(CultureInfo.InvariantCulture);
                var current = compilation.SyntaxTrees.First(t => t.FilePath == tree.FilePath);
                var edited = current.WithChangedText(current.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(
                    new Microsoft.CodeAnalysis.Text.TextSpan(span.Start, current.GetText().ToString().AsSpan(span.Start).IndexOfAny(",)".AsSpan())), text)));
                compilation = compilation.ReplaceSyntaxTree(current, edited);
                driver = driver.RunGenerators(compilation);
                Consume(driver);
            };
        };
    }

    /// <summary>The first integer argument of a [Linear] attribute in the trees, else of a [Conv2d], else the input height of a [Network].</summary>
    private static (SyntaxTree Tree, Microsoft.CodeAnalysis.Text.TextSpan Span, int Value) EditPoint(SyntaxTree[] trees)
    {
        foreach (string pattern in new[] { @"\[(SeDsl\.)?Linear\((outFeatures: )?(?<n>\d+)", @"\[(SeDsl\.)?Conv2d\((outChannels: )?(?<n>\d+)", @"Network(Attribute)?\((input: new\[\] \{ )?\d+, (?<n>\d+)" })
        {
            foreach (var tree in trees)
            {
                var match = Regex.Match(tree.ToString(), pattern);
                if (match.Success)
                {
                    var group = match.Groups["n"];
                    return (tree, new Microsoft.CodeAnalysis.Text.TextSpan(group.Index, group.Length), int.Parse(group.Value, CultureInfo.InvariantCulture));
                }
            }
        }

        throw new InvalidOperationException("no [Linear], [Conv2d] or [Network] with a literal argument to edit");
    }

    /// <summary>
    /// The padding of the bottleneck's 3x3 convolution in ResNet.cs: the block behind ResNet-50/101/152 and their Caffe
    /// variants, so every network that uses it is read again.
    /// </summary>
    private static (SyntaxTree Tree, Microsoft.CodeAnalysis.Text.TextSpan Span, int Value) SharedBlockEditPoint(SyntaxTree[] trees)
    {
        var tree = trees.Single(t => t.FilePath == "ResNet.cs");
        var match = Regex.Match(tree.ToString(), @"class Bottleneck\b[^}]*?Padding = (?<n>\d+)");
        var group = match.Success ? match.Groups["n"] : throw new InvalidOperationException("ResNet.cs has no Bottleneck with a padding to edit");
        return (tree, new Microsoft.CodeAnalysis.Text.TextSpan(group.Index, group.Length), int.Parse(group.Value, CultureInfo.InvariantCulture));
    }

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    private static void Consume(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", result.Exception);
        }

        foreach (var source in result.GeneratedSources)
        {
            _ = source.SourceText.Length;
        }
    }

    private static Timing Measure(int warmup, int iterations, Action action) => Measure(warmup, iterations, () => action);

    /// <summary>
    /// Median wall-clock and process CPU milliseconds of <paramref name="iterations"/> calls of the step that
    /// <paramref name="setup"/> returns, after warm-up calls. CPU time is the steadier figure on a shared machine.
    /// </summary>
    private static Timing Measure(int warmup, int iterations, Func<Action> setup)
    {
        var step = setup();
        for (int i = 0; i < warmup; i++)
        {
            step();
        }

        var wall = new double[iterations];
        var cpu = new double[iterations];
        var stopwatch = new Stopwatch();
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < iterations; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            stopwatch.Restart();
            step();
            wall[i] = stopwatch.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        }

        Array.Sort(wall);
        Array.Sort(cpu);
        return new Timing(Median(wall), Median(cpu));
    }

    private readonly record struct Timing(double Wall, double Cpu)
    {
        public static Timing operator /(Timing t, int n) => new(t.Wall / n, t.Cpu / n);
    }

    private static Timing MedianOf(Timing[] timings) =>
        new(Median(timings.Select(t => t.Wall).OrderBy(t => t).ToArray()), Median(timings.Select(t => t.Cpu).OrderBy(t => t).ToArray()));

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : fallback;
    }

    private static string RepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SeDsl.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmark inside the repository (SeDsl.sln not found).");
    }

    /// <summary>
    /// An empty compilation over SeDsl.Runtime, TorchSharp and the framework assemblies they need, with its references
    /// bound once, so every measured compilation shares the metadata as a compiler server would.
    /// </summary>
    private static CSharpCompilation EmptyCompilation()
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var pending = new Stack<string>(new[]
        {
            typeof(object).Assembly.Location,
            Path.Combine(framework, "System.Runtime.dll"),
            Path.Combine(framework, "netstandard.dll"),
            typeof(TorchSharp.torch).Assembly.Location,
            typeof(SeDsl.NetworkAttribute).Assembly.Location,
        });
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var references = new List<MetadataReference>();
        while (pending.Count > 0)
        {
            string path = pending.Pop();
            if (!File.Exists(path) || !seen.Add(Path.GetFileName(path)))
            {
                continue;
            }

            references.Add(MetadataReference.CreateFromFile(path));
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            var metadata = reader.GetMetadataReader();
            foreach (var handle in metadata.AssemblyReferences)
            {
                pending.Push(Path.Combine(framework, metadata.GetString(metadata.GetAssemblyReference(handle).Name) + ".dll"));
            }
        }

        var compilation = CSharpCompilation.Create("SeDslBench", references: references,
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _ = compilation.GetTypeByMetadataName("TorchSharp.torch")?.GetMembers();
        return compilation;
    }
}
