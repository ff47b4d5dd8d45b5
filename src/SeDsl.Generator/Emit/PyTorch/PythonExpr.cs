using System;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>
/// Expressions over a block's parameters as Python: sizes with <c>+ - * //</c> (C#'s division on the non-negative
/// sizes), truth values, doubles, enum members (<c>Activation.HARDSWISH</c>), comparisons, <c>and</c>/<c>or</c>/<c>not</c>,
/// <c>a if test else b</c> for <c>?:</c>, and the runtime's rules as the file's helpers (<c>reduced_width</c>,
/// <c>make_divisible</c>) or Python's <c>max</c>/<c>min</c>. Parentheses only where Python's precedence needs them.
/// </summary>
internal static class PythonExpr
{
    /// <summary>The Python text of <paramref name="e"/>, names by <paramref name="name"/>, enum members by <paramref name="member"/>.</summary>
    public static string Print(Expr e, Func<string, string> name, Func<Expr.Member, string> member)
    {
        string Sub(Expr x, bool parenthesize) => parenthesize ? "(" + Print(x, name, member) + ")" : Print(x, name, member);
        int p = Precedence(e);
        return e switch
        {
            Expr.Number n => PythonWriter.Literal(n.Value),
            Expr.Name n => name(n.Identifier),
            Expr.Truth t => PythonWriter.Literal(t.Value),
            Expr.Real r => PythonWriter.Literal(r.Value),
            Expr.Member m => member(m),
            Expr.Binary b => $"{Sub(b.Left, p > Precedence(b.Left))} {(b.Operator == '/' && !b.IsReal ? "//" : b.Operator.ToString())} {Sub(b.Right, p >= Precedence(b.Right))}",
            Expr.Call c => Function(c.Function) + "(" + string.Join(", ", c.Arguments.Select(a => Print(a, name, member))) + ")",

            // Python chains comparisons (a == b == c), so a comparison inside another is always parenthesized.
            Expr.Condition { Operator: "&&" or "||" } c => $"{Sub(c.Left, p > Precedence(c.Left))} {(c.Operator == "&&" ? "and" : "or")} {Sub(c.Right, p >= Precedence(c.Right))}",
            Expr.Condition c => $"{Sub(c.Left, p >= Precedence(c.Left))} {c.Operator} {Sub(c.Right, p >= Precedence(c.Right))}",
            Expr.Not n => "not " + Sub(n.Operand, p > Precedence(n.Operand)),
            Expr.Choose c => $"{Sub(c.Then, Precedence(c.Then) == 0)} if {Sub(c.Test, Precedence(c.Test) == 0)} else {Sub(c.Otherwise, false)}",
            _ => throw new NotSupportedException("the value " + e + " has no Python form"),
        };
    }

    /// <summary>The helper or builtin a size function is written as.</summary>
    public static string Function(SizeFunction function) => function switch
    {
        SizeFunction.ReducedWidth => "reduced_width",
        SizeFunction.MakeDivisible => "make_divisible",
        SizeFunction.Max => "max",
        SizeFunction.Min => "min",
        _ => throw new NotSupportedException("the size function " + function + " has no Python form"),
    };

    /// <summary>Whether <paramref name="e"/> calls <paramref name="function"/> anywhere.</summary>
    public static bool Uses(Expr e, SizeFunction function) => e switch
    {
        Expr.Call c => c.Function == function || c.Arguments.Any(a => Uses(a, function)),
        Expr.Binary b => Uses(b.Left, function) || Uses(b.Right, function),
        Expr.Condition c => Uses(c.Left, function) || Uses(c.Right, function),
        Expr.Not n => Uses(n.Operand, function),
        Expr.Choose c => Uses(c.Test, function) || Uses(c.Then, function) || Uses(c.Otherwise, function),
        _ => false,
    };

    /// <summary>Every enum member <paramref name="e"/> names.</summary>
    public static System.Collections.Generic.IEnumerable<Expr.Member> Members(Expr e) => e switch
    {
        Expr.Member m => [m],
        Expr.Call c => c.Arguments.SelectMany(Members),
        Expr.Binary b => Members(b.Left).Concat(Members(b.Right)),
        Expr.Condition c => Members(c.Left).Concat(Members(c.Right)),
        Expr.Not n => Members(n.Operand),
        Expr.Choose c => Members(c.Test).Concat(Members(c.Then)).Concat(Members(c.Otherwise)),
        _ => [],
    };

    // Python's order: a if c else b (0) < or (1) < and (2) < not (3) < comparisons (4) < + - (5) < * // (6) < atoms (9).
    private static int Precedence(Expr e) => e switch
    {
        Expr.Choose => 0,
        Expr.Condition { Operator: "||" } => 1,
        Expr.Condition { Operator: "&&" } => 2,
        Expr.Not => 3,
        Expr.Condition => 4,
        Expr.Binary b => b.Operator is '+' or '-' ? 5 : 6,
        _ => 9,
    };
}
