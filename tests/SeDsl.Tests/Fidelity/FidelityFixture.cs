using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using SeDsl.Tests.Generator;

namespace SeDsl.Tests.Fidelity;

/// <summary>One state_dict entry as torchvision lists it: key, shape, dtype, and for float tensors the checksum of the formula's values.</summary>
internal sealed record FixtureEntry(string Key, long[] Shape, string Dtype, string? Checksum);

/// <summary>
/// What tests/scripts/fidelity_fixtures.py recorded from torchvision for one zoo model
/// (tests/SeDsl.Tests/Fidelity/Fixtures/NAME.json); <see cref="StochasticDepth"/> is the rate of each stochastic-depth
/// layer that runs, in the order it runs.
/// </summary>
internal sealed record FidelityFixture(
    string Model,
    string Torchvision,
    string TorchVersion,
    string TorchvisionVersion,
    int FormulaVersion,
    long Parameters,
    long[] Input,
    string InputChecksum,
    long[] OutputShape,
    IReadOnlyList<FixtureEntry> StateDict,
    double[] StochasticDepth,
    float[] Output)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The folder the script writes to.</summary>
    public static string Folder => Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Fidelity", "Fixtures");

    /// <summary>Reads the fixture of the zoo model <paramref name="name"/>.</summary>
    public static FidelityFixture Load(string name)
    {
        string path = Path.Combine(Folder, name + ".json");
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<FidelityFixture>(stream, Options)
            ?? throw new InvalidDataException($"{path} holds no fixture.");
    }
}
