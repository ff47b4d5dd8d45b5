using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.CodeFixes;

/// <summary>SEDSL001: adds <c>partial</c> to a network or block class, as the last modifier (C# wants it just before <c>class</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    /// <summary>The title shown in the light-bulb menu.</summary>
    public const string Title = "Make the class partial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ClassNotPartial);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var type = root?.FindToken(context.Span.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (root is null || type is null || type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, MakePartial(type)))), nameof(MakePartialCodeFix)),
            context.Diagnostics);
    }

    private static TypeDeclarationSyntax MakePartial(TypeDeclarationSyntax type)
    {
        // The keyword's leading trivia (indentation when there are no modifiers) moves to the new first token.
        var keyword = type.Keyword;
        var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return type.WithModifiers(type.Modifiers.Add(partial)).WithKeyword(keyword.WithLeadingTrivia());
    }
}
