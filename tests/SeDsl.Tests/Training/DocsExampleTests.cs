using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using SeDsl.Samples.Training;
using SeDsl.Tests.Infrastructure;
using SeDsl.Tests.Runtime;
using SeDsl.Tests.Samples;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Training;

/// <summary>
/// The 15-line example of docs/training.md, taken from the page itself: compiled with the generator, and run on a
/// few hundred shipped Fashion-MNIST images.
/// </summary>
[Collection(TorchSeedCollection.Name)]
public sealed partial class DocsExampleTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void The_example_has_at_most_15_lines_and_compiles_with_the_generator_without_a_warning()
    {
        (string usings, string example) = Blocks();
        Assert.InRange(example.Split('\n').Length, 1, 15);

        GeneratorRun run = GeneratorHarness.Run(Program(usings, example, "tiny.safetensors"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains(run.Sources.Keys, k => k.EndsWith("TinyFashionNet.SeDsl.Module.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_example_trains_saves_reloads_and_evaluates_above_chance()
    {
        (string usings, string example) = Blocks();
        string weights = directory.File("tiny.safetensors");
        MethodInfo run = Load(Program(usings, example, weights));
        (ImageSet train, ImageSet test) = FashionMnist.Load(FashionMnist.ShippedDirectory);
        using var trainSet = FashionData.ToDataset(train.Take(640));
        using var testSet = FashionData.ToDataset(test.Take(200));

        double accuracy = TrainingData.OnOneThread(() =>
        {
            random.manual_seed(1);
            return (double)run.Invoke(null, [trainSet, testSet])!;
        });

        Assert.True(accuracy > 0.3, $"test accuracy {accuracy}; chance is 0.1");
        Assert.True(File.Exists(weights));
        using var read = new DisposableDictionary(Weights.Read(weights));
        Assert.Contains("fc.weight", read.Keys);
    }

    /// <summary>The page's usings and example: the first two C# blocks under "In 15 lines".</summary>
    private static (string Usings, string Example) Blocks()
    {
        string page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "training.md"));
        string section = page[page.IndexOf("## In 15 lines", StringComparison.Ordinal)..];
        var blocks = CodeBlock().Matches(section).Select(m => m.Groups[1].Value.TrimEnd()).ToArray();
        return (blocks[0], blocks[1]);
    }

    /// <summary>
    /// The example as a library: its statements become a method taking <c>train</c> and <c>test</c> and returning
    /// <c>accuracy</c>, its declaration follows; the weights file name is pointed at <paramref name="weights"/>.
    /// </summary>
    private static string Program(string usings, string example, string weights)
    {
        int declaration = example.IndexOf("[Network", StringComparison.Ordinal);
        string statements = example[..declaration].Replace("\"tiny.safetensors\"", "@\"" + weights + "\"", StringComparison.Ordinal);
        return $$"""
            {{usings}}

            public static class DocsExample
            {
                public static double Run(utils.data.IterableDataset train, utils.data.IterableDataset test)
                {
            {{statements}}
                    return accuracy;
                }
            }

            {{example[declaration..]}}
            """;
    }

    private static MethodInfo Load(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        stream.Position = 0;
        // A context of its own, so the fixed assembly name can be loaded again by another test; TorchSharp and
        // SeDsl.Runtime resolve to the copies already loaded.
        Assembly assembly = new AssemblyLoadContext("docs-example-" + Guid.NewGuid().ToString("N")).LoadFromStream(stream);
        return assembly.GetType("DocsExample")!.GetMethod("Run")!;
    }

    private static string RepositoryRoot()
    {
        for (string? d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "SeDsl.sln")))
            {
                return d;
            }
        }

        throw new InvalidOperationException("SeDsl.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    private sealed class DisposableDictionary(System.Collections.Generic.Dictionary<string, Tensor> tensors) : IDisposable
    {
        public System.Collections.Generic.IEnumerable<string> Keys => tensors.Keys;

        public void Dispose()
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }
}
