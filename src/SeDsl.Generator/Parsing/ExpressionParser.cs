using System;
using System.Globalization;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Parses the small expression language of sizes inside blocks: integers, parameter names, + - * / (integer division)
/// and parentheses, e.g. <c>planes * 4</c>. Sizes are parsed here, once; the model holds the tree.
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
            if (Current == '(')
            {
                if (++depth > MaxDepth)
                {
                    throw new FormatException($"it nests parentheses deeper than the limit of {MaxDepth} (at position {start + 1})");
                }

                Position++;
                var inner = Sum();
                depth--;
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
                    ? new Expr.Number(value)
                    : throw new FormatException("a number is too large");
            }

            if (char.IsLetter(Current) || Current == '_')
            {
                while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_'))
                {
                    Position++;
                }

                return new Expr.Name(text.Substring(start, Position - start));
            }

            throw new FormatException($"unexpected '{Current}' at position {Position + 1}");
        }
    }
}
