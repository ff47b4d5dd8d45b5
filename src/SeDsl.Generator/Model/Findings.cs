using System.Collections.Generic;
using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// A problem the analysis found, not yet located: which layer (-1 for the class itself), which attribute argument
/// (null for the whole attribute), and the message arguments. Diagnostics maps it onto the declaration's source.
/// </summary>
internal sealed record Finding(string Id, int Layer, string? Argument, EquatableArray<string> MessageArgs);

/// <summary>Collects findings for one layer of the declaration being analysed.</summary>
internal readonly struct FindingSink(List<Finding> findings, int layer)
{
    public int Count => findings.Count;

    public void Add(string id, string? argument, params string[] messageArgs) =>
        findings.Add(new Finding(id, layer, argument, messageArgs.ToEquatableArray()));

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
