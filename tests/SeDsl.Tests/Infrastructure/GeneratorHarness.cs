using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Generator;

namespace SeDsl.Tests.Infrastructure;

/// <summary>The result of running the generator over one source text.</summary>
public sealed record GeneratorRun(
    Compilation Input,
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableDictionary<string, string> Sources,
    GeneratorDriver Driver)
{
    /// <summary>Compiler diagnostics of the compilation including generated code (warnings are errors here).</summary>
    public ImmutableArray<Diagnostic> CompileDiagnostics =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>The source text a diagnostic underlines (generator locations name a file path, not a tree).</summary>
    public string Underlined(Diagnostic diagnostic)
    {
        string path = diagnostic.Location.GetLineSpan().Path;
        var tree = Input.SyntaxTrees.Single(t => t.FilePath == path);
        return tree.GetText().ToString(diagnostic.Location.SourceSpan);
    }

    public string Source(string hintSuffix) => Sources.Single(s => s.Key.EndsWith(hintSuffix, StringComparison.Ordinal)).Value;
}

/// <summary>Runs <see cref="NetworkGenerator"/> in-process, against the same TorchSharp and SeDsl.Runtime the tests use.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The framework, TorchSharp and SeDsl.Runtime, as the test compilations see them.</summary>
    public static ImmutableArray<MetadataReference> MetadataReferences => References.Value;

    /// <summary>The options of <see cref="Compile"/>: a library, nullable on, warnings as errors.</summary>
    public static readonly CSharpCompilationOptions CompilationOptions = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = Directory.GetFiles(runtimeDirectory, "*.dll")
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(TorchSharp.torch).Assembly.Location)
            .Append(typeof(SeDsl.NetworkAttribute).Assembly.Location);
        var references = new List<MetadataReference>();
        foreach (string path in paths)
        {
            try
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
            catch (BadImageFormatException)
            {
                // Native shims in the runtime folder are not assemblies.
            }
        }

        return references.ToImmutableArray();
    });

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "SeDslGeneratorTest",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Network{i}.cs")),
            References.Value,
            CompilationOptions);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), Compile(sources));

    public static GeneratorRun Run(GeneratorDriver driver, Compilation input)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw, which would drop all its output.", result.Exception);
        }

        var sources = result.GeneratedSources.ToImmutableDictionary(s => s.HintName, s => s.SourceText.ToString());
        return new GeneratorRun(input, output, result.Diagnostics, sources, driver);
    }
}
