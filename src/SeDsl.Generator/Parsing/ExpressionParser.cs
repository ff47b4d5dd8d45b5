using System;
using System.Globalization;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Parses the small expression language of block arguments: integers, doubles (<c>0.2</c>), <c>true</c>/<c>false</c>,
/// parameter names, enum members (<c>Activation.SiLU</c>), + - * / (integer division between ints, as in C#), comparisons (<c>== != &lt; &lt;= &gt; &gt;=</c>),
/// <c>! &amp;&amp; ||</c>, <c>?:</c> and parentheses, with C#'s precedence, e.g. <c>planes * 4</c> or
/// <c>expand != 1 &amp;&amp; se</c>. Expressions are parsed here, once; the model holds the tree, and its types are
/// checked where it is read (<see cref="DslTypes"/>).
/// </summary>
/// <remarks>
/// Two limits bound the work and the depth of the tree (every later step recurses over it): at most
/// <see cref="MaxDepth"/> nested parentheses and <see cref="MaxOperators"/> binary operators. Both are counted while
/// reading, before recursing into a parenthesis or adding an operator, so a huge text fails at once.
/// </remarks>
internal static class ExpressionParser
{
    /// <summary>Nested parentheses one expression may have (real sizes use 2 or 3).</summary>
    public const int MaxDepth = 64;

    /// <summary>Binary operators one expression may have (real sizes use fewer than 10).</summary>
    public const int MaxOperators = 256;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static Expr? Parse(string text, out string error)
    {
        var parser = new Parser(text);
        try
        {
            var expr = parser.Choice();
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                throw new FormatException($"unexpected '{parser.Current}' at position {parser.Position + 1}");
            }

            error = "";
            return expr;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    // Trees are built without folding, so that an expression keeps the form it was written in.
    private sealed class Parser(string text)
    {
        private int depth;
        private int operators;

        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public char Current => text[Position];

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(Current))
            {
                Position++;
            }
        }

        public Expr Choice()
        {
            var test = Or();
            SkipSpace();
            if (AtEnd || Current != '?')
            {
                return test;
            }

            Operator();
            var then = Choice();
            SkipSpace();
            if (AtEnd || Current != ':')
            {
                throw new FormatException($"'?' without ':' (at position {Position + 1})");
            }

            Operator();
            return new Expr.Choose(test, then, Choice());
        }

        private Expr Or()
        {
            var left = And();
            while (Take("||"))
            {
                left = new Expr.Condition("||", left, And());
            }

            return left;
        }

        private Expr And()
        {
            var left = Equality();
            while (Take("&&"))
            {
                left = new Expr.Condition("&&", left, Equality());
            }

            return left;
        }

        private Expr Equality()
        {
            var left = Relation();
            for (string? op; (op = Take("==") ? "==" : Take("!=") ? "!=" : null) is not null;)
            {
                left = new Expr.Condition(op, left, Relation());
            }

            return left;
        }

        private Expr Relation()
        {
            var left = Sum();
            for (string? op; (op = Take("<=") ? "<=" : Take(">=") ? ">=" : Take("<") ? "<" : Take(">") ? ">" : null) is not null;)
            {
                left = new Expr.Condition(op, left, Sum());
            }

            return left;
        }

        /// <summary>Consumes <paramref name="op"/> when it comes next (counting it as an operator).</summary>
        private bool Take(string op)
        {
            SkipSpace();
            if (Position + op.Length > text.Length || string.CompareOrdinal(text, Position, op, 0, op.Length) != 0)
            {
                return false;
            }

            // "<" must not take the first character of "<=", nor "!" of "!=" (handled by the order of the calls).
            if (++operators > MaxOperators)
            {
                throw new FormatException($"it has more than the limit of {MaxOperators} operators (at position {Position + 1})");
            }

            Position += op.Length;
            return true;
        }

        public Expr Sum()
        {
            var left = Product();
            for (SkipSpace(); !AtEnd && Current is '+' or '-'; SkipSpace())
            {
                char op = Current;
                Operator();
                left = new Expr.Binary(op, left, Product());
            }

            return left;
        }

        private Expr Product()
        {
            var left = Atom();
            for (SkipSpace(); !AtEnd && Current is '*' or '/'; SkipSpace())
            {
                char op = Current;
                Operator();
                left = new Expr.Binary(op, left, Atom());
            }

            return left;
        }

        private void Operator()
        {
            if (++operators > MaxOperators)
            {
                throw new FormatException($"it has more than the limit of {MaxOperators} operators (at position {Position + 1})");
            }

            Position++;
        }

