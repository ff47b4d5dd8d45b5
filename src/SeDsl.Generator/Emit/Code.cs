using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// The one place for fully qualified type names and literals in generated code. String literals go through Roslyn's own
/// literal formatting (the only Roslyn call in Emit); sizes print as C# over the constructor's parameters, in checked
/// 64-bit arithmetic, so a generated size is the analysed one or an exception, never a wrapped number.
/// </summary>
internal static class Code
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Module = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";
    public const string Nn = "global::TorchSharp.torch.nn";
    public const string Torch = "global::TorchSharp.torch";
    public const string GeneratedCodeType = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string NetworkSummary = "global::SeDsl.NetworkSummary";
    public const string LayerSummary = "global::SeDsl.LayerSummary";
    public const string MeasuredSummary = "global::SeDsl.MeasuredSummary";
    public const string InputCheck = "global::SeDsl.Layers.InputCheck";
    public const string Fusable = "global::SeDsl.IFusable";
    public const string Sequential = "global::TorchSharp.Modules.Sequential";
    public const string MemoryLayout = "global::SeDsl.Layers.MemoryLayout";
    public const string ConvBatchNorm = "global::SeDsl.Layers.ConvBatchNorm";
    public const string MatrixProductConvolution = "global::SeDsl.Layers.MatrixProductConvolution";
    public const string SqueezeExcitation = "global::SeDsl.Layers.SqueezeExcitation";
    public const string ModuleGroup = "global::SeDsl.Layers.ModuleGroup";
    public const string CustomLayer = "global::SeDsl.Layers.CustomLayer";

    /// <summary>The generator's version, stamped into <c>[GeneratedCode]</c>.</summary>
    public static readonly string Version = typeof(Code).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    public static readonly string GeneratedCode = $"[{GeneratedCodeType}(\"SeDsl.Generator\", \"{Version}\")]";

    /// <summary>A name the model holds without <c>global::</c>, such as <c>TorchSharp.torch.nn.Conv2d</c>.</summary>
    public static string Global(string name) => "global::" + name;

    public static string Type(TypeName type) => Global(type.Namespace.Length == 0 ? type.Name : type.Namespace + "." + type.Name);

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(bool value) => value ? "true" : "false";

    public static string Literal(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }

    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Digits grouped by thousands, for doc comments.</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// A size as C# (a <c>long</c>): a literal, the constructor's <c>inChannels</c> or <c>stride</c>, a block parameter
    /// read from its field, or checked arithmetic over them with every operand of an operator promoted to <c>long</c>.
    /// </summary>
    public static string Size(Expr size) => Size(size, Model.Scope.InChannels);

    /// <summary>A size as C#, with <c>inChannels</c> read from <paramref name="inChannels"/> (in forward: a tensor's <c>shape[1]</c>).</summary>
    public static string Size(Expr size, string inChannels)
    {
        bool arithmetic = Arithmetic(size);
        var operands = arithmetic ? Operands(size) : new HashSet<string>();
        string text = Print(size, name => name == Model.Scope.InChannels ? inChannels : Parameter(name, operands.Contains(name)));
        return arithmetic ? $"checked({text})" : size is Expr.Choose ? $"({text})" : text;
    }

    /// <summary>A size passed to an <c>int</c> block parameter: narrowed with a check unless it is an int already.</summary>
    public static string IntSize(Expr size) => size switch
    {
        Expr.Truth or Expr.Member or Expr.Real or Expr.Condition or Expr.Not => Value(size),
        Expr.Number or Expr.Name { Identifier: not (Model.Scope.InChannels or Model.Scope.StrideName) } => Size(size),
        Expr.Choose c when IsValue(c.Then) || IsValue(c.Otherwise) => Value(size),
        _ when Arithmetic(size) => $"checked((int)({Print(size, name => Parameter(name, Operands(size).Contains(name)))}))",
        _ => $"checked((int){Size(size)})",
    };

    /// <summary>A truth value, enum member or double: what an <c>int</c> parameter never takes.</summary>
    private static bool IsValue(Expr value) => value switch
    {
        Expr.Truth or Expr.Member or Expr.Real or Expr.Condition or Expr.Not => true,
        Expr.Choose c => IsValue(c.Then) || IsValue(c.Otherwise),
        _ => false,
    };

    /// <summary>
    /// The parameters read as numbers (operands of <c>+ - * /</c>, function arguments, branches of a numeric <c>?:</c>):
    /// promoted to <c>long</c> so that the arithmetic is 64-bit. The others keep their type: a bool tested by <c>?:</c>
    /// or <c>!</c>, an enum compared with a member, an int in a comparison (exact either way).
    /// </summary>
    private static HashSet<string> Operands(Expr size)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        void Walk(Expr e, bool numeric)
        {
            switch (e)
            {
                case Expr.Name n when numeric:
                    names.Add(n.Identifier);
                    break;
                case Expr.Binary b:
                    Walk(b.Left, true);
                    Walk(b.Right, true);
                    break;
                case Expr.Call c:
                    foreach (var argument in c.Arguments)
                    {
                        Walk(argument, true);
                    }

                    break;
                case Expr.Condition c:
                    Walk(c.Left, false);
                    Walk(c.Right, false);
                    break;
                case Expr.Not n:
                    Walk(n.Operand, false);
                    break;
                case Expr.Choose c:
                    bool branches = numeric && !IsValue(c.Then) && !IsValue(c.Otherwise);
                    Walk(c.Test, false);
                    Walk(c.Then, branches);
                    Walk(c.Otherwise, branches);
                    break;
            }
        }

        Walk(size, true);
        return names;
    }

    private static string Parameter(string name, bool promote) =>
        name is Model.Scope.InChannels or Model.Scope.StrideName ? name : promote ? $"(long)this.{name}" : $"this.{name}";

    /// <summary>A value of a block argument or a condition as C#: truth values, enum members and doubles as literals.</summary>
    public static string Value(Expr value) => value switch
    {
        Expr.Truth or Expr.Member or Expr.Real or Expr.Condition or Expr.Not => Print(value, name => Parameter(name, false)),
        _ => Size(value),
    };

    private static string Print(Expr size, System.Func<string, string> name) =>
        size.Print(FunctionName, name, m => Global(m.EnumType) + "." + m.MemberName, Literal);

    private static bool Arithmetic(Expr size) => size switch
    {
        Expr.Binary => true,
        Expr.Call c => c.Arguments.Any(Arithmetic),
        Expr.Condition c => Arithmetic(c.Left) || Arithmetic(c.Right),
        Expr.Not n => Arithmetic(n.Operand),
        Expr.Choose c => Arithmetic(c.Test) || Arithmetic(c.Then) || Arithmetic(c.Otherwise),
        _ => false,
    };

    private static string FunctionName(SizeFunction function) => function switch
    {
        SizeFunction.MakeDivisible => SqueezeExcitation + ".MakeDivisible",
        SizeFunction.Max => "global::System.Math.Max",
        SizeFunction.Min => "global::System.Math.Min",
        _ => SqueezeExcitation + ".ReducedWidth",
    };

    /// <summary>A layer's construction: <c>factory(name: value, ...)</c> or <c>new Type(...)</c>.</summary>
    public static string Construct(Construction create)
    {
        string arguments = string.Join(", ", create.Arguments.Select(a => a.Name is null ? Value(a.Value) : a.Name + ": " + Value(a.Value)));
        return (create.IsType ? "new " : "") + Global(create.Factory) + "(" + arguments + ")";
    }

    private static string Value(ArgumentValue value) => value switch
    {
        ArgumentValue.Size s => Size(s.Value),
        ArgumentValue.Pair p => $"({Size(p.Height)}, {Size(p.Width)})",
        ArgumentValue.Sizes s => "new long[] { " + string.Join(", ", s.Values.Select(Literal)) + " }",
        ArgumentValue.Flag f => Literal(f.Value),
        ArgumentValue.Real r => Literal(r.Value),
        ArgumentValue.Member m => Global(m.Type) + "." + m.Name,
        ArgumentValue.Text t => Literal(t.Value),
        ArgumentValue.Owner => "this",
        ArgumentValue.Created c => Construct(c.Value),
        _ => throw new System.InvalidOperationException("unknown construction argument"),
    };
}

/// <summary>Hint names of generated files, built in one place: <c>{Namespace}.{Type}.SeDsl.{Concern}.g.cs</c>.</summary>
internal static class HintNames
{
    /// <param name="disambiguate">
    /// Another class's metadata name differs from this one only in letter case: Roslyn compares hint names
    /// case-insensitively, so a short hash of the exact name keeps both files.
    /// </param>
    public static string For(TypeName type, string concern, bool disambiguate)
    {
        string name = ((type.Namespace.Length == 0 ? "" : type.Namespace + ".") + type.Name).Replace("@", "");
        return disambiguate ? $"{name}.{Hash(type.MetadataName)}.SeDsl.{concern}.g.cs" : $"{name}.SeDsl.{concern}.g.cs";
    }

    // FNV-1a over the exact name: stable across runs and platforms, unlike string.GetHashCode.
    private static string Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
