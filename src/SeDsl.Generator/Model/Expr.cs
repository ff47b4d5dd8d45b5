using System;
using System.Collections.Generic;

namespace SeDsl.Generator.Model;

/// <summary>
/// A size as the model holds it: a number, a block parameter, or arithmetic over them (<c>planes * 4</c>). Every shape
/// and count rule is written once over these trees: with numbers for the inputs it folds to a number (networks), with
/// names it stays a tree that Emit prints as C# (blocks). Equal trees compare equal, so models holding them cache.
/// </summary>
internal abstract record Expr
{
    /// <summary>An integer.</summary>
    public sealed record Number(long Value) : Expr
    {
        // Shapes and counts fold through many small numbers; sharing them keeps the analysis from allocating each anew.
        private static readonly Number[] Small = CreateSmall(4096);

        public static Number Of(long value) => value >= 0 && value < Small.Length ? Small[value] : new Number(value);

        private static Number[] CreateSmall(int count)
        {
            var numbers = new Number[count];
            for (int i = 0; i < count; i++)
            {
                numbers[i] = new Number(i);
            }

            return numbers;
        }
    }

    /// <summary>A block parameter, <c>inChannels</c> or <c>stride</c>.</summary>
    public sealed record Name(string Identifier) : Expr;

    /// <summary><c>+ - * /</c>; division is integer division, as in C#.</summary>
    public sealed record Binary(char Operator, Expr Left, Expr Right) : Expr;

    /// <summary>A rule of the runtime library applied to sizes, such as the SE width rule.</summary>
    public sealed record Call(SizeFunction Function, EquatableArray<Expr> Arguments) : Expr;

    /// <summary>A size only known at run time (a block's height and width); it never reaches generated code.</summary>
    public sealed record Unknown : Expr
    {
        public static readonly Unknown Instance = new();
    }

    public static readonly Expr Zero = Number.Of(0);
    public static readonly Expr One = Number.Of(1);

    public static implicit operator Expr(long value) => Number.Of(value);

    public static Expr operator +(Expr left, Expr right) => Fold('+', left, right);

    public static Expr operator -(Expr left, Expr right) => Fold('-', left, right);

    public static Expr operator *(Expr left, Expr right) => Fold('*', left, right);

    public static Expr operator /(Expr left, Expr right) => Fold('/', left, right);

    /// <summary>The value, when the tree is a number.</summary>
    public long? Constant => this is Number n ? n.Value : null;

    /// <summary>
    /// A binary node, computed when both sides are numbers. Checked: an overflow or a division by zero throws
    /// <see cref="SizeException"/>, which the analysis reports; identities (x * 1, x + 0) are simplified so that printed
    /// sizes read as written.
    /// </summary>
    public static Expr Fold(char op, Expr left, Expr right)
    {
        if (left is Unknown || right is Unknown)
        {
            return Unknown.Instance;
        }

        if (left is Number a && right is Number b)
        {
            return Number.Of(Compute(op, a.Value, b.Value));
        }

        return (op, left.Constant, right.Constant) switch
        {
            ('*', 1, _) => right,
            ('*' or '/', _, 1) => left,
            ('+', 0, _) => right,
            ('+' or '-', _, 0) => left,
            _ => new Binary(op, left, right),
        };
    }

    /// <summary>Replaces each name by what <paramref name="name"/> gives for it (null: keep it), folding as it goes.</summary>
    public Expr Substitute(Func<string, Expr?> name) => this switch
    {
        Name n => name(n.Identifier) ?? this,
        Binary b => Fold(b.Operator, b.Left.Substitute(name), b.Right.Substitute(name)),
        Call c => Apply(c.Function, c.Arguments.Map(a => a.Substitute(name))),
        _ => this,
    };

    /// <summary>The names the tree uses, each once, in order of appearance.</summary>
    public IEnumerable<string> Names()
    {
        var seen = new HashSet<string>();
        var pending = new Stack<Expr>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case Name n when seen.Add(n.Identifier):
                    yield return n.Identifier;
                    break;
                case Binary b:
                    pending.Push(b.Right);
                    pending.Push(b.Left);
                    break;
                case Call c:
                    for (int i = c.Arguments.Count - 1; i >= 0; i--)
                    {
                        pending.Push(c.Arguments[i]);
                    }

                    break;
            }
        }
    }

    /// <summary>The expression as the DSL and C# both write it, with parentheses only where precedence needs them.</summary>
    public sealed override string ToString() => Print(f => f.ToString(), n => n);

    /// <summary>The expression's text, calls named by <paramref name="function"/> and names by <paramref name="name"/>.</summary>
    public string Print(Func<SizeFunction, string> function, Func<string, string> name) => this switch
    {
        Number n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Name n => name(n.Identifier),
        Binary b => $"{Operand(b.Left, Precedence(b) > Precedence(b.Left), function, name)} {b.Operator} {Operand(b.Right, Precedence(b) >= Precedence(b.Right), function, name)}",
        Call c => function(c.Function) + "(" + string.Join(", ", System.Linq.Enumerable.Select(c.Arguments, a => a.Print(function, name))) + ")",
        _ => "?",
    };

    private static int Precedence(Expr e) => e is Binary b ? (b.Operator is '+' or '-' ? 1 : 2) : 3;

    private static string Operand(Expr e, bool parenthesize, Func<SizeFunction, string> function, Func<string, string> name) =>
        parenthesize ? "(" + e.Print(function, name) + ")" : e.Print(function, name);

    /// <summary>A call of <paramref name="function"/>, computed when every argument is a number.</summary>
    public static Expr Apply(SizeFunction function, EquatableArray<Expr> arguments)
    {
        var values = new long[arguments.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (arguments[i] is Unknown)
            {
                return Unknown.Instance;
            }

            if (arguments[i].Constant is not { } v)
            {
                return new Call(function, arguments);
            }

            values[i] = v;
        }

        try
        {
            return function switch
            {
                SizeFunction.ReducedWidth => SeDsl.Layers.SqueezeExciteWidth.Reduced(values[0], values[1], values[2]),
                _ => throw new InvalidOperationException("unknown size function " + function),
            };
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException)
        {
            throw new SizeException(e is OverflowException ? "overflows a 64-bit integer" : "divides by zero");
        }
    }

    private static long Compute(char op, long a, long b)
    {
        try
        {
            return op switch
            {
                '+' => checked(a + b),
                '-' => checked(a - b),
                '*' => checked(a * b),
                _ => a / b,
            };
        }
        catch (OverflowException)
        {
            throw new SizeException("overflows a 64-bit integer");
        }
        catch (DivideByZeroException)
        {
            throw new SizeException("divides by zero");
        }
    }
}

/// <summary>Rules of the runtime library that sizes may apply; each has one definition shared by both sides.</summary>
internal enum SizeFunction
{
    /// <summary>The SE width rule, <c>SqueezeExcitation.ReducedWidth(channels, r, divisor)</c>.</summary>
    ReducedWidth,
}

/// <summary>Raised when a size cannot be computed (overflow, division by zero); the analysis reports it on the layer.</summary>
internal sealed class SizeException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
