using System.IO;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Network declarations for the driver tests. The named networks are the very files under Networks/ that this test
/// project also compiles with the generator as an analyzer, so the snapshots show the code the runtime tests execute.
/// </summary>
internal static class Sources
{
    public const string Usings = """
        using SeDsl;
        using SeDsl.Layers;
        using TorchSharp.Modules;

        """;

    public static string TinySeNet => Network("TinySeNet");

    public static string EveryLayer => Network("EveryLayer");

    private static string Network(string name) =>
        File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", name + ".cs"));
}
