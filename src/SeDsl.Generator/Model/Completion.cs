using System.Linq;

namespace SeDsl.Generator.Model;

/// <summary>
/// What the compiler needs of a class that has errors, so that the generated part can still complete it: the fields the
/// generated constructor would assign, a block's constructor parameters, and the members the user declared that the
/// generated part would declare too. Read with every parse, since the analysis may find errors too.
/// </summary>
/// <param name="Fields">Instance fields the generated constructor assigns, as C# identifiers: the layer fields and a block's parameter fields.</param>
/// <param name="Parameters">A block's <c>[Param]</c> fields that its constructor takes, in declaration order.</param>
/// <param name="Declared">
/// Generated members the user declared already: a method as <c>Name(parameter types)</c> (a constructor as <c>.ctor(...)</c>),
/// anything else by name.
/// </param>
internal sealed record ClassOutline(EquatableArray<string> Fields, EquatableArray<string> Parameters, EquatableArray<string> Declared)
{
    /// <summary>Each parameter's C# type as declared (<c>int</c>, <c>bool</c>, <c>double</c>, or an enum's full name), in the order of <see cref="Parameters"/>.</summary>
    public EquatableArray<string> ParameterTypes { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The type of parameter <paramref name="index"/>.</summary>
    public string TypeOf(int index) => index < ParameterTypes.Count ? ParameterTypes[index] : "int";

    public bool Declares(string member) => Declared.Contains(member);

    /// <summary>The generated constructor as <see cref="Declared"/> writes it: none for a network; for a block the input channels, the stride and the parameters.</summary>
    public string Constructor(bool network) =>
        network ? ".ctor()" : ".ctor(" + string.Join(", ", new[] { "long", "long" }.Concat(Parameters.Select((_, i) => TypeOf(i)))) + ")";
}

/// <summary>
/// A class with errors, completed rather than left with unassigned fields and missing members: every member a valid
/// class has, each unusable (an obsolete-as-error member whose message names <paramref name="Error"/>, or a body that
/// throws), so that each use of the class gets one error that says what to fix first.
/// </summary>
/// <param name="Error">The first error, as <c>SEDSLxxx: message</c>.</param>
/// <param name="ErrorCount">How many errors the class has.</param>
internal sealed record CompletionPlan(TypeName Type, bool Network, string Error, int ErrorCount, ClassOutline Outline);

/// <summary>
/// A network family's own part (<c>FamilyEmitter</c>): a family generates no module, only what makes its declaration
/// compile, since its layer and parameter fields are descriptions that only its networks' generated code creates.
/// </summary>
internal sealed record FamilyPlan(TypeName Type, ClassOutline Outline);
