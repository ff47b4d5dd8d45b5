using System.Collections.Generic;
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
/// SEDSL204: a linear layer receives C x H x W. Inserts a <c>[Flatten]</c> field just before the linear layer's
/// field, written the way that field is written (same modifiers, namespace qualification and indentation).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddFlattenCodeFix)), Shared]
public sealed class AddFlattenCodeFix : CodeFixProvider
{
    private const string Linear = nameof(Linear);
    private const string Flatten = nameof(Flatten);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NeedsFlatInput);

    /// <summary>The light-bulb title for a linear layer named <paramref name="layer"/>.</summary>
    public static string Title(string layer) => $"Add a [Flatten] layer before '{layer}'";

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        var attribute = node?.FirstAncestorOrSelf<AttributeSyntax>();
        var field = node?.FirstAncestorOrSelf<FieldDeclarationSyntax>();
        if (root is null || attribute is null || field?.Parent is not TypeDeclarationSyntax type || field.Declaration.Variables.Count != 1)
        {
            return;
        }

        string layer = field.Declaration.Variables[0].Identifier.ValueText;
        var (flattenTrivia, linearTrivia) = SplitLeadingTrivia(field.GetLeadingTrivia());
        var flatten = FlattenField(field, attribute, FreeName(type)).WithLeadingTrivia(flattenTrivia);
        var fixedRoot = root.ReplaceNode(field, new SyntaxNode[] { flatten, field.WithLeadingTrivia(linearTrivia) });
        context.RegisterCodeFix(
            CodeAction.Create(Title(layer), _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)), nameof(AddFlattenCodeFix)),
            context.Diagnostics);
    }

    private static MemberDeclarationSyntax FlattenField(FieldDeclarationSyntax linear, AttributeSyntax linearAttribute, string name)
    {
        // [Linear] -> [Flatten], [SeDsl.LinearAttribute] -> [SeDsl.FlattenAttribute]; a field typed Linear (qualified or not)
        // becomes Flatten, and a field typed by a base such as Module<Tensor, Tensor> keeps that type, which Flatten also has.
        string attributeName = Rename(linearAttribute.Name).ToString();
        string typeName = (linear.Declaration.Type is NameSyntax typeSyntax ? Rename(typeSyntax) : linear.Declaration.Type).ToString();
        string modifiers = string.Concat(linear.Modifiers.Select(m => m.Text + " "));
        var endOfLine = linear.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return SyntaxFactory.ParseMemberDeclaration($"[{attributeName}] {modifiers}{typeName} {name};")!
            .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.LineFeed);
    }

    // Blank lines above the linear field go above the new field; comments stay with the linear field; both keep its indentation.
    private static (SyntaxTriviaList Flatten, SyntaxTriviaList Linear) SplitLeadingTrivia(SyntaxTriviaList leading)
    {
        int firstOther = 0;
        while (firstOther < leading.Count && (leading[firstOther].IsKind(SyntaxKind.WhitespaceTrivia) || leading[firstOther].IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            firstOther++;
        }

        int blankEnd = 0;
        for (int i = 0; i < firstOther; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                blankEnd = i + 1;
            }
        }

        var indentation = leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
        var linear = SyntaxFactory.TriviaList(leading.Skip(blankEnd));
        return (SyntaxFactory.TriviaList(leading.Take(blankEnd).Concat(indentation)), linear);
    }

    private static NameSyntax Rename(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.WithRight((SimpleNameSyntax)Rename(qualified.Right)),
        AliasQualifiedNameSyntax alias => alias.WithName((SimpleNameSyntax)Rename(alias.Name)),
        IdentifierNameSyntax identifier when identifier.Identifier.ValueText.StartsWith(Linear, System.StringComparison.Ordinal) =>
            identifier.WithIdentifier(SyntaxFactory.Identifier(Flatten + identifier.Identifier.ValueText.Substring(Linear.Length))
                .WithTriviaFrom(identifier.Identifier)),
        _ => name,
    };

    private static string FreeName(TypeDeclarationSyntax type)
    {
        var taken = new HashSet<string>(type.Members.SelectMany(MemberNames)) { type.Identifier.ValueText };
        string name = "flatten";
        for (int i = 2; taken.Contains(name); i++)
        {
            name = "flatten" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private static IEnumerable<string> MemberNames(MemberDeclarationSyntax member) => member switch
    {
        BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
        MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
        PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
        BaseTypeDeclarationSyntax nested => new[] { nested.Identifier.ValueText },
        _ => Enumerable.Empty<string>(),
    };
}
