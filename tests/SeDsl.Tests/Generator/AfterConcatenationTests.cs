using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SeDsl;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using SeDsl.Tests.Networks;
using SeDsl.Tests.Samples;
using TorchSharp;
using Xunit;
using static SeDsl.Tests.Generator.ReliabilityAssert;
using static TorchSharp.torch;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Issue 14: layers after a parallel block's concatenation (<c>[AfterConcatenation]</c>). <see cref="SeMixedNet"/> puts a
/// convolution, batch norm, ReLU, SE, dropout and drop path on the concatenated branches of <see cref="SeMixed"/>;
/// <see cref="MixedThenSeNet"/> writes the same layers by hand after a block without them. Counts are also computed by
/// hand, and the zoo's SE-BN-Inception is compared with its earlier form (SE layers after each module).
/// </summary>
/// <remarks>In the libtorch-seed collection: the training test draws dropout and drop-path masks from the global generator, which a test running beside it would advance between the two forwards.</remarks>
[Collection(TorchSeedCollection.Name)]
public partial class AfterConcatenationTests
{
    /// <summary>The after-concatenation layers' names in the hand-written network: <c>aProject</c> is <c>a.project</c>.</summary>
    private static string Nested(string key) =>
        AfterBlockKey().Replace(key, m => m.Groups[1].Value + "." + char.ToLowerInvariant(m.Groups[2].Value[0]) + m.Groups[2].Value.Substring(1) + ".");

    [GeneratedRegex(@"^(a|b)([A-Z]\w*)\.")]
    private static partial Regex AfterBlockKey();

    [Fact]
    public void Counts_and_shapes_equal_the_network_with_the_layers_after_the_block()
    {
        // Block a: 8 -> 16 + 32 + 8 = 56 concatenated channels at 8 x 8; b: 16 -> 16 + 32 + 16 = 64. The 1x1 projection reads
        // the concatenation, so its weights are 56 x 16 and 64 x 16; batch norm 2 x 16; SE (r = 4) 16 x 4 + 4 + 4 x 16 + 16.
        long a = (8 * 16) + (8 * 32 * 9) + (56 * 16) + (2 * 16) + ((16 * 4) + 4 + (4 * 16) + 16);
        long b = (16 * 16) + (16 * 32 * 9) + (64 * 16) + (2 * 16);
        long fc = (16 * 10) + 10;
        long parameters = SeMixedNet.ParameterCount, multiplyAdds = SeMixedNet.MultiplyAdds;
        Assert.Equal(a + b + fc, parameters);
        Assert.Equal(MixedThenSeNet.ParameterCount, parameters);
        Assert.Equal(MixedThenSeNet.MultiplyAdds, multiplyAdds);
        Assert.Equal(MixedThenSeNet.Summary.Buffers, SeMixedNet.Summary.Buffers);

        // Row for row, the block's layers after the concatenation are the hand-written network's layers after the block.
        static string Row(LayerSummary r) => $"{r.Kind} [{string.Join(", ", r.OutputShape)}] {r.Parameters} {r.MultiplyAdds} {r.Buffers} {r.ReducedChannels}";
        var inside = SeMixedNet.Summary.Layers.Take(2).SelectMany(block => block.Children).ToList();
        var handWritten = MixedThenSeNet.Summary.Layers.Take(13).Where(r => r.Block is null).Select(Row).ToArray();
        Assert.Equal(handWritten, inside.Where(r => r.Placement == LayerPlacement.AfterConcatenation).Select(Row).ToArray());
        Assert.Equal(new[] { "branch1x1", "branch3x3", "branchPool" }, inside.Where(r => r.Placement == LayerPlacement.Body).Select(r => r.Name).Distinct().ToArray());
        Assert.Equal(new long[] { 16, 8, 8 }, SeMixedNet.Summary.Layers[0].OutputShape);
        Assert.Equal(MixedThenSeNet.Summary.Layers.Skip(13).Select(Row).ToArray(), SeMixedNet.Summary.Layers.Skip(2).Select(Row).ToArray());
    }

