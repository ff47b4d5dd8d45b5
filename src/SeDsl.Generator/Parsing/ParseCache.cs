using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Reuses a class's parse result from an earlier compilation when nothing the parse read can have changed.
/// <para>
/// Roslyn runs a <c>ForAttributeWithMetadataName</c> transform again for every attributed class whenever the
/// compilation changes, and the parse binds every layer attribute of its class: in a project the size of the zoo that
/// is about 25 ms per keystroke. A parse reads (1) the class's own declarations and (2) everything else only through
/// declarations: name lookup, constant values, types. It never reads another class's body: blocks are referenced by
/// name and resolved when the model is combined. So an earlier result still holds when
/// </para>
/// <list type="bullet">
/// <item>the options and references are the same, the files are the same files in the same order, and every changed
/// file declares what its earlier version declared: the two are equivalent outside attribute argument lists and member
/// bodies (<see cref="DeclarationEquivalence"/>);</item>
/// <item>every declaration of the class is unchanged: the same text and tokens at the same position and line.</item>
/// </list>
/// Anything else, an added or removed file included, reads the class again. One cache serves one generator pipeline;
/// it holds results weakly by syntax tree, so it never keeps a compilation alive.
/// </summary>
internal sealed class ParseCache<T>
    where T : class
{
    private readonly ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<int, Entry>> entries = new();

    // The last two versions of each file seen: after an edit, classes are looked up in the version before it.
    private readonly ConcurrentDictionary<string, FileVersions> files = new(StringComparer.Ordinal);

    /// <summary>
    /// The cached result for the class declared by <paramref name="target"/> (all of whose parts are
    /// <paramref name="declarations"/>), or the result of <paramref name="read"/>.
    /// </summary>
    public T GetOrRead(SyntaxNode target, ImmutableArray<SyntaxReference> declarations, Compilation compilation, Func<T> read)
    {
        if (Find(target, compilation) is { } entry)
        {
            return entry.Result;
        }

        var result = read();
        var reads = declarations.Select(d => d.GetSyntax()).ToArray();
        entries.GetValue(target.SyntaxTree, static _ => new ConcurrentDictionary<int, Entry>())[target.SpanStart] =
            new Entry(result, reads, CompilationStamp.Of(compilation), target);
        return result;
    }

    private Entry? Find(SyntaxNode target, Compilation compilation)
    {
        var stamp = CompilationStamp.Of(compilation);
        var tree = target.SyntaxTree;
        var classes = entries.GetValue(tree, static _ => new ConcurrentDictionary<int, Entry>());
        if (classes.TryGetValue(target.SpanStart, out var entry) && Reuse(entry, compilation, stamp) is { } same)
        {
            classes[target.SpanStart] = same;
            return same;
        }

        if (files.GetOrAdd(tree.FilePath, static _ => new FileVersions()).Before(tree) is { } earlier
            && entries.TryGetValue(earlier, out var earlierClasses) && earlierClasses.TryGetValue(target.SpanStart, out entry)
            && Reuse(entry, compilation, stamp) is { } moved && moved.Target.SyntaxTree == tree && moved.Target.Span == target.Span)
        {
            // The class at this position in the earlier version is this class (two files can share a path).
            classes[target.SpanStart] = moved;
            return moved;
        }

        return null;
    }

    /// <summary>The entry, with its reads mapped onto <paramref name="compilation"/>'s trees, when it still holds there; else null.</summary>
    private static Entry? Reuse(Entry entry, Compilation compilation, CompilationStamp stamp)
    {
        // Already checked in this very compilation.
        if (ReferenceEquals(entry.Stamp, stamp))
        {
            return entry;
        }

        if (!stamp.DeclaresSameAs(entry.Stamp))
        {
            return null;
        }

        var target = compilation.ContainsSyntaxTree(entry.Target.SyntaxTree) ? entry.Target : stamp.Unchanged(entry.Target);
        if (target is null)
        {
            return null;
        }

        var reads = new SyntaxNode[entry.Reads.Length];
        for (int i = 0; i < reads.Length; i++)
        {
            var before = entry.Reads[i];
            var now = compilation.ContainsSyntaxTree(before.SyntaxTree) ? before : stamp.Unchanged(before);
            if (now is null)
            {
                return null;
            }

            reads[i] = now;
        }

        return new Entry(entry.Result, reads, stamp, target);
    }

    /// <param name="Target">The declaration the transform ran for (one of <paramref name="Reads"/>, the class's parts).</param>
    private sealed record Entry(T Result, SyntaxNode[] Reads, CompilationStamp Stamp, SyntaxNode Target);

    private sealed class FileVersions
    {
        private readonly WeakReference<SyntaxTree?> current = new(null);
        private readonly WeakReference<SyntaxTree?> previous = new(null);

        /// <summary>The version of the file seen before <paramref name="tree"/>, recording <paramref name="tree"/> as the latest.</summary>
        public SyntaxTree? Before(SyntaxTree tree)
        {
            lock (current)
            {
                if (!current.TryGetTarget(out var latest) || latest != tree)
                {
                    previous.SetTarget(latest);
                    current.SetTarget(tree);
                }

                return previous.TryGetTarget(out var before) ? before : null;
            }
        }
    }
}

/// <summary>
/// What decides whether two compilations declare the same things: options, references and syntax trees. Holds the
/// trees, not the compilation; one stamp per compilation, and each comparison between two stamps is made once.
/// </summary>
internal sealed class CompilationStamp
{
    private static readonly ConditionalWeakTable<Compilation, CompilationStamp> Stamps = new();
    private static readonly object Same = new();
    private static readonly object Different = new();

