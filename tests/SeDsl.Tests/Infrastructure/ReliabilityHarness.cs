using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace SeDsl.Tests.Infrastructure;

/// <summary>
/// What the reliability tests need beyond <see cref="GeneratorHarness"/>: other language versions, a referenced
/// library compiled from source, the compiler diagnostics that generation added, and the generated assembly loaded
/// so that TorchSharp can run it.
/// </summary>
public static class ReliabilityHarness
{
    /// <summary>Runs the generator with <paramref name="parseOptions"/> for both the sources and the generated files.</summary>
    public static GeneratorRun Run(CSharpParseOptions parseOptions, params string[] sources)
    {
        var input = CSharpCompilation.Create(
            "SeDslGeneratorTest",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Network{i}.cs")),
            GeneratorHarness.MetadataReferences,
            GeneratorHarness.CompilationOptions);
        var driver = CSharpGeneratorDriver.Create(
            new[] { new SeDsl.Generator.NetworkGenerator().AsSourceGenerator() },
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return GeneratorHarness.Run(driver, input);
    }

    /// <summary>Runs the generator over <paramref name="sources"/> compiled against <paramref name="library"/> as well.</summary>
    public static GeneratorRun Run(MetadataReference library, params string[] sources)
    {
        var input = GeneratorHarness.Compile(sources).AddReferences(library);
        return GeneratorHarness.Run(GeneratorHarness.CreateDriver(), input);
    }

    /// <summary>
    /// A library built from <paramref name="sources"/> with the generator, as another project of a solution would be:
    /// the full assembly, or its reference assembly (public surface only), which is what a project reference passes
    /// to the compiler by default.
    /// </summary>
    public static MetadataReference Library(bool referenceAssembly, params string[] sources)
    {
        var input = CSharpCompilation.Create(
            "SeDslBlockLibrary",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions, path: $"Library{i}.cs")),
            GeneratorHarness.MetadataReferences,
            GeneratorHarness.CompilationOptions);
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), input);
        if (run.GeneratorDiagnostics.Length > 0 || run.CompileDiagnostics.Length > 0)
        {
            throw new InvalidOperationException("The library does not build: " + string.Join("; ", run.GeneratorDiagnostics.Concat(run.CompileDiagnostics)));
        }

        using var image = new MemoryStream();
        var options = referenceAssembly ? new EmitOptions(metadataOnly: true, includePrivateMembers: false) : new EmitOptions();
        var result = run.Output.Emit(image, options: options);
        if (!result.Success)
        {
            throw new InvalidOperationException("The library does not emit: " + string.Join("; ", result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>
    /// Warnings and errors of the compilation with generated code that the user's code alone does not have: what
    /// generation added. Empty when the generated code compiles, and when nothing was generated.
    /// </summary>
    public static IReadOnlyList<Diagnostic> AddedByGeneration(GeneratorRun run)
    {
        static string Key(Diagnostic d) => $"{d.Id}|{d.Location.GetLineSpan().Path}|{d.Location.SourceSpan}";
        var before = run.Input.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(Key).ToHashSet(StringComparer.Ordinal);
        return run.CompileDiagnostics.Where(d => !before.Contains(Key(d))).ToList();
    }

    /// <summary>
    /// Emits the compilation with generated code and loads it into a collectible context; TorchSharp and
    /// SeDsl.Runtime resolve to the assemblies this test process already runs.
    /// </summary>
    public static Assembly Load(GeneratorRun run)
    {
        using var image = new MemoryStream();
        var result = run.Output.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("The generated code does not emit: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        }

        image.Position = 0;
        var context = new AssemblyLoadContext("SeDslReliability", isCollectible: true);
        return context.LoadFromStream(image);
    }

    /// <summary>A public constant or static property of a generated type, e.g. <c>ParameterCount</c> or <c>Summary</c>.</summary>
    public static T Static<T>(Type type, string name)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static;
        object? value = type.GetField(name, flags)?.GetValue(null) ?? type.GetProperty(name, flags)?.GetValue(null);
        return value is T typed ? typed : throw new MissingMemberException(type.FullName, name);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread with a stack of <paramref name="stackBytes"/>, so that deep
    /// recursion in the code under test fails the test rather than ending the test process.
    /// </summary>
    public static T OnLargeStack<T>(Func<T> action, int stackBytes = 1 << 30)
    {
        T? result = default;
        Exception? error = null;
        var thread = new System.Threading.Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        }, stackBytes);
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }

        return result!;
    }
}
