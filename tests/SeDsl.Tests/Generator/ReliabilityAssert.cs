using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// The two outcomes a declaration may have (issue 19): exactly one located SeDsl diagnostic and nothing the
/// generated code adds, or no diagnostic and generated code that compiles without a warning.
/// </summary>
internal static class ReliabilityAssert
{
    public static string Code(string declarations) => Sources.Usings + "namespace Demo\n{\n" + declarations + "\n}\n";

    /// <summary>
    /// Exactly one SeDsl diagnostic: <paramref name="id"/>, of <paramref name="severity"/>, underlining
    /// <paramref name="underlined"/>; where <paramref name="within"/> is given, the underlined text is the
    /// first occurrence of <paramref name="underlined"/> inside the first occurrence of <paramref name="within"/>
    /// in the file <paramref name="path"/>. Generation adds no compiler warning or error.
    /// </summary>
    public static Diagnostic Single(GeneratorRun run, string id, string underlined, DiagnosticSeverity severity = DiagnosticSeverity.Error,
        string? within = null, string path = "Network0.cs")
    {
        Assert.True(run.GeneratorDiagnostics.Length == 1,
            $"expected exactly one {id}, got {run.GeneratorDiagnostics.Length}: {Describe(run)}");
        var diagnostic = run.GeneratorDiagnostics[0];
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.DefaultSeverity);
        Assert.True(diagnostic.Location.IsInSource, "the diagnostic has no location in source");
        Assert.Equal(underlined, run.Underlined(diagnostic));
        if (within is not null)
        {
            Assert.Equal(path, diagnostic.Location.GetLineSpan().Path);
            string text = run.Input.SyntaxTrees.Single(t => t.FilePath == path).GetText().ToString();
            int context = text.IndexOf(within, StringComparison.Ordinal);
            Assert.True(context >= 0, $"'{within}' is not in {path}");
            int expected = text.IndexOf(underlined, context, StringComparison.Ordinal);
            Assert.Equal(expected, diagnostic.Location.SourceSpan.Start);
        }

        Assert.DoesNotContain("{", Message(diagnostic), StringComparison.Ordinal);
        Assert.Empty(ReliabilityHarness.AddedByGeneration(run));

        return diagnostic;
    }

    /// <summary>No diagnostic, the generated files named by <paramref name="hints"/> exist, and everything compiles without a warning.</summary>
    public static void Compiles(GeneratorRun run, params string[] hints)
    {
        Assert.True(run.GeneratorDiagnostics.IsEmpty, "diagnostics for a valid declaration: " + Describe(run));
        foreach (string hint in hints)
        {
            Assert.Contains(run.Sources.Keys, k => k.EndsWith(hint, StringComparison.Ordinal));
        }

        Assert.True(run.CompileDiagnostics.IsEmpty, "the generated code does not compile cleanly: "
            + string.Join("; ", run.CompileDiagnostics.Take(5).Select(d => $"{d.Id} {d.Location.GetLineSpan().Path}: {d.GetMessage(CultureInfo.InvariantCulture)}")));
    }

    public static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    public static string Describe(GeneratorRun run) =>
        string.Join("; ", run.GeneratorDiagnostics.Select(d => $"{d.Id} on '{Underline(run, d)}': {Message(d)}"));

    private static string Underline(GeneratorRun run, Diagnostic d) =>
        d.Location.IsInSource && run.Input.SyntaxTrees.Any(t => t.FilePath == d.Location.GetLineSpan().Path) ? run.Underlined(d) : "(no source location)";
}