    private readonly CompilationOptions options;
    private readonly ImmutableArray<MetadataReference> references;
    private readonly ImmutableArray<SyntaxTree> trees;
    private readonly ConditionalWeakTable<CompilationStamp, object> comparisons = new();
    private Dictionary<string, SyntaxTree?>? byPath;
    private HashSet<SyntaxTree>? treeSet;

    private CompilationStamp(Compilation compilation)
    {
        options = compilation.Options;
        references = compilation.References.ToImmutableArray();
        trees = compilation.SyntaxTrees.ToImmutableArray();
    }

    public static CompilationStamp Of(Compilation compilation) => Stamps.GetValue(compilation, static c => new CompilationStamp(c));

    /// <summary>Whether this compilation declares exactly what <paramref name="earlier"/> declared.</summary>
    public bool DeclaresSameAs(CompilationStamp earlier) =>
        ReferenceEquals(this, earlier) || comparisons.GetValue(earlier, e => Compare(e) ? Same : Different) == Same;

    /// <summary>
    /// The declaration in this compilation that <paramref name="before"/>, from an earlier version of its file, became
    /// when it is unchanged: same kind, position, line, text and tokens (the same text parses differently when a
    /// <c>#define</c> above it changed). Other directives need no check: the parse reads no nullable context (only
    /// explicit <c>?</c>), <c>#pragma</c> applies when diagnostics are reported, and locations are kept unmapped by
    /// <c>#line</c>.
    /// </summary>
    public SyntaxNode? Unchanged(SyntaxNode before)
    {
        if (!ByPath().TryGetValue(before.SyntaxTree.FilePath, out var tree) || tree is null || before.Span.End > tree.Length)
        {
            return null;
        }

        var node = tree.GetRoot().FindToken(before.SpanStart).Parent?.AncestorsAndSelf()
            .FirstOrDefault(n => n.Span == before.Span && n.RawKind == before.RawKind);
        bool same = node is not null
            && (node.IsIncrementallyIdenticalTo(before)
                || (tree.GetText().GetSubText(node.Span).ContentEquals(before.SyntaxTree.GetText().GetSubText(before.Span))
                    && node.IsEquivalentTo(before, topLevel: false)))
            && tree.GetLineSpan(node.Span).StartLinePosition == before.SyntaxTree.GetLineSpan(before.Span).StartLinePosition;
        return same ? node : null;
    }

    private bool Compare(CompilationStamp earlier)
    {
        if (!options.Equals(earlier.options) || !references.SequenceEqual(earlier.references) || trees.Length != earlier.trees.Length)
        {
            return false;
        }

        // File by file in order: the order of the files is the order of a partial class's parts and of its members.
        var earlierTrees = earlier.TreeSet();
        for (int i = 0; i < trees.Length; i++)
        {
            var (tree, before) = (trees[i], earlier.trees[i]);
            if (tree == before)
            {
                continue;
            }

            // A changed file: a new version of the file at the same place, declaring what it declared.
            if (earlierTrees.Contains(tree) || tree.FilePath != before.FilePath || !tree.Options.Equals(before.Options)
                || !DeclarationEquivalence.Equivalent(before.GetRoot(), tree.GetRoot()))
            {
                return false;
            }
        }

        return true;
    }

    private HashSet<SyntaxTree> TreeSet() => treeSet ??= new HashSet<SyntaxTree>(trees);

    /// <summary>Trees by path; a path that two trees share maps to null.</summary>
    private Dictionary<string, SyntaxTree?> ByPath()
    {
        if (byPath is null)
        {
            var map = new Dictionary<string, SyntaxTree?>(StringComparer.Ordinal);
            foreach (var tree in trees)
            {
                map[tree.FilePath] = map.ContainsKey(tree.FilePath) ? null : tree;
            }

            byPath = map;
        }

        return byPath;
    }
}

/// <summary>
/// Whether two versions of a file declare the same things: the same syntax, trivia aside, outside attribute argument
/// lists and the bodies of methods, constructors, operators, accessors and expression-bodied members. Subtrees the two
/// versions share are recognised at once, so the walk costs about the depth of the edit, not the size of the file.
/// </summary>
internal static class DeclarationEquivalence
{
    public static bool Equivalent(SyntaxNode before, SyntaxNode after)
    {
        if (before.RawKind != after.RawKind)
        {
            return false;
        }

        if (IsInert(before) || before.IsEquivalentTo(after, topLevel: false))
        {
            return true;
        }

        var left = before.ChildNodesAndTokens();
        var right = after.ChildNodesAndTokens();
        if (left.Count != right.Count)
        {
            return false;
        }

        for (int i = 0; i < left.Count; i++)
        {
            var (l, r) = (left[i], right[i]);
            bool same = l.IsToken
                ? r.IsToken && SyntaxFactory.AreEquivalent(l.AsToken(), r.AsToken())
                : r.IsNode && Equivalent(l.AsNode()!, r.AsNode()!);
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Nodes whose contents declare nothing another class can see. Both versions reach a node through parents of the
    /// same kinds, so looking at one of them decides for both.
    /// </summary>
    private static bool IsInert(SyntaxNode node) => node switch
    {
        AttributeArgumentListSyntax => true,
        BlockSyntax or ArrowExpressionClauseSyntax => node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
            or PropertyDeclarationSyntax or IndexerDeclarationSyntax,
        _ => false,
    };
}