    [Fact]
    public void The_diagram_runs_the_layers_after_the_concatenation_node()
    {
        string diagram = SeMixedNet.Summary.Diagram;
        var concat = Regex.Match(diagram, @"(\w+)\{\{""concat");
        var project = Regex.Match(diagram, @"(\w+)\[""project: ");
        Assert.True(concat.Success && project.Success, diagram);
        Assert.Contains($"{concat.Groups[1].Value} --> {project.Groups[1].Value}", diagram, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_equal_the_hand_written_network_in_eval_fused_and_bfloat16()
    {
        using var scope = NewDisposeScope();
        using var concatenated = new SeMixedNet();
        using var handWritten = new MixedThenSeNet();
        var handState = handWritten.state_dict();
        var state = concatenated.state_dict();

        // The same tensors in the same order, the layers after the concatenation inside the block.
        Assert.Equal(handState.Keys.Select(Nested).ToArray(), state.Keys.ToArray());
        Assert.Equal(handState.Values.Select(t => t.shape).ToArray(), state.Values.Select(t => t.shape).ToArray());

        UseSiteOptionsTests.Randomize(handState, 11);
        var weights = handState.ToDictionary(p => Nested(p.Key), p => p.Value.clone());
        concatenated.load_state_dict(weights);
        concatenated.eval();
        handWritten.eval();
        var input = randn(2, 8, 16, 16);
        var expected = handWritten.forward(input);
        Assert.Equal(new long[] { 2, 10 }, expected.shape);
        Assert.True(expected.allclose(concatenated.forward(input), rtol: 1e-5, atol: 1e-6), "eval outputs differ");

        var handWeights = handState.ToDictionary(p => p.Key, p => p.Value.clone());   // Fuse folds the batch norms in place
        concatenated.Fuse();
        handWritten.Fuse();
        Assert.True(handWritten.forward(input).allclose(concatenated.forward(input), rtol: 1e-4, atol: 1e-5), "fused outputs differ");
        Assert.True(expected.allclose(concatenated.forward(input), rtol: 1e-4, atol: 1e-5), "the fused path differs from eval");

        using var concatenatedHalf = new SeMixedNet();
        using var handHalf = new MixedThenSeNet();
        concatenatedHalf.load_state_dict(weights);
        handHalf.load_state_dict(handWeights);
        concatenatedHalf.Fuse(Precision.BFloat16);
        handHalf.Fuse(Precision.BFloat16);
        var half = handHalf.forward(input);
        Assert.True(half.allclose(concatenatedHalf.forward(input), rtol: 5e-2, atol: 5e-2), "bfloat16 outputs differ");
        Assert.True(half.allclose(expected, rtol: 1e-1, atol: 1e-1), "the bfloat16 path is far from float32");
    }

    [Fact]
    public void Training_runs_every_layer_after_the_concatenation_as_the_hand_written_network_does()
    {
        // In training mode dropout and drop path draw random masks: with the same seed both networks draw the same ones.
        using var scope = NewDisposeScope();
        using var concatenated = new SeMixedNet();
        using var handWritten = new MixedThenSeNet();
        var handState = handWritten.state_dict();
        UseSiteOptionsTests.Randomize(handState, 5);
        concatenated.load_state_dict(handState.ToDictionary(p => Nested(p.Key), p => p.Value));
        var input = randn(2, 8, 16, 16);

        manual_seed(3);
        var expected = handWritten.forward(input);
        manual_seed(3);
        var actual = concatenated.forward(input);
        Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-6), "training outputs differ");
        actual.sum().backward();
        Assert.All(concatenated.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void The_generated_block_matches_snapshot()
    {
        var run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Concatenated.cs")));
        Compiles(run, "SeDsl.Tests.Networks.SeMixed.SeDsl.Block.g.cs");
        Snapshot.Verify(run.Source(".SeMixed.SeDsl.Block.g.cs"), "AfterConcatenationTests.SeMixed#SeDsl.Tests.Networks.SeMixed.SeDsl.Block.g");
    }

    [Fact]
    public void The_pytorch_export_applies_the_layers_to_the_concatenation()
    {
        var run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Concatenated.cs")));
        string python = PyTorchExportTests.PythonOf(run, "SeMixedNet");
        string forward = python.Substring(python.IndexOf("class SeMixed(", StringComparison.Ordinal));
        forward = forward.Substring(forward.IndexOf("def forward", StringComparison.Ordinal));
        forward = forward.Substring(0, forward.IndexOf("return x", StringComparison.Ordinal));
        Assert.Equal(
            new[]
            {
                "x = torch.cat([self.branch1x1(x), self.branch3x3(x), self.branchPool(x)], 1)", "x = self.project(x)", "x = self.bn(x)", "x = self.relu(x)",
                "if self.se is not None:", "x = self.se(x)", "x = self.drop(x)", "x = self.dropPath(x)",
            },
            forward.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray());
    }

    [Fact]
    public void Each_misplaced_marker_is_one_diagnostic()
    {
        string Source(string head, string layers) => Sources.Usings + $"namespace Demo;\n{head} public partial class B {{ {layers} }}";
        const string Se = "[SqueezeExcite(r: 4), AfterConcatenation] private readonly SqueezeExcitation se;";
        var cases = new[]
        {
            (Source("[Block]", "[Conv2d(8, 1)] private readonly Conv2d conv; " + Se), DiagnosticIds.PlacementOutsideParallel, "AfterConcatenation"),
            (Source("[Block(Residual = true)]", "[Conv2d(8, 1)] private readonly Conv2d conv; " + Se), DiagnosticIds.PlacementOutsideParallel, "AfterConcatenation"),
            (Source("[Network(3, 8, 8)]", "[Conv2d(8, 1)] private readonly Conv2d conv; " + Se), DiagnosticIds.PlacementOutsideParallel, "AfterConcatenation"),
            (Source("[Block(Parallel = true)]", "[Conv2d(8, 1)] private readonly Conv2d a; " + Se + " [Conv2d(8, 1)] private readonly Conv2d b;"), DiagnosticIds.BranchAfterConcatenation, "b"),
        };
        foreach (var (source, id, underlined) in cases)
        {
            var run = GeneratorHarness.Run(source);
            var diagnostic = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(underlined, run.Underlined(diagnostic));
        }
    }

    [Fact]
    public void A_parallel_block_made_residual_adds_the_shortcut_after_the_layers_on_the_concatenation()
    {
        // Made residual at its use, SeMixed's output (16 channels after the projection) is added to its 16-channel input.
        string source = File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Networks", "Concatenated.cs"))
            + "\n[Network(16, 8, 8)] public partial class ResidualMixed { [Use(typeof(SeMixed), 16, Residual = true)] private readonly SeMixed a; }";
        var run = GeneratorHarness.Run(source);
        Compiles(run, "SeDsl.Tests.Networks.ResidualMixed.SeDsl.Module.g.cs");
        var assembly = ReliabilityHarness.Load(run);
        var type = assembly.GetType("SeDsl.Tests.Networks.ResidualMixed", throwOnError: true)!;
        var summary = ReliabilityHarness.Static<NetworkSummary>(type, "Summary");
        Assert.Equal(ShortcutKind.Identity, summary.Layers[0].Block!.Shortcut);

        using var scope = NewDisposeScope();
        using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        UseSiteOptionsTests.Randomize(module.state_dict(), 2);
        module.eval();
        var input = randn(1, 16, 8, 8);
        var children = module.named_children().ToDictionary(c => c.name, c => c.module);
        var block = (nn.Module<Tensor, Tensor>)children["a"];
        var parts = block.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
        var x = cat(new[] { parts["branch1x1"].forward(input), parts["branch3x3"].forward(input), parts["branchPool"].forward(input) }, 1);
        foreach (string name in new[] { "project", "bn", "relu", "se", "drop", "dropPath" })
        {
            x = parts[name].forward(x);
        }

        Assert.True((x + input).relu().allclose(module.forward(input), rtol: 1e-5, atol: 1e-6), "the shortcut is not added after the layers on the concatenation");
    }

    [Fact]
    public void Layers_on_the_concatenation_need_no_shortcut()
    {
        // They are the body's, not the shortcut's: an IdentityOrNone shortcut (which may not exist) and a use that makes the
        // block plain are both fine, where [OnShortcut] and [AfterAddition] layers would be SEDSL102 and SEDSL120.
        string source = Sources.Usings + """
            namespace Demo;
            [Block(Parallel = true, Residual = true, Shortcut = ShortcutPolicy.IdentityOrNone)]
            public partial class P
            {
                [Conv2d(4, 1)] private readonly Conv2d a;
                [Conv2d(4, 3, Padding = 1)] private readonly Conv2d b;
                [SqueezeExcite(r: 2), AfterConcatenation] private readonly SqueezeExcitation se;
            }
            [Network(8, 8, 8)] public partial class N { [Use(typeof(P))] private readonly P same; [Use(typeof(P), Residual = false)] private readonly P plain; }
            """;
        var run = GeneratorHarness.Run(source);
        Compiles(run, "Demo.N.SeDsl.Module.g.cs", "Demo.P.SeDsl.Block.g.cs");
        var summary = ReliabilityHarness.Static<NetworkSummary>(ReliabilityHarness.Load(run).GetType("Demo.N", throwOnError: true)!, "Summary");
        Assert.Equal(new[] { ShortcutKind.Identity, ShortcutKind.None }, summary.Layers.Select(r => r.Block!.Shortcut).ToArray());
    }

    /// <summary>The zoo's BnInception.cs with SE-BN-Inception as it was written before: an SE layer after each module.</summary>
    private const string SeBnInceptionAsBefore = """

        [Network(3, 224, 224)]
        public partial class SeAfterModules
        {
            [Conv2d(64, 7, Stride = 2, Padding = 3)] private readonly Conv2d conv1;
            [BatchNorm2d] private readonly BatchNorm2d bn1;
            [ReLU] private readonly ReLU relu1;
            [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool1;
            [Use(typeof(ConvBnReLU), 64, 1)] private readonly ConvBnReLU conv2Reduce;
            [Use(typeof(ConvBnReLU), 192, 3)] private readonly ConvBnReLU conv2;
            [MaxPool2d(3, Stride = 2, CeilMode = true)] private readonly MaxPool2d pool2;
            [Use(typeof(InceptionModule), 64, 64, 64, 64, 96, 32, false)] private readonly InceptionModule inception3a;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se3a;
            [Use(typeof(InceptionModule), 64, 64, 96, 64, 96, 64, false)] private readonly InceptionModule inception3b;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se3b;
            [Use(typeof(InceptionModule), 0, 128, 160, 64, 96, 0, false, Stride = 2)] private readonly InceptionModule inception3c;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se3c;
            [Use(typeof(InceptionModule), 224, 64, 96, 96, 128, 128, false)] private readonly InceptionModule inception4a;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se4a;
            [Use(typeof(InceptionModule), 192, 96, 128, 96, 128, 128, false)] private readonly InceptionModule inception4b;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se4b;
            [Use(typeof(InceptionModule), 160, 128, 160, 128, 160, 128, false)] private readonly InceptionModule inception4c;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se4c;
            [Use(typeof(InceptionModule), 96, 128, 192, 160, 192, 128, false)] private readonly InceptionModule inception4d;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se4d;
            [Use(typeof(InceptionModule), 0, 128, 192, 192, 256, 0, false, Stride = 2)] private readonly InceptionModule inception4e;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se4e;
            [Use(typeof(InceptionModule), 352, 192, 320, 160, 224, 128, false)] private readonly InceptionModule inception5a;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se5a;
            [Use(typeof(InceptionModule), 352, 192, 320, 192, 224, 128, true)] private readonly InceptionModule inception5b;
            [SqueezeExcite(r: 16)] private readonly SqueezeExcitation se5b;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d avgpool;
            [Flatten] private readonly Flatten flatten;
            [Linear(1000)] private readonly Linear fc;
        }
        """;

    [Fact]
    public void SeBnInception_equals_its_earlier_form_with_the_se_keys_moved_into_the_modules()
    {
        string zoo = File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "samples", "SeDsl.Zoo", "Networks", "BnInception.cs"));
        var run = GeneratorHarness.Run(zoo + SeBnInceptionAsBefore);
        Compiles(run, "SeDsl.Zoo.SeBnInception.SeDsl.Module.g.cs", "SeDsl.Zoo.SeAfterModules.SeDsl.Module.g.cs");
        var assembly = ReliabilityHarness.Load(run);
        var nowType = assembly.GetType("SeDsl.Zoo.SeBnInception", throwOnError: true)!;
        var beforeType = assembly.GetType("SeDsl.Zoo.SeAfterModules", throwOnError: true)!;
        Assert.Equal(11_941_638L, ReliabilityHarness.Static<long>(nowType, "ParameterCount"));
        Assert.Equal(ReliabilityHarness.Static<long>(beforeType, "ParameterCount"), ReliabilityHarness.Static<long>(nowType, "ParameterCount"));
        Assert.Equal(ReliabilityHarness.Static<long>(beforeType, "MultiplyAdds"), ReliabilityHarness.Static<long>(nowType, "MultiplyAdds"));

        using var scope = NewDisposeScope();
        using var now = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(nowType)!;
        using var before = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(beforeType)!;
        var beforeState = before.state_dict();

        // se3a.fc1.weight is now inception3a.se.fc1.weight, in the same place of the state_dict.
        static string Moved(string key) => Regex.Replace(key, @"^se(\d[a-e])\.", "inception$1.se.");
        Assert.Equal(beforeState.Keys.Select(Moved).ToArray(), now.state_dict().Keys.ToArray());

        UseSiteOptionsTests.Randomize(beforeState, 13);
        var weights = beforeState.ToDictionary(p => Moved(p.Key), p => p.Value.clone());
        var beforeWeights = beforeState.ToDictionary(p => p.Key, p => p.Value.clone());
        now.load_state_dict(weights);
        now.eval();
        before.eval();
        var input = randn(1, 3, 64, 64);
        var expected = before.forward(input);
        Assert.True(expected.allclose(now.forward(input), rtol: 1e-5, atol: 1e-5), "eval outputs differ");

        nowType.GetMethod("Fuse", [typeof(bool)])!.Invoke(now, [false]);
        beforeType.GetMethod("Fuse", [typeof(bool)])!.Invoke(before, [false]);
        Assert.True(before.forward(input).allclose(now.forward(input), rtol: 1e-4, atol: 1e-4), "fused outputs differ");

        using var nowHalf = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(nowType)!;
        using var beforeHalf = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(beforeType)!;
        nowHalf.load_state_dict(weights);
        beforeHalf.load_state_dict(beforeWeights);
        var precision = new[] { typeof(Precision), typeof(MemoryFormat) };
        nowType.GetMethod("Fuse", precision)!.Invoke(nowHalf, [Precision.BFloat16, MemoryFormat.Automatic]);
        beforeType.GetMethod("Fuse", precision)!.Invoke(beforeHalf, [Precision.BFloat16, MemoryFormat.Automatic]);
        Assert.True(beforeHalf.forward(input).allclose(nowHalf.forward(input), rtol: 5e-2, atol: 5e-2), "bfloat16 outputs differ");
    }

}
