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

    /// <summary><c>+ - * /</c>, as in C#: between ints, integer division; with a double operand, in doubles.</summary>
    public sealed record Binary(char Operator, Expr Left, Expr Right) : Expr;

    /// <summary>A rule of the runtime library applied to sizes, such as the SE width rule.</summary>
    public sealed record Call(SizeFunction Function, EquatableArray<Expr> Arguments) : Expr;

    /// <summary>A truth value: a <c>bool</c> block argument, <c>true</c>/<c>false</c> in a condition, or a condition's result.</summary>
    public sealed record Truth(bool Value) : Expr
    {
        public static readonly Truth True = new(true);
        public static readonly Truth False = new(false);

        public static Truth Of(bool value) => value ? True : False;
    }

    /// <summary>A member of an enum: an enum block argument or a literal in a condition, by the enum's full name.</summary>
    public sealed record Member(string EnumType, string MemberName, long Value) : Expr;

    /// <summary>
    /// A <c>double</c>: a block argument for a <c>double</c> parameter, or a literal in an expression. Arithmetic with one
    /// is computed in doubles where both sides are numbers (<c>0.2 * (1 + index) / 16</c> in a stage).
    /// </summary>
    public sealed record Real(double Value) : Expr;

    /// <summary>A comparison (<c>== != &lt; &lt;= &gt; &gt;=</c>) or a logical <c>&amp;&amp;</c> / <c>||</c>; a truth value.</summary>
    public sealed record Condition(string Operator, Expr Left, Expr Right) : Expr;

    /// <summary>A logical negation.</summary>
    public sealed record Not(Expr Operand) : Expr;

    /// <summary><c>test ? then : otherwise</c>, e.g. the channels after a layer that exists only when a condition holds.</summary>
    public sealed record Choose(Expr Test, Expr Then, Expr Otherwise) : Expr;

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

    /// <summary>The truth value, when the tree is one.</summary>
    public bool? IsTrue => this is Truth t ? t.Value : null;

    /// <summary>A comparison or logical node, computed when both sides are values.</summary>
    public static Expr Compare(string op, Expr left, Expr right)
    {
        // a && b is a[b := true] && b, a || b is a[b := false] || b.
        if (op is "&&" or "||" && left.IsTrue is null && right.IsTrue is null && left is not Unknown && right is not Unknown)
        {
            left = left.Assume(right, op == "&&");
        }

        return Combine(op, left, right);
    }

    /// <summary>A comparison or logical node computed from values, without the simplification by the other side.</summary>
    private static Expr Combine(string op, Expr left, Expr right)
    {
        if (left is Unknown || right is Unknown)
        {
            return Unknown.Instance;
        }

        if (op is "&&" or "||")
        {
            bool and = op == "&&";
            if (left.IsTrue is { } l)
            {
                return l == and ? right : Truth.Of(l);
            }

            if (right.IsTrue is { } r && r != and)
            {
                return Truth.Of(r);
            }

            return right.IsTrue is not null ? left : new Condition(op, left, right);
        }

        double? a = Ordinal(left), b = Ordinal(right);
        if (b is not null && left is Choose choice && Constants(choice))
        {
            // (c ? 7 : 3) == 3 is c ? false : true, which is !c.
            return Choice(choice.Test, Combine(op, choice.Then, right), Combine(op, choice.Otherwise, right));
        }

        if (a is not { } x || b is not { } y)
        {
            return new Condition(op, left, right);
        }

        return Truth.Of(op switch
        {
            "==" => x == y,
            "!=" => x != y,
            "<" => x < y,
            "<=" => x <= y,
            ">" => x > y,
            _ => x >= y,
        });
    }

    /// <summary>A negation, computed for a truth value; a negated comparison is the opposite comparison.</summary>
    public static Expr Negate(Expr operand) => operand switch
    {
        Unknown => Unknown.Instance,
        Truth t => Truth.Of(!t.Value),
        Not n => n.Operand,
        Condition { Operator: "==" } c => new Condition("!=", c.Left, c.Right),
        Condition { Operator: "!=" } c => new Condition("==", c.Left, c.Right),
        _ => new Not(operand),
    };

    /// <summary>
    /// A choice, computed when the test is a truth value or both branches are equal. Each branch is simplified knowing
    /// the test's value there, so that a size built through a chain of optional layers does not repeat its conditions
    /// (<c>c ? a : (c ? b : d)</c> is <c>c ? a : d</c>).
    /// </summary>
    public static Expr Select(Expr test, Expr then, Expr otherwise)
    {
        if (test is Unknown)
        {
            return Unknown.Instance;
        }

        return test.IsTrue is { } t ? (t ? then : otherwise) : Choice(test, then.Assume(test, true), otherwise.Assume(test, false));
    }

    /// <summary>A choice computed from values, without simplifying the branches by the test.</summary>
    private static Expr Choice(Expr test, Expr then, Expr otherwise) =>
        test is Unknown ? Unknown.Instance
        : test.IsTrue is { } t ? (t ? then : otherwise)
        : then.Equals(otherwise) ? then
        : then is Truth { Value: true } && otherwise is Truth { Value: false } ? test
        : then is Truth { Value: false } && otherwise is Truth { Value: true } ? Negate(test)
        : new Choose(test, then, otherwise);

    /// <summary>
    /// The tree with each occurrence of the condition <paramref name="fact"/> replaced by <paramref name="value"/>, refolded.
    /// One pass over the tree: the nodes are rebuilt without assuming anything further, so the cost stays linear.
    /// </summary>
    private Expr Assume(Expr fact, bool value)
    {
        // Both sides of a true conjunction (or a false disjunction) hold each on their own.
        if (fact is Condition { Operator: "&&" or "||" } both && value == (both.Operator == "&&"))
        {
            return Assume(both.Left, value).Assume(both.Right, value);
        }

        // a != b is known too where a == b is (and the other way round).
        var opposite = fact is Condition { Operator: "==" or "!=" } ? Negate(fact) : null;
        return Knowing(fact, opposite, value);
    }

    private Expr Knowing(Expr fact, Expr? opposite, bool value)
    {
        if (Equals(fact))
        {
            return Truth.Of(value);
        }

        if (opposite is not null && Equals(opposite))
        {
            return Truth.Of(!value);
        }

        try
        {
            return this switch
            {
                Binary b => Fold(b.Operator, b.Left.Knowing(fact, opposite, value), b.Right.Knowing(fact, opposite, value)),
                Condition c => Combine(c.Operator, c.Left.Knowing(fact, opposite, value), c.Right.Knowing(fact, opposite, value)),
                Not n => Negate(n.Operand.Knowing(fact, opposite, value)),
                Choose c => Choice(c.Test.Knowing(fact, opposite, value), c.Then.Knowing(fact, opposite, value), c.Otherwise.Knowing(fact, opposite, value)),
                _ => this,
            };
        }
        catch (SizeException)
        {
            // A value that cannot be computed under the assumption is left as it was; it is reported where it is used.
            return this;
        }
    }

    /// <summary>Whether every branch of the choice ends in a value (<c>c ? 0 : d ? 160 : 224</c>).</summary>
    private static bool Constants(Expr value) => Ordinal(value) is not null || (value is Choose c && Constants(c.Then) && Constants(c.Otherwise));

    private static double? Numeric(Expr value) => value switch
    {
        Number n => n.Value,
        Real r => r.Value,
        _ => null,
    };

    /// <summary>Whether the tree computes a double: it holds a double literal outside a call (expressions do no arithmetic on double names, <see cref="DslTypes"/>).</summary>
    public bool IsReal => this switch
    {
        Real => true,
        Binary b => b.Left.IsReal || b.Right.IsReal,
        Choose c => c.Then.IsReal || c.Otherwise.IsReal,
        _ => false,
    };

    private static double? Ordinal(Expr value) => value switch
    {
        Number n => n.Value,
        Member m => m.Value,
        Truth t => t.Value ? 1 : 0,
        Real r => r.Value,
        _ => null,
    };

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

        if ((left is Real || right is Real) && Numeric(left) is { } x && Numeric(right) is { } y)
        {
            double value = op switch
            {
                '+' => x + y,
                '-' => x - y,
                '*' => x * y,
                _ => x / y,
            };
            return double.IsNaN(value) || double.IsInfinity(value)
                ? throw new SizeException(op == '/' && y == 0 ? "divides by zero" : "is not a finite number")
                : new Real(value);
        }

        if (op == '/' && right.Constant == 0)
        {
            // Zero for every value of the left side (and CS0020 if it reached C#).
            throw new SizeException("divides by zero");
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
        Condition c => Compare(c.Operator, c.Left.Substitute(name), c.Right.Substitute(name)),
        Not n => Negate(n.Operand.Substitute(name)),
        Choose c => Select(c.Test.Substitute(name), c.Then.Substitute(name), c.Otherwise.Substitute(name)),
        _ => this,
    };

    /// <summary>Replaces each name by what <paramref name="name"/> gives for it (null: keep it) and folds nothing, so that the tree can be type-checked as written.</summary>
    public Expr Replace(Func<string, Expr?> name) => this switch
    {
        Name n => name(n.Identifier) ?? this,
        Binary b => new Binary(b.Operator, b.Left.Replace(name), b.Right.Replace(name)),
        Call c => new Call(c.Function, c.Arguments.Map(a => a.Replace(name))),
        Condition c => new Condition(c.Operator, c.Left.Replace(name), c.Right.Replace(name)),
        Not n => new Not(n.Operand.Replace(name)),
        Choose c => new Choose(c.Test.Replace(name), c.Then.Replace(name), c.Otherwise.Replace(name)),
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
                case Condition c:
                    pending.Push(c.Right);
                    pending.Push(c.Left);
                    break;
                case Not n:
                    pending.Push(n.Operand);
                    break;
                case Choose c:
                    pending.Push(c.Otherwise);
                    pending.Push(c.Then);
                    pending.Push(c.Test);
                    break;
            }
        }
    }

    /// <summary>The expression as the DSL and C# both write it, with parentheses only where precedence needs them.</summary>
    public sealed override string ToString() => Print(Written, n => n, m => m.EnumType.Substring(m.EnumType.LastIndexOf('.') + 1) + "." + m.MemberName, RealText);

    /// <summary>
    /// The expression's text, calls named by <paramref name="function"/>, names by <paramref name="name"/>, enum members by
    /// <paramref name="member"/> and doubles by <paramref name="real"/>.
    /// </summary>
    public string Print(Func<SizeFunction, string> function, Func<string, string> name, Func<Member, string> member, Func<double, string> real)
    {
        string Sub(Expr e, bool parenthesize) => parenthesize ? "(" + e.Print(function, name, member, real) + ")" : e.Print(function, name, member, real);
        return this switch
        {
            Number n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name n => name(n.Identifier),
            Binary b => $"{Sub(b.Left, Precedence(b) > Precedence(b.Left))} {b.Operator} {Sub(b.Right, Precedence(b) >= Precedence(b.Right))}",
            Call c => function(c.Function) + "(" + string.Join(", ", System.Linq.Enumerable.Select(c.Arguments, a => a.Print(function, name, member, real))) + ")",
            Truth t => t.Value ? "true" : "false",
            Member m => member(m),
            Real r => real(r.Value),
            Condition c => $"{Sub(c.Left, Precedence(c) > Precedence(c.Left))} {c.Operator} {Sub(c.Right, Precedence(c) >= Precedence(c.Right))}",
            Not n => "!" + Sub(n.Operand, Precedence(n.Operand) < 9),
            Choose c => $"{Sub(c.Test, Precedence(c.Test) <= 0)} ? {Sub(c.Then, Precedence(c.Then) <= 0)} : {Sub(c.Otherwise, Precedence(c.Otherwise) <= 0)}",
            _ => "?",
        };
    }

    /// <summary>A function's name as expressions write it (<c>makeDivisible</c>), or null for the rules only the generator applies.</summary>
    public static string Written(SizeFunction function) => function switch
    {
        SizeFunction.MakeDivisible => "makeDivisible",
        SizeFunction.Max => "max",
        SizeFunction.Min => "min",
        _ => function.ToString(),
    };

    /// <summary>The number of arguments of a function expressions may call.</summary>
    public static int Arity(SizeFunction function) => function == SizeFunction.ReducedWidth ? 3 : 2;

    /// <summary>A double as C# writes it (round-trip, invariant, always with a point or exponent).</summary>
    public static string RealText(double value)
    {
        string text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }

    // C#'s order: ?: (0) < || (1) < && (2) < == != (3) < relational (4) < + - (5) < * / (6) < unary (8) < atoms (9).
    private static int Precedence(Expr e) => e switch
    {
        Choose => 0,
        Condition { Operator: "||" } => 1,
        Condition { Operator: "&&" } => 2,
        Condition { Operator: "==" or "!=" } => 3,
        Condition => 4,
        Binary b => b.Operator is '+' or '-' ? 5 : 6,
        Not => 8,
        _ => 9,
    };

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
                SizeFunction.MakeDivisible => SeDsl.Layers.SqueezeExciteWidth.MakeDivisible(values[0], values[1]),
                SizeFunction.Max => Math.Max(values[0], values[1]),
                SizeFunction.Min => Math.Min(values[0], values[1]),
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

    /// <summary>torchvision's <c>_make_divisible(value, divisor)</c>, written <c>makeDivisible(v, d)</c>.</summary>
    MakeDivisible,

    /// <summary>The larger of two sizes, written <c>max(a, b)</c>.</summary>
    Max,

    /// <summary>The smaller of two sizes, written <c>min(a, b)</c>.</summary>
    Min,
}

/// <summary>Raised when a size cannot be computed (overflow, division by zero); the analysis reports it on the layer.</summary>
internal sealed class SizeException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
