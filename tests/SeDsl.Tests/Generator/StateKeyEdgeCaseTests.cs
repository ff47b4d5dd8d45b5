using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>Keys whose containers are named like C# keywords, fields or parameters compile; a bad key is one diagnostic.</summary>
public class StateKeyEdgeCaseTests
{
    private static string Net(string layers) =>
        Sources.Usings + $"namespace Demo;\n\n[Network(3, 8, 8)]\npublic partial class Net\n{{\n{layers}\n}}\n";

    [Fact]
    public void Containers_named_like_keywords_fields_and_numbers_compile()
    {
        var run = GeneratorHarness.Run(Net("""
                [Conv2d(8, 3, Key = "class.0")] private readonly Conv2d conv;
                [ReLU(Key = "conv.0")] private readonly ReLU relu;
                [Identity(Key = "0.x-y")] private readonly Identity id;
                [Identity(Key = "0.x_y")] private readonly Identity id2;
            """));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        string module = run.Source(".SeDsl.Module.g.cs");
        Assert.Contains("var class_ = new global::SeDsl.Layers.ModuleGroup();", module, System.StringComparison.Ordinal);
        Assert.Contains("var conv_ = new global::SeDsl.Layers.ModuleGroup();", module, System.StringComparison.Ordinal);
        Assert.Contains("_0.Add(\"x-y\", id);", module, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_parameter_named_like_a_container_compiles()
    {
        var run = GeneratorHarness.Run(Net("[Use(typeof(B), 4)] private readonly B b;") + """

            [Block]
            public partial class B
            {
                [Param] private readonly int block;
                [Conv2d(nameof(block), 1, Key = "block.#")] private readonly Conv2d conv;
                [ReLU(Key = "block.#")] private readonly ReLU relu;
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Theory]
    [InlineData("[Conv2d(8, 3, Key = \"features..0\")] private readonly Conv2d conv;\n[ReLU(Key = \"features.1\")] private readonly ReLU relu;", DiagnosticIds.InvalidStateKey, "Key = \"features..0\"")]
    [InlineData("[Conv2d(8, 3, Key = \"a\")] private readonly Conv2d conv;\n[ReLU(Key = \"a\")] private readonly ReLU relu;\n[Sigmoid(Key = \"b\")] private readonly Sigmoid gate;", DiagnosticIds.DuplicateStateKey, "Key = \"a\"")]
    [InlineData("[Conv2d(8, 3, Key = \"features.conv\")] private readonly Conv2d conv;\n[BatchNorm2d(Key = \"features.#\")] private readonly BatchNorm2d bn;\n[ReLU(Key = \"features.#\")] private readonly ReLU relu;\n[Sigmoid(Key = \"features.#\")] private readonly Sigmoid gate;",
        DiagnosticIds.StateKeyMixesAppendedAndNamed, "Key = \"features.#\"")]
    public void A_bad_key_is_one_diagnostic(string layers, string id, string underlined)
    {
        var run = GeneratorHarness.Run(Net(layers));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(underlined, run.Underlined(diagnostic));

        // The class with errors is only completed (no registration, no module): see CompletionTests.
        Assert.All(run.Sources.Values, source => Assert.DoesNotContain("register_module", source, System.StringComparison.Ordinal));
    }
}
