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
    [InlineData("MobileNetV3Small")]
    [InlineData("KeyedNet")]
    public void Python_matches_snapshot(string network)
    {
        var run = network switch
        {
            "TinySeNet" => GeneratorHarness.Run(Sources.TinySeNet),
            "SeResNet50" => GeneratorHarness.Run(Sources.ResNet),
            "EveryLayer" => GeneratorHarness.Run(Sources.EveryLayer),
            "SmallInception" => GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Branches.cs"))),
            "SeShuffleNet" => GeneratorHarness.Run(Sources.Zoo("ShuffleNet.cs")),
            "MobileNetV3Small" => GeneratorHarness.Run(Sources.Zoo("MobileNetV3.cs"), Sources.Zoo("ConvNormAct.cs")),
            "KeyedNet" => GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Keyed.cs"))),
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
        var create = Make.New("Demo.MyModule", Make.Arg("p", 0.1));
        var layer = new LayerPlan(new IdentitySpec("drop"), new Shape(8, 4, 4, false), new Shape(8, 4, 4, false), 0, 0, new LayerResult(Dims.Spatial(8, 4, 4), Expr.Zero, Expr.Zero, create));
        var plan = new NetworkPlan(new TypeName("Demo", "Net"), new Shape(8, 4, 4, false), EquatableArray.Of(layer), 0, 0, false);

        string python = PyTorchExport.Python(PyTorchExport.Select(plan, false, [])!);

        Assert.Contains("        # Identity (Demo.MyModule) has no PyTorch mapping in this version of SeDsl.Generator.\n", python);
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

    [Fact]
    public void Conditions_choices_and_enum_members_print_as_python()
    {
        Expr expanded = new Expr.Name("expanded"), inChannels = new Expr.Name("inChannels"), se = new Expr.Name("se");
        var none = new Expr.Member("SeDsl.Activation", "None", 8);
        var differs = Expr.Compare("!=", expanded, inChannels);

        Assert.Equal("expanded if expanded != in_channels else in_channels", PythonSource.PythonSize(Expr.Select(differs, expanded, inChannels), PythonNames.Snake));
        Assert.Equal("activation != Activation.NONE", PythonSource.PythonSize(Expr.Compare("!=", new Expr.Name("activation"), none), PythonNames.Snake));
        Assert.Equal("se and not expanded < in_channels", PythonSource.PythonSize(Expr.Compare("&&", se, Expr.Negate(Expr.Compare("<", expanded, inChannels))), PythonNames.Snake));
        Assert.Equal("se and expanded != in_channels", PythonSource.PythonSize(Expr.Compare("&&", se, Expr.Negate(Expr.Compare("==", expanded, inChannels))), PythonNames.Snake));
        Assert.Equal("not (se or expanded < 4)", PythonSource.PythonSize(Expr.Negate(Expr.Compare("||", se, Expr.Compare("<", expanded, 4))), PythonNames.Snake));
        Assert.Equal("(se or se) and se", PythonSource.PythonSize(new Expr.Condition("&&", new Expr.Condition("||", se, se), se), PythonNames.Snake));
        Assert.Equal("(expanded == 1) == se", PythonSource.PythonSize(new Expr.Condition("==", Expr.Compare("==", expanded, 1), se), PythonNames.Snake));
        Assert.Equal("(4 if se else 8) * expanded", PythonSource.PythonSize(Expr.Select(se, 4, 8) * expanded, PythonNames.Snake));
        Assert.Equal("make_divisible(expanded // 4, 8)", PythonSource.PythonSize(Expr.Apply(SizeFunction.MakeDivisible, EquatableArray.Of(expanded / 4, (Expr)8)), PythonNames.Snake));
        Assert.Equal("max(1, in_channels // 4)", PythonSource.PythonSize(Expr.Apply(SizeFunction.Max, EquatableArray.Of((Expr)1, inChannels / 4)), PythonNames.Snake));
        Assert.Equal("min(True, 0.001)", PythonSource.PythonSize(new Expr.Call(SizeFunction.Min, EquatableArray.Of<Expr>(Expr.Truth.True, new Expr.Real(0.001))), PythonNames.Snake));
    }

    /// <summary>
    /// An optional layer is created only where its condition holds and is otherwise None, so PyTorch registers no module
    /// under its name (the C# block registers none either); forward applies it only where it exists.
    /// </summary>
    [Fact]
    public void An_optional_layer_is_none_where_its_condition_fails_and_forward_skips_it()
    {
        string python = PythonOf(GeneratorHarness.Run(Sources.Zoo("MobileNetV3.cs"), Sources.Zoo("ConvNormAct.cs")), "MobileNetV3Large");
        string ablation = PythonOf(GeneratorHarness.Run(Sources.ResNet), "SeResNet50Pre");

        Assert.Contains("        self.sePre = SqueezeExcitation(in_channels, reduced_width(in_channels, r, divisor), squeeze=squeeze, gate=gate) if placement == SePlacement.PRE else None\n", ablation);
        Assert.Contains("        out = x\n        if self.sePre is not None:\n            out = self.sePre(out)\n        out = self.conv1(out)\n", ablation);

        // Under a state key: added under its key only where it exists; in a container forward calls whole, appended only then.
        Assert.Contains("        self.add_module(\"2\", activation_module(activation) if activation != Activation.NONE else None)\n", python);
        Assert.Contains("        if getattr(self, \"2\") is not None:\n            x = getattr(self, \"2\")(x)\n", python);
        Assert.Contains("        if expanded != in_channels:\n            self.block.append(ConvNormAct(in_channels, stride=1, ", python);
        Assert.Contains("        if se:\n            self.block.append(SqueezeExcitation(", python);
        Assert.Contains("        self.adds_shortcut = stride == 1 and in_channels == out_channels\n", python);
        Assert.Contains("        out = self.block(x)\n        if self.adds_shortcut:\n            out = out + x\n", python);
        Assert.DoesNotContain("self.downsample", python);
    }

    [Fact]
    public void A_named_projection_shortcut_is_registered_under_its_name()
    {
        string python = PythonOf(GeneratorHarness.Run(Sources.Zoo("RegNet.cs"), Sources.Zoo("ConvNormAct.cs")), "RegNetY400MF");

        Assert.Contains("            self.proj = nn.Sequential(\n", python);
        Assert.Contains("            self.proj = None\n", python);
        Assert.Contains("        shortcut = x if self.proj is None else self.proj(x)\n", python);

        // ShortcutFirst: the projection is assigned (so registered) before the body, as the C# block registers it.
        Assert.True(python.IndexOf("self.proj = nn.Sequential(", System.StringComparison.Ordinal) < python.IndexOf("self.f = nn.ModuleDict()", System.StringComparison.Ordinal));
        Assert.DoesNotContain("downsample", python);
    }

    /// <summary>A constant activation is its PyTorch module; only a parameter goes through the helper.</summary>
    [Fact]
    public void A_constant_chosen_activation_is_its_module()
    {
        var create = Make.New("SeDsl.Layers.ActivationLayer", new ConstructionArgument(null, new ArgumentValue.Size(new Expr.Member("SeDsl.Activation", "Hardswish", 6))));
        var none = Make.New("SeDsl.Layers.ActivationLayer", new ConstructionArgument(null, new ArgumentValue.Size(new Expr.Member("SeDsl.Activation", "None", 8))));
        var helpers = new System.Collections.Generic.HashSet<PythonHelper>();

        Assert.Equal("nn.Hardswish()", LayerMapping.Call(create, e => PythonSource.PythonSize(e, n => n), helpers, inPlace: false));
        Assert.Equal("nn.Identity()", LayerMapping.Call(none, e => PythonSource.PythonSize(e, n => n), helpers, inPlace: false));
        Assert.Equal("nn.GELU()", LayerMapping.Call(Make.Call(Make.Nn + ".GELU"), e => PythonSource.PythonSize(e, n => n), helpers, inPlace: false));
        Assert.Empty(helpers);
    }

    /// <summary>A user's own module is C# the export cannot translate: the file raises, naming the layer, and builds nothing else wrong.</summary>
    [Fact]
    public void A_custom_layer_raises_naming_it()
    {
        string python = PythonOf(GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "CustomLayers.cs"))), "CustomNet");

        Assert.Contains("        raise NotImplementedError(\"CustomNet.gate: layer kind Custom has no PyTorch export yet\")\n", python);
        Assert.DoesNotContain("self.gate =", python);
    }

    /// <summary>Keyed layers are registered in containers under their state keys, and forward reaches them there.</summary>
    [Fact]
    public void Keyed_layers_are_registered_in_containers_under_their_keys()
    {
        string python = PythonOf(GeneratorHarness.Run(Sources.Zoo("Vgg.cs")), "Vgg16");

        Assert.Contains("        self.features = nn.Sequential()\n        self.features.append(nn.Conv2d(3, 64, kernel_size=3, padding=1))\n", python);
        Assert.Contains("        x = self.features(x)\n", python);
        Assert.DoesNotContain("self.conv1_1", python);
    }
}
