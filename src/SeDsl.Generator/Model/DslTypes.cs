using System;
using System.Collections.Generic;
using System.Linq;

namespace SeDsl.Generator.Model;

/// <summary>What a block parameter or a layer argument holds.</summary>
internal enum ValueKind
{
    Int,
    Bool,
    Real,
    Enum,
}

/// <summary>A value's type: <c>int</c>, <c>bool</c>, <c>double</c> or an enum (by full name, with its members).</summary>
internal sealed record DslType(ValueKind Kind, string EnumType, EquatableArray<EnumMember> Members)
{
    public static readonly DslType Int = new(ValueKind.Int, "", EquatableArray<EnumMember>.Empty);
    public static readonly DslType Bool = new(ValueKind.Bool, "", EquatableArray<EnumMember>.Empty);
    public static readonly DslType Real = new(ValueKind.Real, "", EquatableArray<EnumMember>.Empty);

    public static DslType Enum(string fullName, EquatableArray<EnumMember> members) => new(ValueKind.Enum, fullName, members);

    /// <summary>The type as C# declares it, e.g. <c>int</c> or <c>SeDsl.Activation</c> (without <c>global::</c>).</summary>
    public string CSharp => Kind switch
    {
        ValueKind.Int => "int",
        ValueKind.Bool => "bool",
        ValueKind.Real => "double",
        _ => EnumType,
    };

    /// <summary>The type as messages name it: <c>int</c>, <c>bool</c>, <c>double</c> or the enum's simple name.</summary>
    public string Written => Kind == ValueKind.Enum ? EnumType.Substring(EnumType.LastIndexOf('.') + 1) : CSharp;

    /// <summary>The member with this value, when the enum names one.</summary>
    public EnumMember? MemberOf(long value)
    {
        foreach (var member in Members)
        {
            if (member.Value == value)
            {
                return member;
            }
        }

        return null;
    }
}

/// <summary>A named member of an enum and its value.</summary>
internal sealed record EnumMember(string Name, long Value);

/// <summary>A block parameter: its name and type, in declaration order.</summary>
internal sealed record BlockParameter(string Name, DslType Type)
{
    /// <summary>The value passed when an argument list leaves the parameter out (<c>[Param(Default = ...)]</c>); null when it is required.</summary>
    public Expr? Default { get; init; }
}

