using System;
using System.IO;
using System.Linq;
using SeDsl.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// A model whose state would not mean what it says is never saved or loaded: a fused model (its batch norms stale),
/// one with a fused block, a disposed one (its state_dict is empty). The file on disk and the model stay as they were.
/// </summary>
public sealed class WeightsGuardTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData(".pt")]
    [InlineData(".safetensors")]
    public void A_fused_model_is_not_saved_and_the_previous_checkpoint_stays(string extension)
    {
        using var model = new TinySeNet();
        StateDicts.RandomiseBuffers(model, seed: 5);
        string path = directory.File("tiny" + extension);
        Weights.Save(model, path);
        byte[] previous = File.ReadAllBytes(path);
        Assert.False(((IFusable)model).IsFused);

        model.Fuse();
        var error = Assert.Throws<InvalidOperationException>(() => Weights.Save(model, path));

        Assert.True(((IFusable)model).IsFused);
        Assert.Equal(
            $"Cannot save TinySeNet to '{path}': TinySeNet is fused. Fuse() folded the batch norms into the convolutions and left the batch norms stale, " +
            "so the file would not reload into an unfused model as the same function. Save before Fuse(); nothing was written.",
            error.Message);
        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void What_saving_a_fused_model_would_have_written_computes_another_function()
    {
        // Why the refusal: the fused state, loaded into an unfused model, applies each batch norm a second time.
        using var model = new TinySeNet();
        StateDicts.RandomiseBuffers(model, seed: 6);
        model.eval();
        manual_seed(7);
        using var input = randn(2, 3, 32, 32);
        using var _ = no_grad();
        using var expected = model.forward(input);
        model.Fuse();
        using var unfused = new TinySeNet();
        // Folding gave the convolutions biases, so only a non-strict load takes the file at all.
        unfused.load_state_dict(model.state_dict(), strict: false);
        unfused.eval();

        using var actual = unfused.forward(input);

        Assert.False(actual.allclose(expected, rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void A_model_with_one_fused_block_is_not_saved_naming_the_block()
    {
        using var model = new SeResNet50();
        string path = directory.File("seresnet50.pt");
        var (name, block) = model.named_modules().First(m => m.Item2 is IFusable);
        block.GetType().GetMethod("Fuse")!.Invoke(block, null);

        var error = Assert.Throws<InvalidOperationException>(() => Weights.Save(model, path));

        Assert.Equal("layer1.0", name);
        Assert.StartsWith($"Cannot save SeResNet50 to '{path}': its submodule 'layer1.0' is fused.", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Nothing_is_loaded_into_a_fused_model(bool strict)
    {
        using var source = new TinySeNet();
        string path = directory.File("tiny.pt");
        Weights.Save(source, path);
        using var model = new TinySeNet();
        model.Fuse();
        var before = StateDicts.Snapshot(model);

        var error = Assert.Throws<InvalidOperationException>(() => Weights.Load(model, path, strict: strict));

        Assert.StartsWith($"Cannot load '{path}' into TinySeNet: TinySeNet is fused.", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Load into an unfused model, then call Fuse(); nothing was loaded.", error.Message, StringComparison.Ordinal);
        StateDicts.AssertEqual(before, model);
    }

    [Theory]
    [InlineData(".pt")]
    [InlineData(".safetensors")]
    public void A_disposed_model_is_not_saved_and_the_previous_checkpoint_stays(string extension)
    {
        var model = new TinySeNet();
        string path = directory.File("tiny" + extension);
        Weights.Save(model, path);
        byte[] previous = File.ReadAllBytes(path);

        model.Dispose();
        var error = Assert.Throws<ObjectDisposedException>(() => Weights.Save(model, path));

        Assert.StartsWith($"Cannot save TinySeNet to '{path}': the model has been disposed; nothing was written.", error.Message, StringComparison.Ordinal);
        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_model_with_a_disposed_block_is_not_saved_naming_it()
    {
        // A generated block keeps a native handle, which Dispose closes. (TorchSharp's own Linear, Conv2d and the
        // like do not: disposing one alone clears its parameters and leaves nothing to tell by; see docs/weights.md.)
        using var model = new SeResNet50();
        string path = directory.File("seresnet50.pt");
        model.named_modules().First(m => m.Item1 == "layer2.1").Item2.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => Weights.Save(model, path));

        Assert.StartsWith($"Cannot save SeResNet50 to '{path}': its submodule 'layer2.1' (ResNetBlock) has been disposed; nothing was written.", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Loading_into_a_disposed_model_is_refused_by_name()
    {
        using var source = new TinySeNet();
        string path = directory.File("tiny.pt");
        Weights.Save(source, path);
        var model = new TinySeNet();
        model.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => Weights.Load(model, path));

        Assert.StartsWith($"Cannot load '{path}' into TinySeNet: the model has been disposed; nothing was loaded.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_named_as_a_directory()
    {
        using var model = new TinySeNet();
        string path = directory.File("weights.pt");
        Directory.CreateDirectory(path);

        var error = Assert.Throws<IOException>(() => Weights.Load(model, path));

        Assert.IsNotType<FileNotFoundException>(error);
        Assert.Equal($"Weights file '{path}' is a directory, not a file: name a .safetensors, .pt, .pth or .bin file.", error.Message);
    }

    [Fact]
    public void The_report_prints_its_counts_and_every_key_that_did_not_load()
    {
        using var source = new TinySeNet();
        string path = directory.File("tiny.pt");
        Weights.Save(source, path);
        using var model = new FlatHeadLike();

        var report = Weights.Load(model, path, strict: false);

        Assert.Equal(
            $"FlatHeadLike from '{path}': 1 of 3 keys loaded (0 converted); 1 missing, 16 unexpected, 1 mismatched, 0 kept.\n" +
            "Missing from the file (model's shape):\n  extra.weight [2] Float32\n" +
            "Unexpected in the file (file's shape):\n" +
            string.Join("\n", source.state_dict().Where(e => !e.Key.StartsWith("fc.", StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => $"  {e.Key} {TensorEntry.FormatShape(e.Value.shape)} {e.Value.dtype}")) + "\n" +
            "Shape or dtype differs:\n  fc.bias: model [3] Float32, file [10] Float32",
            report.ToString());
        Assert.Equal(new[] { "fc.weight" }, report.Loaded);
    }

    [Fact]
    public void Options_and_key_maps_print_what_they_do()
    {
        var options = new WeightsLoadOptions
        {
            Format = WeightsFormat.PyTorch,
            Strict = false,
            Entry = "state_dict",
            KeyMap = WeightsKeyMap.StripPrefix("module.").ThenRenamePrefix("classifier.", "fc.").ThenRenameKey("head.w", "fc.weight"),
            ConvertDTypes = true,
        };

        Assert.Equal(
            "format PyTorch, not strict, entry 'state_dict', keys prefix 'module.' -> '', prefix 'classifier.' -> 'fc.', key 'head.w' -> 'fc.weight', convert dtypes",
            options.ToString());
        Assert.Equal("format from the extension, strict", new WeightsLoadOptions().ToString());
        Assert.Equal("identity", WeightsKeyMap.Identity.ToString());
        Assert.Equal("fc.weight", options.KeyMap.Map("module.classifier.weight"));
        Assert.Equal("fc.weight", options.KeyMap.Map("head.w"));
        Assert.Equal("head.w2", options.KeyMap.Map("head.w2"));
        Assert.Equal("layer1.0.conv1.weight", options.KeyMap.Map("module.layer1.0.conv1.weight"));
    }

    [Fact]
    public void Summary_rows_print_their_values()
    {
        var row = new LayerSummary("conv1", "Conv2d", new long[] { 32, 32, 32 }, 864, 884736);
        var measured = new MeasuredLayer(row, new long[] { 32, 16, 16 }, 864);

        Assert.Equal("conv1 Conv2d [32, 32, 32]: 864 parameters, 884,736 multiply-adds", row.ToString());
        Assert.Equal("conv1 Conv2d: measured [32, 16, 16], 864 parameters; compiled [32, 32, 32], 864 parameters: differs", measured.ToString());
        Assert.Equal("conv1 Conv2d: measured [32, 32, 32], 864 parameters; compiled [32, 32, 32], 864 parameters: matches",
            (measured with { OutputShape = new long[] { 32, 32, 32 } }).ToString());
    }

    /// <summary>A module that shares one key with TinySeNet (fc.weight), differs in another (fc.bias) and has one of its own.</summary>
    private sealed class FlatHeadLike : nn.Module
    {
        public FlatHeadLike()
            : base(nameof(FlatHeadLike))
        {
            register_module("fc", new Head());
            register_module("extra", new Extra());
        }

        private sealed class Head : nn.Module
        {
            public Head()
                : base("Head")
            {
                register_parameter("weight", new TorchSharp.Modules.Parameter(zeros(10, 64)));
                register_parameter("bias", new TorchSharp.Modules.Parameter(zeros(3)));
            }
        }

        private sealed class Extra : nn.Module
        {
            public Extra()
                : base("Extra")
            {
                register_parameter("weight", new TorchSharp.Modules.Parameter(zeros(2)));
            }
        }
    }
}
