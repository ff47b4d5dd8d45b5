using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>Builds Python text: four-space indentation, lines ending in '\n' on every platform, invariant literals.</summary>
internal sealed class PythonWriter
{
    private readonly StringBuilder text = new();
    private int indent;

    public PythonWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', indent * 4).Append(line);
        }

        text.Append('\n');
        return this;
    }

    public void Indent() => indent++;

    public void Dedent() => indent--;

    public override string ToString() => text.ToString();

    /// <summary>The text's lines, each with its '\n', for a C# constant written one line per line.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string>();
        string all = text.ToString();
        int start = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i] == '\n')
            {
                lines.Add(all.Substring(start, i + 1 - start));
                start = i + 1;
            }
        }

        return lines;
    }

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(bool value) => value ? "True" : "False";

    /// <summary>A float literal Python reads back as the same double ("R" round-trips; Python accepts 1e-05).</summary>
    public static string Literal(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
        return text.IndexOfAny(['.', 'e']) >= 0 ? text : text + ".0";
    }

    /// <summary>A double-quoted Python string literal.</summary>
    public static string Literal(string value)
    {
        var b = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\':
                    b.Append("\\\\");
                    break;
                case '"':
                    b.Append("\\\"");
                    break;
                case '\n':
                    b.Append("\\n");
                    break;
                default:
                    if (c < ' ')
                    {
                        b.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        return b.Append('"').ToString();
    }
}
