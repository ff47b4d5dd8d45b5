using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// The generator's folders form a star around Model: Parsing, Analysis, Emit and Diagnostics each lean on Model only
/// (and on the Roslyn-free ids file, which every folder may name); the wiring at the root may use them all. Model,
/// Analysis and Emit use no Roslyn type, except Emit's one call into Roslyn's literal formatting.
/// The test compiles the generator's own sources and binds every name in them, so a reference that reaches another
/// folder through a using, a qualified name or the enclosing namespace is found alike.
/// </summary>
public class ArchitectureTests
{
    private const string Root = "(root)";
    private const string Roslyn = "Roslyn";
    private const string Ids = "DiagnosticIds.cs";

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Model"] = ["Model", Ids],
        ["Parsing"] = ["Parsing", "Model", Ids, Roslyn],
        ["Analysis"] = ["Analysis", "Model", Ids],
        ["Emit"] = ["Emit", "Model", Ids],
        ["Diagnostics"] = ["Diagnostics", "Model", Ids, Roslyn],
        [Root] = [Root, "Model", "Parsing", "Analysis", "Emit", "Diagnostics", Ids, Roslyn],
    };

    /// <summary>The one Roslyn symbol Emit may use: string literals through the compiler's own formatting.</summary>
    private static readonly string[] EmitRoslynAllowance = ["Microsoft.CodeAnalysis.CSharp.SymbolDisplay"];

    [Fact]
    public void Folders_depend_on_model_only()
    {
        var edges = Edges(GeneratorSources());

        var violations = edges.Where(e => !Permitted(e.From, e.To, e.Symbol)).Select(e => $"{e.File}: {e.From} -> {e.To} ({e.Symbol})").Distinct().ToList();
        Assert.True(violations.Count == 0, "Dependencies outside the star:\n" + string.Join("\n", violations));

        // The walk must see the edges the star allows, or it proves nothing.
        Assert.Contains(edges, e => e.From == "Parsing" && e.To == "Model");
        Assert.Contains(edges, e => e.From == "Emit" && e.To == "Model");
        Assert.Contains(edges, e => e.From == "Analysis" && e.To == Ids);
        Assert.Contains(edges, e => e.From == Root && e.To == "Emit");
    }

    [Theory]
    // A back edge of each kind, added to one file (inside its file-scoped namespace): the test must see it.
    [InlineData("Model/Shape.cs", "internal static class Probe { public static object P => SeDsl.Generator.Analysis.BlockComposer.Instance; }", "Model -> Analysis")]
    [InlineData("Analysis/LayerRunner.cs", "internal static class Probe { public static string P => SeDsl.Generator.Emit.Code.Tensor; }", "Analysis -> Emit")]
    [InlineData("Emit/Code.cs", "internal static class Probe { public static object? P => default(Microsoft.CodeAnalysis.SyntaxNode); }", "Emit -> Roslyn")]
    [InlineData("Model/Values.cs", "internal static class Probe { public static object P => typeof(NetworkGenerator); }", "Model -> (root)")]
    public void A_back_edge_is_found(string file, string addition, string expected)
    {
        var sources = GeneratorSources().Select(s => s.Path.EndsWith(file, StringComparison.Ordinal) ? (s.Path, s.Text + "\n" + addition + "\n") : s).ToList();

        var edges = Edges(sources);

        Assert.Contains(edges, e => !Permitted(e.From, e.To, e.Symbol) && $"{e.From} -> {e.To}" == expected && e.File.EndsWith(file, StringComparison.Ordinal));
    }

    private static bool Permitted(string from, string to, string symbol) =>
        Allowed[from].Contains(to) || (from == "Emit" && to == Roslyn && EmitRoslynAllowance.Contains(symbol));

    private static List<(string Path, string Text)> GeneratorSources()
    {
        string root = Path.Combine(DiagnosticTests.RepositoryRoot(), "src", "SeDsl.Generator");
        return Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllText(p)))
            .ToList();
    }

    /// <summary>Every reference from a file's folder to the folder that declares the referenced symbol.</summary>
    private static List<(string File, string From, string To, string Symbol)> Edges(List<(string Path, string Text)> sources)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, GeneratorHarness.ParseOptions, s.Path)).ToList();
        var references = GeneratorHarness.MetadataReferences
            .Append(MetadataReference.CreateFromFile(typeof(SyntaxNode).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(CSharpSyntaxTree).Assembly.Location));
        var compilation = CSharpCompilation.Create("Architecture", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var edges = new List<(string, string, string, string)>();
        foreach (var tree in trees)
        {
            string from = FolderOf(tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                if (symbol is null || symbol is INamespaceSymbol)
                {
                    continue;
                }

                var declared = symbol.OriginalDefinition.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree?.FilePath;
                string? to = declared is not null ? FolderOf(declared)
                    : symbol.ContainingAssembly?.Name?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true ? Roslyn
                    : null;
                if (to is not null && to != from)
                {
                    edges.Add((tree.FilePath, from, to, (symbol as ITypeSymbol ?? symbol.ContainingType)?.ToDisplayString() ?? symbol.ToDisplayString()));
                }
            }
        }

        return edges;
    }

    private static string FolderOf(string path) =>
        path.EndsWith("Diagnostics/" + Ids, StringComparison.Ordinal) ? Ids : path.Contains('/') ? path.Substring(0, path.IndexOf('/')) : Root;
}