/// <summary>
/// The types of expressions over a block's parameters: arithmetic over ints (an int) or with a double literal (a double),
/// comparisons of ints, enums (with members of
/// the same enum) or truth values, logic over truth values, and <c>?:</c>. Checked once where an expression is read.
/// </summary>
internal static class DslTypes
{
    /// <summary>The expression's type, or null with the reason in <paramref name="error"/>.</summary>
    public static DslType? Of(Expr expr, Func<string, DslType?> name, out string error)
    {
        error = "";
        string problem = "";
        DslType? Go(Expr e)
        {
            switch (e)
            {
                case Expr.Number:
                    return DslType.Int;
                case Expr.Truth:
                    return DslType.Bool;
                case Expr.Real:
                    return DslType.Real;
                case Expr.Member m:
                    return DslType.Enum(m.EnumType, EquatableArray<EnumMember>.Empty);
                case Expr.Name n:
                    return name(n.Identifier) ?? Fail($"'{n.Identifier}' is not known here");
                case Expr.Binary b:
                    {
                        string op = b.Operator.ToString();
                        var left = Go(b.Left);
                        var right = left is null ? null : Go(b.Right);
                        if (left is null || right is null)
                        {
                            return null;
                        }

                        if (left.Kind == ValueKind.Int && right.Kind == ValueKind.Int)
                        {
                            return DslType.Int;
                        }

                        if (left.Kind is not (ValueKind.Int or ValueKind.Real) || right.Kind is not (ValueKind.Int or ValueKind.Real))
                        {
                            return Fail($"'{op}' needs numbers, not {(left.Kind is ValueKind.Int or ValueKind.Real ? right : left).Written}");
                        }

                        // Arithmetic in doubles takes numbers and int names only, so that C# and the PyTorch export read
                        // the same operation from the tree (a double there is a literal, Expr.IsReal).
                        return (RealName(b.Left) ?? RealName(b.Right)) is { } real
                            ? Fail($"'{op}' on the double parameter '{real}': arithmetic in doubles takes numbers and int parameters (0.2 * index / 16), not double parameters")
                            : DslType.Real;
                    }

                case Expr.Call c:
                    return c.Arguments.All(a => Require(Go(a), ValueKind.Int, Expr.Written(c.Function))) ? DslType.Int : null;
                case Expr.Not n:
                    return Require(Go(n.Operand), ValueKind.Bool, "!") ? DslType.Bool : null;
                case Expr.Condition c when c.Operator is "&&" or "||":
                    return Require(Go(c.Left), ValueKind.Bool, c.Operator) && Require(Go(c.Right), ValueKind.Bool, c.Operator) ? DslType.Bool : null;
                case Expr.Condition c:
                    {
                        var left = Go(c.Left);
                        var right = left is null ? null : Go(c.Right);
                        if (left is null || right is null)
                        {
                            return null;
                        }

                        bool ordered = c.Operator is not ("==" or "!=");
                        bool numbers = left.Kind is ValueKind.Int or ValueKind.Real && right.Kind is ValueKind.Int or ValueKind.Real;
                        if (!numbers && (left.Kind != right.Kind || (left.Kind == ValueKind.Enum && left.EnumType != right.EnumType)))
                        {
                            return Fail($"'{c.Operator}' compares {left.Written} with {right.Written}");
                        }

                        return ordered && left.Kind is not (ValueKind.Int or ValueKind.Real) ? Fail($"'{c.Operator}' needs numbers, not {left.Written}") : DslType.Bool;
                    }

                case Expr.Choose c:
                    {
                        if (!Require(Go(c.Test), ValueKind.Bool, "?:"))
                        {
                            return null;
                        }

                        var then = Go(c.Then);
                        var otherwise = then is null ? null : Go(c.Otherwise);
                        if (then is null || otherwise is null)
                        {
                            return null;
                        }

                        // An int and a double make a double, as in C#.
                        return then.Kind == otherwise.Kind && then.EnumType == otherwise.EnumType ? then
                            : then.Kind is ValueKind.Int or ValueKind.Real && otherwise.Kind is ValueKind.Int or ValueKind.Real ? DslType.Real
                            : Fail($"'?:' chooses between {then.Written} and {otherwise.Written}");
                    }

                default:
                    return Fail("it cannot be computed at compile time");
            }
        }

        string? RealName(Expr e) => e switch
        {
            Expr.Name n when name(n.Identifier) is { Kind: ValueKind.Real } => n.Identifier,
            Expr.Choose c => RealName(c.Then) ?? RealName(c.Otherwise),
            _ => null,
        };

        bool Require(DslType? type, ValueKind kind, string op)
        {
            if (type is null)
            {
                return false;
            }

            if (type.Kind != kind)
            {
                Fail($"'{op}' needs {(kind == ValueKind.Int ? "ints" : "truth values")}, not {type.Written}");
                return false;
            }

            return true;
        }

        DslType? Fail(string why)
        {
            if (problem.Length == 0)
            {
                problem = why;
            }

            return null;
        }

        var result = Go(expr);
        error = problem;
        return result;
    }

    /// <summary>Whether a value of type <paramref name="actual"/> may be passed where <paramref name="expected"/> is declared.</summary>
    public static bool Accepts(DslType expected, DslType actual) =>
        expected.Kind == actual.Kind && (expected.Kind != ValueKind.Enum || expected.EnumType == actual.EnumType)
        || (expected.Kind == ValueKind.Real && actual.Kind == ValueKind.Int);
}
