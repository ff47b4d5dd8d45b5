using System.IO;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Network declarations for the driver tests. The named networks are the very files that this test
/// project also compiles with the generator as an analyzer, so the snapshots show the code the runtime tests execute.
/// </summary>
internal static class Sources
{
    public const string Usings = """
        using SeDsl;
        using SeDsl.Layers;
        using TorchSharp.Modules;

        """;

    /// <summary>The samples app's network, from the zoo library.</summary>
    public static string TinySeNet => Read("samples", "SeDsl.Zoo", "Networks", "TinySeNet.cs");

    /// <summary>Bottleneck and SE bottleneck blocks, ResNet-50 and SE-ResNet-50 (from the zoo library).</summary>
    public static string ResNet => Read("samples", "SeDsl.Zoo", "Networks", "ResNet.cs");

    /// <summary>A file of the zoo library's Networks folder, e.g. <c>ResNeXt.cs</c>.</summary>
    public static string Zoo(string file) => Read("samples", "SeDsl.Zoo", "Networks", file);

    public static string EveryLayer => Read("tests", "SeDsl.Tests", "Networks", "EveryLayer.cs");

    private static string Read(params string[] path) =>
        File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), Path.Combine(path)));
}
