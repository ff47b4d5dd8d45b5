using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.CodeFixes;

/// <summary>
/// SEDSL002: <c>[Network]</c> without an input shape. Offers the two shapes of the SE paper's experiments,
/// ImageNet's 3 x 224 x 224 and CIFAR's 3 x 32 x 32; an empty argument list is replaced.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddInputShapeCodeFix)), Shared]
public sealed class AddInputShapeCodeFix : CodeFixProvider
{
    private static readonly (string Name, int Channels, int Height, int Width)[] Shapes =
    [
        ("ImageNet", 3, 224, 224),
        ("CIFAR", 3, 32, 32),
    ];

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingInputShape);

    /// <summary>The light-bulb title for an input of <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static string Title(int channels, int height, int width, string dataset) =>
        $"Declare the input shape {channels} x {height} x {width} ({dataset})";

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var attribute = root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();
        if (root is null || attribute is null)
        {
            return;
        }

        foreach (var (name, channels, height, width) in Shapes)
        {
            var shape = new[] { channels, height, width }.Select(v => SyntaxFactory.AttributeArgument(
                SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(v))));
            var fixedAttribute = attribute.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(shape)).NormalizeWhitespace());
            var fixedRoot = root.ReplaceNode(attribute, fixedAttribute);
            context.RegisterCodeFix(
                CodeAction.Create(Title(channels, height, width, name), _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)),
                    nameof(AddInputShapeCodeFix) + "." + name),
                context.Diagnostics);
        }
    }
}
