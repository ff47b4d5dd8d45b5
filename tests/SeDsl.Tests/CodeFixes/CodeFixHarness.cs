using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.CodeFixes;

/// <summary>What a code fix offered for one diagnostic, and the source after applying the chosen action.</summary>
public sealed record FixOutcome(ImmutableArray<string> Titles, string FixedSource, GeneratorRun After);

/// <summary>
/// Runs a code fix the way the IDE does, without an IDE: the source goes into an <see cref="AdhocWorkspace"/>, the
/// generator runs over the project's compilation (the IDE gets generator diagnostics the same way, from the
/// compiler), the diagnostic goes to the provider through a <see cref="CodeFixContext"/>, and the chosen action's
/// changed solution is read back and run through the generator again.
/// </summary>
public static class CodeFixHarness
{
    public static async Task<FixOutcome> FixAsync(CodeFixProvider provider, string source, string id, string title)
    {
        using var workspace = new AdhocWorkspace();
        var document = Open(workspace, source);
        var actions = await OfferAsync(provider, document, id);
        var titles = actions.Select(a => a.Title).ToImmutableArray();
        var chosen = actions.FirstOrDefault(a => a.Title == title)
            ?? throw new Xunit.Sdk.XunitException($"No action titled '{title}'; offered: {string.Join(" | ", titles)}");

        var operations = await chosen.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.IsType<ApplyChangesOperation>(Assert.Single(operations)).ChangedSolution.GetDocument(document.Id)!;
        string fixedSource = (await changed.GetTextAsync()).ToString();
        return new FixOutcome(titles, fixedSource, await RunGeneratorAsync(changed));
    }

    /// <summary>The titles a provider offers for the one diagnostic <paramref name="id"/> that <paramref name="source"/> gets.</summary>
    public static async Task<ImmutableArray<string>> TitlesAsync(CodeFixProvider provider, string source, string id)
    {
        using var workspace = new AdhocWorkspace();
        return (await OfferAsync(provider, Open(workspace, source), id)).Select(a => a.Title).ToImmutableArray();
    }

    private static async Task<ImmutableArray<CodeAction>> OfferAsync(CodeFixProvider provider, Document document, string id)
    {
        var diagnostic = Assert.Single((await RunGeneratorAsync(document)).GeneratorDiagnostics, d => d.Id == id);
        Assert.Contains(id, provider.FixableDiagnosticIds);

        var actions = ImmutableArray.CreateBuilder<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions.ToImmutable();
    }

    private static Document Open(AdhocWorkspace workspace, string source)
    {
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Create(), "Demo", "Demo", LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions,
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.MetadataReferences));
        // The file path matters: generator diagnostics are located by path, as in GeneratorRun.Underlined.
        return workspace.AddDocument(DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id), "Network0.cs",
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(source), VersionStamp.Create())),
            filePath: "Network0.cs"));
    }

    private static async Task<GeneratorRun> RunGeneratorAsync(Document document)
    {
        var compilation = await document.Project.GetCompilationAsync();
        return GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation!);
    }
}
