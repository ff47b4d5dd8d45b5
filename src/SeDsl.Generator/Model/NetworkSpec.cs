namespace SeDsl.Generator.Model;

/// <summary>
/// What the user declared, as plain values: no Roslyn symbols, syntax or locations. Equal declarations give
/// equal specs, which is what lets the generator skip unchanged networks.
/// </summary>
/// <param name="Namespace">The class's namespace, empty for the global namespace.</param>
/// <param name="ClassName">The class's name.</param>
/// <param name="Input">The declared input shape values, as written (validated by the analysis).</param>
/// <param name="Layers">The layer fields in declaration order.</param>
internal sealed record NetworkSpec(
    string Namespace,
    string ClassName,
    EquatableArray<int> Input,
    EquatableArray<LayerSpec> Layers);
