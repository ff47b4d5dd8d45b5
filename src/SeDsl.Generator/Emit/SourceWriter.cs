using System;
using System.Text;

namespace SeDsl.Generator.Emit;

/// <summary>Builds C# text with indentation; lines end in '\n' on every platform so output is byte-identical everywhere.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder text = new();
    private readonly bool discard;
    private int indent;

    /// <param name="discard">Write nothing: for a pass that only collects the choices a writing pass makes.</param>
    public SourceWriter(bool discard = false) => this.discard = discard;

    public SourceWriter Line(string line = "")
    {
        if (discard)
        {
            return this;
        }

        if (line.Length > 0)
        {
            text.Append(' ', indent * 4).Append(line);
        }

        text.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="line"/> (if any) and an opening brace and indents; disposing closes the block.</summary>
    public IDisposable Block(string line)
    {
        if (line.Length > 0)
        {
            Line(line);
        }

        Line("{");
        indent++;
        return new Closer(this);
    }

    public override string ToString() => text.ToString();

    /// <summary>A scope that closes nothing (a file-scoped namespace, or none).</summary>
    public sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }

    private sealed class Closer(SourceWriter writer) : IDisposable
    {
        public void Dispose()
        {
            writer.indent--;
            writer.Line("}");
        }
    }
}