        private Expr Atom()
        {
            SkipSpace();
            if (AtEnd)
            {
                throw new FormatException("it ends where a number, a name or '(' is expected");
            }

            int start = Position;
            if (Current == '!' && !(Position + 1 < text.Length && text[Position + 1] == '='))
            {
                Operator();
                return new Expr.Not(Atom());
            }

            if (Current == '(')
            {
                if (++depth > MaxDepth)
                {
                    throw new FormatException($"it nests parentheses deeper than the limit of {MaxDepth} (at position {start + 1})");
                }

                Position++;
                var inner = Choice();
                depth--;
                SkipSpace();
                if (AtEnd || Current != ')')
                {
                    throw new FormatException($"'(' at position {start + 1} is not closed");
                }

                Position++;
                return inner;
            }

            // A number may start with its point, as in C# (.5).
            if (char.IsDigit(Current) || (Current == '.' && Position + 1 < text.Length && char.IsDigit(text[Position + 1])))
            {
                Digits();
                bool fraction = !AtEnd && Current == '.' && Position + 1 < text.Length && char.IsDigit(text[Position + 1]);
                if (fraction || (!AtEnd && Current is 'e' or 'E'))
                {
                    // A double (0.2, .5, 1.5e-3, 1e-3): C#'s literal without a suffix, computed at compile time where it folds.
                    if (fraction)
                    {
                        Position++;
                        Digits();
                    }

                    if (!AtEnd && Current is 'e' or 'E')
                    {
                        Position++;
                        if (!AtEnd && Current is '+' or '-')
                        {
                            Position++;
                        }

                        if (AtEnd || !char.IsDigit(Current))
                        {
                            throw new FormatException($"the exponent of the number at position {start + 1} has no digits");
                        }

                        Digits();
                    }

                    return double.TryParse(text.Substring(start, Position - start), NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double real)
                        && !double.IsInfinity(real)
                        ? new Expr.Real(real)
                        : throw new FormatException("a number is too large");
                }

                return long.TryParse(text.Substring(start, Position - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value)
                    ? new Expr.Number(value)
                    : throw new FormatException("a number is too large");
            }

            if (char.IsLetter(Current) || Current == '_')
            {
                // A dotted name is an enum member (Activation.SiLU, or with its namespace), resolved where it is read.
                while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_' || (Current == '.' && Position + 1 < text.Length && (char.IsLetter(text[Position + 1]) || text[Position + 1] == '_'))))
                {
                    Position++;
                }

                string word = text.Substring(start, Position - start);
                SkipSpace();
                if (!AtEnd && Current == '(')
                {
                    return Call(word, start);
                }

                return word switch
                {
                    "true" => Expr.Truth.True,
                    "false" => Expr.Truth.False,
                    _ => new Expr.Name(word),
                };
            }

            throw new FormatException($"unexpected '{Current}' at position {Position + 1}");
        }

        private void Digits()
        {
            while (!AtEnd && char.IsDigit(Current))
            {
                Position++;
            }
        }

        /// <summary>A call of one of the functions expressions may use: <c>max</c>, <c>min</c>, <c>makeDivisible</c>.</summary>
        private Expr Call(string name, int start)
        {
            SizeFunction? function = name switch
            {
                "max" => SizeFunction.Max,
                "min" => SizeFunction.Min,
                "makeDivisible" => SizeFunction.MakeDivisible,
                _ => null,
            };
            if (function is not { } f)
            {
                throw new FormatException($"'{name}' at position {start + 1} is not a function (functions: max, min, makeDivisible)");
            }

            if (++depth > MaxDepth)
            {
                throw new FormatException($"it nests parentheses deeper than the limit of {MaxDepth} (at position {Position + 1})");
            }

            Position++;
            var arguments = new System.Collections.Generic.List<Expr> { Choice() };
            for (SkipSpace(); !AtEnd && Current == ','; SkipSpace())
            {
                Operator();
                arguments.Add(Choice());
            }

            depth--;
            if (AtEnd || Current != ')')
            {
                throw new FormatException($"'(' of {name} at position {start + 1} is not closed");
            }

            Position++;
            if (arguments.Count != Expr.Arity(f))
            {
                throw new FormatException($"{name} takes {Expr.Arity(f)} arguments, not {arguments.Count}");
            }

            return new Expr.Call(f, arguments.ToEquatableArray());
        }
    }
}
