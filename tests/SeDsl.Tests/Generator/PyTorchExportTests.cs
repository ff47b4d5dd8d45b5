using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Emit.PyTorch;
using SeDsl.Generator.Model;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// The generated PyTorch export (<c>PyTorchSource</c>): snapshots of the Python for networks that between them use every
/// layer kind, blocks with stages, parallel branches, residual scaling, SE and channel shuffle; and the honest refusal
/// of a layer kind without a mapping. Running the exports under PyTorch is ExportedFidelityTests' part.
/// </summary>
public class PyTorchExportTests
{
    /// <summary>The Python text of <paramref name="type"/>'s generated constant: its string literals, concatenated.</summary>
    internal static string PythonOf(GeneratorRun run, string type)
    {
        var tree = CSharpSyntaxTree.ParseText(run.Source($".{type}.SeDsl.PyTorch.g.cs"));
        var constant = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(v => v.Identifier.ValueText == "PyTorchSource");
        return string.Concat(constant.Initializer!.Value.DescendantTokens().Where(t => t.IsKind(SyntaxKind.StringLiteralToken)).Select(t => t.ValueText));
    }

    [Fact]
    public void TinySeNet_constant_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Sources.TinySeNet);
        Snapshot.Verify(run.Source(".SeDsl.PyTorch.g.cs"), "PyTorchExportTests.TinySeNet#SeDsl.Zoo.TinySeNet.SeDsl.PyTorch.g");
    }

    [Theory]
    [InlineData("TinySeNet")]
    [InlineData("SeResNet50")]
    [InlineData("EveryLayer")]
    [InlineData("SmallInception")]
    [InlineData("SeShuffleNet")]
    [InlineData("SeInceptionResNetV2")]
    public void Python_matches_snapshot(string network)
    {
        var run = network switch
        {
            "TinySeNet" => GeneratorHarness.Run(Sources.TinySeNet),
            "SeResNet50" => GeneratorHarness.Run(Sources.ResNet),
            "EveryLayer" => GeneratorHarness.Run(Sources.EveryLayer),
            "SmallInception" => GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Branches.cs"))),
            "SeShuffleNet" => GeneratorHarness.Run(Sources.Zoo("ShuffleNet.cs")),
            _ => GeneratorHarness.Run(Sources.Zoo("InceptionResNet.cs")),
        };
        Snapshot.Verify(PythonOf(run, network), $"PyTorchExportTests.{network}", extension: "py");
    }

    /// <summary>The compiled constant is the generated text: the zoo's TinySeNet carries what the generator wrote.</summary>
    [Fact]
    public void Compiled_constant_equals_the_generated_text()
    {
        var run = GeneratorHarness.Run(Sources.TinySeNet);

        Assert.Equal(SeDsl.Zoo.TinySeNet.PyTorchSource, PythonOf(run, "TinySeNet"));
    }

    /// <summary>EveryLayer has a field of every layer kind, so a kind added without a mapping fails here, by name.</summary>
    [Fact]
    public void Every_layer_kind_has_a_mapping()
    {
        string python = PythonOf(GeneratorHarness.Run(Sources.EveryLayer), "EveryLayer");

        Assert.DoesNotContain("NotImplementedError", python);
    }

    [Fact]
    public void A_construction_without_a_mapping_raises_naming_the_layer_and_kind()
    {
        var create = Make.Call("SeDsl.Layers.DropPath", Make.Arg("p", 0.1));
        var layer = new LayerPlan(new IdentitySpec("drop"), new Shape(8, 4, 4, false), new Shape(8, 4, 4, false), 0, 0, new LayerResult(Dims.Spatial(8, 4, 4), Expr.Zero, Expr.Zero, create));
        var plan = new NetworkPlan(new TypeName("Demo", "Net"), new Shape(8, 4, 4, false), EquatableArray.Of(layer), 0, 0, false);

        string python = PyTorchExport.Python(PyTorchExport.Select(plan, false, [])!);

        Assert.Contains("        # Identity (SeDsl.Layers.DropPath) has no PyTorch mapping in this version of SeDsl.Generator.\n", python);
        Assert.Contains("        raise NotImplementedError(\"Net.drop: layer kind Identity has no PyTorch export yet\")\n", python);
        Assert.DoesNotContain("self.drop =", python);
    }

    [Fact]
    public void A_block_without_a_plan_becomes_a_class_that_refuses_to_be_built()
    {
        var gone = new TypeName("Demo", "Gone");
        var use = new UseSpec("b", new BlockRef(gone, null), EquatableArray<Expr>.Empty, new Stride.Fixed(1));
        var result = new LayerResult(Dims.Spatial(8, 4, 4), Expr.Zero, Expr.Zero, null) { Instances = EquatableArray.Of(new BlockInstance(gone, 8, 1, EquatableArray<NamedSize>.Empty)) };
        var plan = new NetworkPlan(new TypeName("Demo", "Net"), new Shape(8, 4, 4, false), EquatableArray.Of(new LayerPlan(use, new Shape(8, 4, 4, false), new Shape(8, 4, 4, false), 0, 0, result)), 0, 0, false);

        string python = PyTorchExport.Python(PyTorchExport.Select(plan, false, [])!);

        Assert.Contains("class Gone(nn.Module):\n    def __init__(self, *args, **kwargs):\n        raise NotImplementedError(\"block Demo.Gone was not analysed, so it has no PyTorch export\")\n", python);
        Assert.Contains("        self.b = Gone(8, stride=1)\n", python);
    }

    [Theory]
    [InlineData("planes", "planes")]
    [InlineData("inChannels", "in_channels")]
    [InlineData("baseWidth", "base_width")]
    [InlineData("widthPer4", "width_per4")]
    [InlineData("SEReduction", "se_reduction")]
    public void Parameter_names_become_snake_case(string name, string python) => Assert.Equal(python, PythonNames.Snake(name));

    [Theory]
    [InlineData("conv1", true)]
    [InlineData("from", false)]
    [InlineData("forward", false)]
    [InlineData("training", false)]
    [InlineData("_hidden", false)]
    public void Submodule_names_that_are_no_plain_attribute_go_through_add_module(string name, bool plain) =>
        Assert.Equal(plain, PythonNames.IsPlainAttribute(name));

    [Fact]
    public void Sizes_print_with_floor_division_and_the_width_rule()
    {
        Expr planes = new Expr.Name("planes");
        var width = Expr.Apply(SizeFunction.ReducedWidth, EquatableArray.Of(planes * 4, (Expr)16, (Expr)8));

        Assert.Equal("reduced_width(planes * 4, 16, 8)", PythonSource.PythonSize(width, PythonNames.Snake));
        Assert.Equal("(planes + 1) // 2", PythonSource.PythonSize((planes + 1) / 2, PythonNames.Snake));
    }
}
