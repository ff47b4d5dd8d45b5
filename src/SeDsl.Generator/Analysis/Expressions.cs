using System;
using System.Collections.Generic;
using System.Globalization;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// The small expression language of channel arguments inside blocks: integers, parameter names, + - * / (integer
/// division) and parentheses, e.g. <c>planes * 4</c>. Parsed and evaluated by the generator; printed back as C#.
/// </summary>
internal abstract record Expr
{
    public sealed record Number(long Value) : Expr;

    public sealed record Name(string Identifier) : Expr;

    public sealed record Binary(char Operator, Expr Left, Expr Right) : Expr;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static Expr? Parse(string text, out string error)
    {
        var parser = new Parser(text);
        try
        {
            var expr = parser.Sum();
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

    /// <summary>Whether the expression uses <paramref name="name"/>.</summary>
    public bool Mentions(string name) => this switch
    {
        Name n => n.Identifier == name,
        Binary b => b.Left.Mentions(name) || b.Right.Mentions(name),
        _ => false,
    };

    /// <summary>Names the expression uses that are not in <paramref name="known"/>.</summary>
    public IEnumerable<string> UnknownNames(ICollection<string> known)
    {
        switch (this)
        {
            case Name n when !known.Contains(n.Identifier):
                yield return n.Identifier;
                break;
            case Binary b:
                foreach (string name in b.Left.UnknownNames(known))
                {
                    yield return name;
                }

                foreach (string name in b.Right.UnknownNames(known))
                {
                    yield return name;
                }

                break;
        }
    }

    /// <summary>The value under <paramref name="values"/>, with checked arithmetic; null and a reason when undefined.</summary>
    public long? Evaluate(IReadOnlyDictionary<string, long> values, out string error)
    {
        error = "";
        try
        {
            return Eval(values);
        }
        catch (OverflowException)
        {
            error = "the value overflows a 64-bit integer";
        }
        catch (DivideByZeroException)
        {
            error = "it divides by zero";
        }
        catch (KeyNotFoundException e)
        {
            error = e.Message;
        }

        return null;
    }

    private long Eval(IReadOnlyDictionary<string, long> values) => this switch
    {
        Number n => n.Value,
        Name n => values.TryGetValue(n.Identifier, out long v) ? v : throw new KeyNotFoundException($"'{n.Identifier}' is not a parameter of the block"),
        Binary { Operator: '+' } b => checked(b.Left.Eval(values) + b.Right.Eval(values)),
        Binary { Operator: '-' } b => checked(b.Left.Eval(values) - b.Right.Eval(values)),
        Binary { Operator: '*' } b => checked(b.Left.Eval(values) * b.Right.Eval(values)),
        Binary b => b.Left.Eval(values) / b.Right.Eval(values),
        _ => throw new InvalidOperationException("unknown expression node"),
    };

    /// <summary>Replaces each name by the expression <paramref name="name"/> gives for it, folding constants.</summary>
    public Expr Substitute(Func<string, Expr> name) => this switch
    {
        Name n => name(n.Identifier),
        Binary b => Fold(b.Operator, b.Left.Substitute(name), b.Right.Substitute(name)),
        _ => this,
    };

    /// <summary>A binary expression, computed when both sides are numbers (left alone if that would overflow or divide by zero).</summary>
    public static Expr Fold(char op, Expr left, Expr right)
    {
        var folded = new Binary(op, left, right);
        if (left is Number && right is Number)
        {
            long? value = folded.Evaluate(new Dictionary<string, long>(), out _);
            if (value is not null)
            {
                return new Number(value.Value);
            }
        }

        return folded;
    }

    /// <summary>C# source, with parentheses only where precedence or integer division needs them.</summary>
    public string ToCSharp() => this switch
    {
        Number n => n.Value.ToString(CultureInfo.InvariantCulture),
        Name n => n.Identifier,
        Binary b => $"{Operand(b.Left, Precedence(b) > Precedence(b.Left))} {b.Operator} {Operand(b.Right, Precedence(b) >= Precedence(b.Right))}",
        _ => "",
    };

    private static int Precedence(Expr e) => e is Binary b ? (b.Operator is '+' or '-' ? 1 : 2) : 3;

    private static string Operand(Expr e, bool parenthesize) => parenthesize ? "(" + e.ToCSharp() + ")" : e.ToCSharp();

    private sealed class Parser(string text)
    {
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

        public Expr Sum()
        {
            var left = Product();
            for (SkipSpace(); !AtEnd && Current is '+' or '-'; SkipSpace())
            {
                char op = Current;
                Position++;
                left = new Binary(op, left, Product());
            }

            return left;
        }

        private Expr Product()
        {
            var left = Atom();
            for (SkipSpace(); !AtEnd && Current is '*' or '/'; SkipSpace())
            {
                char op = Current;
                Position++;
                left = new Binary(op, left, Atom());
            }

            return left;
        }

        private Expr Atom()
        {
            SkipSpace();
            if (AtEnd)
            {
                throw new FormatException("it ends where a number, a name or '(' is expected");
            }

            int start = Position;
            if (Current == '(')
            {
                Position++;
                var inner = Sum();
                SkipSpace();
                if (AtEnd || Current != ')')
                {
                    throw new FormatException($"'(' at position {start + 1} is not closed");
                }

                Position++;
                return inner;
            }

            if (char.IsDigit(Current))
            {
                while (!AtEnd && char.IsDigit(Current))
                {
                    Position++;
                }

                return long.TryParse(text.Substring(start, Position - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value)
                    ? new Number(value)
                    : throw new FormatException("a number is too large");
            }

            if (char.IsLetter(Current) || Current == '_')
            {
                while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_'))
                {
                    Position++;
                }

                return new Name(text.Substring(start, Position - start));
            }

            throw new FormatException($"unexpected '{Current}' at position {Position + 1}");
        }
    }
}
