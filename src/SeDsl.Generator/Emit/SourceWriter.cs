using System;
using System.Globalization;
using System.Text;

namespace SeDsl.Generator.Emit;

/// <summary>Builds C# text with indentation; lines end in '\n' on every platform so output is byte-identical everywhere.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder text = new();
    private int indent;

    public SourceWriter Line(string line = "")
    {
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

    private sealed class Closer(SourceWriter writer) : IDisposable
    {
        public void Dispose()
        {
            writer.indent--;
            writer.Line("}");
        }
    }
}

/// <summary>The one place for fully qualified type names and literal formatting in generated code.</summary>
internal static class Code
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Module = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";
    public const string Nn = "global::TorchSharp.torch.nn";
    public const string Torch = "global::TorchSharp.torch";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string NetworkSummary = "global::SeDsl.NetworkSummary";
    public const string LayerSummary = "global::SeDsl.LayerSummary";
    public const string MeasuredSummary = "global::SeDsl.MeasuredSummary";
    public const string InputCheck = "global::SeDsl.Layers.InputCheck";
    public const string Fusable = "global::SeDsl.IFusable";
    public const string SqueezeExcitation = "global::SeDsl.Layers.SqueezeExcitation";
    public const string Sequential = "global::TorchSharp.Modules.Sequential";
    public const string SqueezeOperator = "global::SeDsl.SqueezeOperator";
    public const string ExcitationGate = "global::SeDsl.ExcitationGate";

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(bool value) => value ? "true" : "false";

    public static string Literal(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }

    public static string Literal(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Digits grouped by thousands, for doc comments.</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
