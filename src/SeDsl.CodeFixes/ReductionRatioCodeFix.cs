using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// SEDSL104: r does not divide the channel count C. Offers the divisors of C nearest to r, below and above
/// (the nearer first; on a tie the smaller r, which keeps the wider bottleneck), each titled with its value.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReductionRatioCodeFix)), Shared]
public sealed class ReductionRatioCodeFix : CodeFixProvider
{
    // SEDSL104's message arguments: layer, r, channels, rounded width.
    private const int RatioArgument = 1;
    private const int ChannelsArgument = 2;

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ReductionNotExact);

    /// <summary>The light-bulb title for replacing r with <paramref name="ratio"/>.</summary>
    public static string Title(long ratio, long channels) =>
        string.Format(CultureInfo.InvariantCulture, "Use r = {0}, which divides {1} channels", ratio, channels);

    /// <summary>The divisors of <paramref name="channels"/> nearest to <paramref name="ratio"/>, the nearer first.</summary>
    public static IReadOnlyList<long> NearestDivisors(long ratio, long channels)
    {
        var candidates = new List<long>();
        for (long below = System.Math.Min(ratio, channels); below >= 1; below--)
        {
            if (channels % below == 0)
            {
                candidates.Add(below);
                break;
            }
        }

        for (long above = ratio + 1; above <= channels; above++)
        {
            if (channels % above == 0)
            {
                candidates.Add(above);
                break;
            }
        }

        return candidates.Where(d => d != ratio).Distinct()
            .OrderBy(d => System.Math.Abs(d - ratio)).ThenBy(d => d).ToList();
    }

    /// <summary>No fix-all: the right r depends on each layer's channel count, so each warning is fixed on its own.</summary>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var argument = root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeArgumentSyntax>();
        // Inside a stage or a [Use] the warning sits on that attribute, and r in the block serves every use of it
        // with other channel counts; only an r written on the SE attribute itself is replaced.
        if (root is null || argument?.Parent?.Parent is not AttributeSyntax attribute || !IsSqueezeExcite(attribute.Name))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!TryRead(diagnostic, RatioArgument, out long ratio) || !TryRead(diagnostic, ChannelsArgument, out long channels))
            {
                continue;
            }

            foreach (long divisor in NearestDivisors(ratio, channels))
            {
                var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal((int)divisor))
                    .WithTriviaFrom(argument.Expression);
                var fixedRoot = root.ReplaceNode(argument.Expression, literal);
                context.RegisterCodeFix(
                    CodeAction.Create(Title(divisor, channels), _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)),
                        nameof(ReductionRatioCodeFix) + "." + divisor.ToString(CultureInfo.InvariantCulture)),
                    diagnostic);
            }
        }
    }

    private static bool IsSqueezeExcite(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => IsSqueezeExcite(qualified.Right),
        AliasQualifiedNameSyntax alias => IsSqueezeExcite(alias.Name),
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText is "SqueezeExcite" or "SqueezeExciteAttribute",
        _ => false,
    };

    private static bool TryRead(Diagnostic diagnostic, int index, out long value)
    {
        value = 0;
        return diagnostic.Properties.TryGetValue(DiagnosticIds.ArgumentProperty(index), out string? text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value is >= 1 and <= int.MaxValue;
    }
}
