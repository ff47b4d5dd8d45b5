using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

public class GeneratedCodeTests
{
    [Fact]
    public void TinySeNet_module_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Sources.TinySeNet);
        Snapshot.Verify(run.Source(".SeDsl.Module.g.cs"), "GeneratedCodeTests.TinySeNet#SeDsl.Zoo.TinySeNet.SeDsl.Module.g");
    }

    [Fact]
    public void TinySeNet_summary_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Sources.TinySeNet);
        Snapshot.Verify(run.Source(".SeDsl.Summary.g.cs"), "GeneratedCodeTests.TinySeNet#SeDsl.Zoo.TinySeNet.SeDsl.Summary.g");
    }

    [Fact]
    public void EveryLayer_module_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Sources.EveryLayer);
        Snapshot.Verify(run.Source(".SeDsl.Module.g.cs"), "GeneratedCodeTests.EveryLayer#SeDsl.Tests.Networks.EveryLayer.SeDsl.Module.g");
    }

    [Fact]
    public void ResNet_block_and_family_match_snapshot()
    {
        var run = GeneratorHarness.Run(Sources.ResNet);
        Snapshot.Verify(run.Source(".ResNetBlock.SeDsl.Block.g.cs"), "GeneratedCodeTests.ResNetBlock#SeDsl.Zoo.ResNetBlock.SeDsl.Block.g");
        Snapshot.Verify(run.Source(".ResNet.SeDsl.Family.g.cs"), "GeneratedCodeTests.ResNet#SeDsl.Zoo.ResNet.SeDsl.Family.g");
    }

    [Fact]
    public void SE_identity_block_matches_snapshot()
    {
        var run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "SeVariants.cs")));
        Snapshot.Verify(run.Source(".SeIdentityBlock.SeDsl.Block.g.cs"), "GeneratedCodeTests.SeIdentityBlock#SeDsl.Tests.Networks.SeIdentityBlock.SeDsl.Block.g");
    }

    [Theory]
    [InlineData("CustomNet", "Module")]
    [InlineData("GatedBlock", "Block")]
    public void Custom_layer_and_drop_path_match_snapshot(string type, string concern)
    {
        var run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "CustomLayers.cs")));
        Snapshot.Verify(run.Source($".{type}.SeDsl.{concern}.g.cs"), $"GeneratedCodeTests.{type}#SeDsl.Tests.Networks.{type}.SeDsl.{concern}.g");
    }

    [Theory]
    [InlineData("InceptionModule")]
    [InlineData("SeInceptionResNetBlock")]
    public void Parallel_and_nested_blocks_match_snapshot(string block)
    {
        var run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Branches.cs")));
        Snapshot.Verify(run.Source($".{block}.SeDsl.Block.g.cs"), $"GeneratedCodeTests.{block}#SeDsl.Tests.Networks.{block}.SeDsl.Block.g");
    }

    /// <summary>One network or block per zoo family, and each language feature the zoo needs (rectangular kernels,
    /// residual scaling, average pooling without padding, SE ratio from a parameter).</summary>
    [Theory]
    [InlineData("ResNeXt.cs", "ResNeXtBottleneck", "Block")]
    [InlineData("SeNet154.cs", "SeNet154", "Module")]
    [InlineData("Vgg.cs", "Vgg16", "Module")]
    [InlineData("BnInception.cs", "InceptionModule", "Block")]
    [InlineData("InceptionResNet.cs", "IrResidual", "Block")]
    [InlineData("InceptionResNet.cs", "IrConv", "Block")]
    [InlineData("InceptionResNet.cs", "IrPoolProjection", "Block")]
    [InlineData("MobileNet.cs", "DepthwiseSeparable", "Block")]
    [InlineData("ShuffleNet.cs", "ShuffleUnit", "Block")]
    [InlineData("ShuffleNet.cs", "ShuffleDownConcat", "Block")]
    [InlineData("ConvNormAct.cs", "ConvNormAct", "Block")]
    [InlineData("MobileNetV3.cs", "InvertedResidualV3", "Block")]
    [InlineData("EfficientNet.cs", "MBConv", "Block")]
    [InlineData("RegNet.cs", "RegNetYBlock", "Block")]
    public void Zoo_families_match_snapshot(string file, string type, string concern)
    {
        // ConvNormAct (ConvNormAct.cs) is the shared convolution block of the modern families; SENet-154's first stage
        // is made of ResNeXt bottlenecks.
        var run = file switch
        {
            "MobileNet.cs" or "MobileNetV3.cs" or "EfficientNet.cs" or "RegNet.cs" => GeneratorHarness.Run(Sources.Zoo(file), Sources.Zoo("ConvNormAct.cs")),
            "SeNet154.cs" => GeneratorHarness.Run(Sources.Zoo(file), Sources.Zoo("ResNeXt.cs")),
            _ => GeneratorHarness.Run(Sources.Zoo(file), Sources.ResNet),
        };
        Snapshot.Verify(run.Source($".{type}.SeDsl.{concern}.g.cs"), $"GeneratedCodeTests.{type}#SeDsl.Zoo.{type}.SeDsl.{concern}.g");
    }

    /// <summary>Registration under state_dict keys: containers, appended and named children, a stage's child names.</summary>
    [Theory]
    [InlineData("KeyedNet", "Module")]
    [InlineData("KeyedExpand", "Block")]
    public void Keyed_registration_matches_snapshot(string type, string concern)
    {
        var run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Keyed.cs")));
        Snapshot.Verify(run.Source($".{type}.SeDsl.{concern}.g.cs"), $"GeneratedCodeTests.{type}#SeDsl.Tests.Networks.{type}.SeDsl.{concern}.g");
    }

    [Fact]
    public void Stages_in_a_network_match_snapshot()
    {
        var run = GeneratorHarness.Run(Sources.ResNet);
        Snapshot.Verify(run.Source(".SeResNet50.SeDsl.Module.g.cs"), "GeneratedCodeTests.SeResNet50#SeDsl.Zoo.SeResNet50.SeDsl.Module.g");
    }

    [Theory]
    [InlineData(nameof(Sources.TinySeNet), 3)]
    [InlineData(nameof(Sources.EveryLayer), 3)]
    [InlineData(nameof(Sources.ResNet), 84)]
    public void Generated_code_compiles_without_warnings_under_nullable_and_warnings_as_errors(string network, int files)
    {
        var run = GeneratorHarness.Run(network switch
        {
            nameof(Sources.TinySeNet) => Sources.TinySeNet,
            nameof(Sources.EveryLayer) => Sources.EveryLayer,
            _ => Sources.ResNet,
        });

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(files, run.Sources.Count);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void Hint_names_follow_namespace_type_concern()
    {
        var run = GeneratorHarness.Run(Sources.TinySeNet);

        Assert.Equal(
            new[] { "SeDsl.Zoo.TinySeNet.SeDsl.Module.g.cs", "SeDsl.Zoo.TinySeNet.SeDsl.PyTorch.g.cs", "SeDsl.Zoo.TinySeNet.SeDsl.Summary.g.cs" },
            run.Sources.Keys.Order());
    }

    [Fact]
    public void Output_is_identical_across_runs_and_cultures()
    {
        var reference = GeneratorHarness.Run(Sources.EveryLayer).Sources;
        foreach (string culture in new[] { "", "de-DE", "tr-TR", "ar-SA" })
        {
            var saved = Thread.CurrentThread.CurrentCulture;
            try
            {
                Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo(culture);
                var again = GeneratorHarness.Run(Sources.EveryLayer).Sources;
                Assert.Equal(reference.OrderBy(p => p.Key), again.OrderBy(p => p.Key));
            }
            finally
            {
                Thread.CurrentThread.CurrentCulture = saved;
            }
        }
    }

    [Fact]
    public void Generated_files_start_with_the_auto_generated_header()
    {
        var run = GeneratorHarness.Run(Sources.TinySeNet);

        Assert.All(run.Sources.Values, text =>
        {
            Assert.StartsWith("// <auto-generated/>\n", text, System.StringComparison.Ordinal);
            Assert.Contains("\n#nullable enable\n", text, System.StringComparison.Ordinal);
        });
    }
}
