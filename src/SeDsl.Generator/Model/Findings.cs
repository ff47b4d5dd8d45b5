using System.Collections.Generic;
using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// A problem the analysis found, not yet located: which layer (-1 for the class itself), which attribute argument
/// (null for the whole attribute), and the message arguments. Diagnostics maps it onto the declaration's source.
/// </summary>
internal sealed record Finding(string Id, int Layer, string? Argument, EquatableArray<string> MessageArgs)
{
    /// <summary>Where inside a block the finding was made, when it concerns one of the block's own layers; null otherwise.</summary>
    public BlockSite? Site { get; init; }
}

/// <summary>
/// A layer inside a block (by the block's metadata name and the layer's index among its layers) and the argument a finding
/// names, for a finding made in one instance of the block: it is reported there, with the stage or use as a second location.
/// </summary>
internal sealed record BlockSite(string Block, int Layer, string? Argument);

/// <summary>Collects findings for one layer of the declaration being analysed.</summary>
internal readonly struct FindingSink(List<Finding> findings, int layer)
{
    public int Count => findings.Count;

    public void Add(string id, string? argument, params string[] messageArgs) =>
        findings.Add(new Finding(id, layer, argument, messageArgs.ToEquatableArray()));

    /// <summary>
    /// Reports on this layer (a stage or a use of <paramref name="block"/>) a finding made inside one instance of the block,
    /// keeping where inside it was made: the innermost block's layer, if a nested block made it.
    /// </summary>
    public void Forward(Finding inner, string? argument, TypeName block) =>
        findings.Add(new Finding(inner.Id, layer, argument, inner.MessageArgs)
        {
            Site = inner.Site ?? (inner.Layer >= 0 ? new BlockSite(block.MetadataName, inner.Layer, inner.Argument) : null),
        });

    /// <summary>Reports SEDSL102 unless <paramref name="ok"/>; returns <paramref name="ok"/>.</summary>
    public bool Require(bool ok, string layer, string argument, string rule, long actual)
    {
        if (!ok)
        {
            Add(DiagnosticIds.InvalidArgument, argument, layer, argument, rule, Text(actual), "Layer");
        }

        return ok;
    }

    /// <summary>
    /// Reports SEDSL102 when <paramref name="value"/> is a number that fails <paramref name="ok"/>; a size not yet known
    /// (inside a block's own module) passes, since every use of the block is checked with numbers.
    /// </summary>
    public bool Require(Expr value, System.Func<long, bool> ok, string layer, string argument, string rule) =>
        value.Constant is not { } v || Require(ok(v), layer, argument, rule, v);

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
