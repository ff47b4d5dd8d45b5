namespace SeDsl.Generator.Model;

/// <summary>
/// How a layer's module is created, as data: a factory of TorchSharp or of the SeDsl runtime (named without
/// <c>global::</c>, which Emit adds) and its arguments. Sizes are expressions: numbers in networks, expressions over the
/// block's parameters in blocks.
/// </summary>
/// <param name="Factory">E.g. <c>TorchSharp.torch.nn.Conv2d</c>, or a type such as <c>SeDsl.Layers.SqueezeExcitation</c>.</param>
/// <param name="IsType">Whether <paramref name="Factory"/> is a type to create with <c>new</c> rather than a factory method.</param>
internal sealed record Construction(string Factory, bool IsType, EquatableArray<ConstructionArgument> Arguments);

/// <summary>One argument of a construction; a null name passes it positionally.</summary>
internal sealed record ConstructionArgument(string? Name, ArgumentValue Value);

/// <summary>The value of a construction argument.</summary>
internal abstract record ArgumentValue
{
    /// <summary>A size (an integer, or an expression inside blocks).</summary>
    public sealed record Size(Expr Value) : ArgumentValue;

    /// <summary>A (height, width) pair of sizes, as TorchSharp takes rectangular kernels.</summary>
    public sealed record Pair(Expr Height, Expr Width) : ArgumentValue;

    /// <summary>A <c>long[]</c> of constants.</summary>
    public sealed record Sizes(EquatableArray<long> Values) : ArgumentValue;

    public sealed record Flag(bool Value) : ArgumentValue;

    public sealed record Real(double Value) : ArgumentValue;

    /// <summary>A string literal, such as a layer's name for a runtime message.</summary>
    public sealed record Text(string Value) : ArgumentValue;

    /// <summary>The module being constructed (<c>this</c>), for runtime messages that name it.</summary>
    public sealed record Owner : ArgumentValue
    {
        public static readonly Owner Instance = new();
    }

    /// <summary>A module created as the argument of another call, such as a custom layer passed to its check.</summary>
    public sealed record Created(Construction Value) : ArgumentValue;

    /// <summary>A member of an enum, e.g. <c>SeDsl.SqueezeOperator</c> and <c>Average</c>.</summary>
    public sealed record Member(string Type, string Name) : ArgumentValue;

    /// <summary>A value as its own kind when it is a constant (a flag, a double, an enum member), else an expression.</summary>
    public static ArgumentValue Of(Expr value) => value switch
    {
        Expr.Truth t => new Flag(t.Value),
        Expr.Real r => new Real(r.Value),
        Expr.Member m => new Member(m.EnumType, m.MemberName),
        _ => new Size(value),
    };
}

/// <summary>Builds constructions with named arguments.</summary>
internal static class Make
{
    public const string Nn = "TorchSharp.torch.nn";

    public static Construction Call(string factory, params ConstructionArgument[] arguments) =>
        new(factory, false, arguments.ToEquatableArray());

    public static Construction New(string type, params ConstructionArgument[] arguments) =>
        new(type, true, arguments.ToEquatableArray());

    public static ConstructionArgument Arg(string name, Expr size) => new(name, new ArgumentValue.Size(size));

    public static ConstructionArgument Arg(string name, long size) => new(name, new ArgumentValue.Size(size));

    public static ConstructionArgument Arg(string name, bool flag) => new(name, new ArgumentValue.Flag(flag));

    public static ConstructionArgument Arg(string name, double value) => new(name, new ArgumentValue.Real(value));

    public static ConstructionArgument Arg(string name, ArgumentValue value) => new(name, value);
}
