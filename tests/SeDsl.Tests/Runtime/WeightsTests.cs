using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SeDsl.Zoo;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>Weights in PyTorch's formats: round trips, named mismatch reports, and files that cannot be read.</summary>
public sealed class WeightsTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    public static TheoryData<string> Extensions => new() { ".safetensors", ".pt" };

    [Theory]
    [InlineData(nameof(TinySeNet), ".safetensors", 32)]
    [InlineData(nameof(TinySeNet), ".pt", 32)]
    [InlineData(nameof(SeResNet50), ".safetensors", 64)]
    [InlineData(nameof(SeResNet50), ".pth", 64)]
    public void Saved_weights_load_into_a_fresh_model_with_identical_outputs(string name, string extension, int size)
    {
        using var trained = Create(name);
        StateDicts.RandomiseBuffers(trained, seed: 1);
        using var fresh = Create(name);
        trained.eval();
        fresh.eval();
        manual_seed(2);
        using var input = randn(2, 3, size, size);
        string path = directory.File(name + extension);
        using var _ = no_grad();
        using var expected = trained.forward(input);
        using (var before = fresh.forward(input))
        {
            Assert.False(StateDicts.Identical(before, expected), "two freshly initialised models should differ");
        }

        Weights.Save(trained, path);
        WeightsLoadReport report = Weights.Load(fresh, path);

        using var actual = fresh.forward(input);
        Assert.True(StateDicts.Identical(actual, expected), $"{name}: outputs differ after a {extension} round trip");
        Assert.True(report.IsExactMatch);
        Assert.Equal(trained.state_dict().Keys, report.Loaded);
        StateDicts.AssertEqual(trained.state_dict(), fresh);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Files_keep_the_timm_key_names_shapes_and_dtypes(string extension)
    {
        using var model = new SeResNet50();
        string path = directory.File("seresnet50" + extension);

        Weights.Save(model, path);
        var file = Weights.Read(path);

        try
        {
            Assert.Equal(model.state_dict().Keys.Order(), file.Keys.Order());
            Assert.Equal(new long[] { 16, 256, 1, 1 }, file["layer1.0.se.fc1.weight"].shape);
            Assert.Equal(ScalarType.Int64, file["layer1.0.bn1.num_batches_tracked"].dtype);
            Assert.Empty(file["layer1.0.bn1.num_batches_tracked"].shape);
        }
        finally
        {
            foreach (var tensor in file.Values)
            {
                tensor.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("a.safetensors", WeightsFormat.Safetensors)]
    [InlineData("dir.v1/B.SafeTensors", WeightsFormat.Safetensors)]
    [InlineData("a.pt", WeightsFormat.PyTorch)]
    [InlineData("a.pth", WeightsFormat.PyTorch)]
    [InlineData("pytorch_model.bin", WeightsFormat.PyTorch)]
    public void The_format_follows_the_extension(string path, WeightsFormat format) =>
        Assert.Equal(format, Weights.FormatOf(path));

    [Fact]
    public void An_unknown_extension_is_refused_naming_the_file()
    {
        var error = Assert.Throws<ArgumentException>(() => Weights.FormatOf("model.ckpt"));

        Assert.Contains("'model.ckpt'", error.Message, StringComparison.Ordinal);
        Assert.Contains(".safetensors, .pt, .pth or .bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_format_overrides_the_extension()
    {
        using var model = new TinySeNet();
        string path = directory.File("weights.ckpt");

        Weights.Save(model, path, WeightsFormat.Safetensors);
        using var fresh = new TinySeNet();
        Weights.Load(fresh, path, WeightsFormat.Safetensors);

        StateDicts.AssertEqual(model.state_dict(), fresh);
        var error = Assert.Throws<WeightsFileException>(() => Weights.Load(fresh, path, WeightsFormat.PyTorch));
        Assert.Contains("not a zip archive", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Weights_of_another_model_are_refused_listing_every_key_and_the_model_is_untouched(string extension)
    {
        using var tiny = new TinySeNet();
        string path = directory.File("tiny" + extension);
        Weights.Save(tiny, path);
        using var model = new SeResNet50();
        var before = StateDicts.Snapshot(model);

        var error = Assert.Throws<WeightsMismatchException>(() => Weights.Load(model, path));

        StateDicts.AssertEqual(before, model);
        Assert.Equal("SeResNet50", error.ModelType);
        Assert.Equal(path, error.Path);
        Assert.StartsWith($"Weights in '{path}' do not fit SeResNet50:", error.Message, StringComparison.Ordinal);
        // Every SE-ResNet-50 key that TinySeNet lacks is listed with the model's shape...
        var tinyKeys = tiny.state_dict().Keys.ToHashSet();
        var absent = model.state_dict().Keys.Where(k => !tinyKeys.Contains(k)).ToList();
        Assert.Equal(absent.Where(k => !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)), error.Missing.Select(m => m.Key));
        Assert.Equal(absent.Where(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)), error.Report.Kept.Select(m => m.Key));
        Assert.Contains(new TensorEntry("layer1.0.se.fc1.weight", new long[] { 16, 256, 1, 1 }, ScalarType.Float32).ToString(), error.Message, StringComparison.Ordinal);
        // ... every TinySeNet key that SE-ResNet-50 lacks with the file's shape ...
        Assert.Equal(new[] { "conv2.weight", "se.fc1.bias", "se.fc1.weight", "se.fc2.bias", "se.fc2.weight" },
            error.Unexpected.Where(u => !u.Key.StartsWith("bn2.", StringComparison.Ordinal)).Select(u => u.Key));
        Assert.Contains("se.fc1.weight [4, 64, 1, 1] Float32", error.Message, StringComparison.Ordinal);
        // ... and the shared names with both shapes.
        var conv1 = Assert.Single(error.ShapeMismatches, m => m.Key == "conv1.weight");
        Assert.Equal(new long[] { 64, 3, 7, 7 }, conv1.Expected.Shape);
        Assert.Equal(new long[] { 32, 3, 3, 3 }, conv1.Found.Shape);
        Assert.Contains("conv1.weight: model [64, 3, 7, 7] Float32, file [32, 3, 3, 3] Float32", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.weight", "conv1.weight", "fc.bias", "fc.weight" },
            error.ShapeMismatches.Select(m => m.Key).Order(StringComparer.Ordinal));
        Assert.Empty(error.DTypeMismatches);
        Assert.Empty(error.Report.Loaded);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Mismatched_shapes_and_dtypes_are_each_reported_and_nothing_is_loaded(string extension)
    {
        using var model = new TinySeNet();
        string path = WriteAltered(model, extension);
        using var target = new TinySeNet();
        var before = StateDicts.Snapshot(target);

        var error = Assert.Throws<WeightsMismatchException>(() => Weights.Load(target, path));

        StateDicts.AssertEqual(before, target);
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, error.ShapeMismatches.Select(m => m.Key));
        Assert.Equal(new long[] { 5, 64 }, error.ShapeMismatches[0].Found.Shape);
        var dtype = Assert.Single(error.DTypeMismatches);
        Assert.Equal(("conv1.weight", ScalarType.Float32, ScalarType.Float64), (dtype.Key, dtype.Expected.DType, dtype.Found.DType));
        Assert.Equal(new[] { "se.fc2.bias" }, error.Missing.Select(m => m.Key));
        Assert.Equal(new[] { "head.extra" }, error.Unexpected.Select(m => m.Key));
        Assert.Contains("TinySeNet", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 missing, 1 unexpected, 2 with another shape, 1 with another dtype; nothing was loaded.", error.Message, StringComparison.Ordinal);
        Assert.Contains("fc.weight: model [10, 64] Float32, file [5, 64] Float32", error.Message, StringComparison.Ordinal);
        Assert.Contains("conv1.weight: model [32, 3, 3, 3] Float32, file [32, 3, 3, 3] Float64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Files_without_batch_norm_counters_load_strictly_and_the_counters_are_kept(string extension)
    {
        // As in PyTorch, whose strict load_state_dict tolerates files that lack num_batches_tracked.
        using var source = new TinySeNet();
        StateDicts.RandomiseBuffers(source, seed: 4);
        string path = directory.File("no-counters" + extension);
        WriteState(source, path, state =>
        {
            state.Remove("bn1.num_batches_tracked");
            state.Remove("bn2.num_batches_tracked");
        });
        using var target = new TinySeNet();
        var before = StateDicts.Snapshot(target);

        WeightsLoadReport report = Weights.Load(target, path);

        Assert.True(report.IsExactMatch);
        Assert.Empty(report.Missing);
        Assert.Equal(new[] { "bn1.num_batches_tracked", "bn2.num_batches_tracked" }, report.Kept.Select(k => k.Key));
        var state = target.state_dict();
        foreach (var (key, tensor) in source.state_dict())
        {
            var expected = key.EndsWith("num_batches_tracked", StringComparison.Ordinal) ? before[key] : tensor;
            Assert.True(StateDicts.Identical(expected, state[key]), $"'{key}' holds the wrong values");
        }
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Non_strict_loading_copies_what_fits_and_reports_the_rest(string extension)
    {
        using var source = new TinySeNet();
        StateDicts.RandomiseBuffers(source, seed: 3);
        string path = WriteAltered(source, extension);
        using var target = new TinySeNet();
        var before = StateDicts.Snapshot(target);

        WeightsLoadReport report = Weights.Load(target, path, strict: false);

        var skipped = new HashSet<string> { "fc.weight", "fc.bias", "conv1.weight", "se.fc2.bias" };
        Assert.False(report.IsExactMatch);
        Assert.Equal(source.state_dict().Keys.Where(k => !skipped.Contains(k)), report.Loaded);
        Assert.Equal(new[] { "conv1.weight", "fc.weight", "fc.bias" }, report.Mismatched.Select(m => m.Key));
        var state = target.state_dict();
        foreach (var (key, tensor) in source.state_dict())
        {
            var expected = skipped.Contains(key) ? before[key] : tensor;
            Assert.True(StateDicts.Identical(expected, state[key]), $"'{key}' holds the wrong values");
        }
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Compare_reports_without_loading(string extension)
    {
        using var source = new TinySeNet();
        string path = WriteAltered(source, extension);
        using var target = new TinySeNet();
        var before = StateDicts.Snapshot(target);

        WeightsLoadReport report = Weights.Compare(target, path);

        StateDicts.AssertEqual(before, target);
        Assert.Equal(3, report.Mismatched.Count);
        Assert.Equal("TinySeNet", report.ModelType);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Truncated_files_are_refused_naming_the_file_and_the_model_is_untouched(string extension)
    {
        using var source = new TinySeNet();
        string path = directory.File("tiny" + extension);
        Weights.Save(source, path);
        byte[] bytes = File.ReadAllBytes(path);
        using var target = new TinySeNet();
        var before = StateDicts.Snapshot(target);

        foreach (int length in new[] { 0, 3, 7, 100, bytes.Length / 2, bytes.Length - 1 })
        {
            string truncated = directory.File($"truncated-{length}{extension}");
            File.WriteAllBytes(truncated, bytes[..length]);

            var error = Assert.Throws<WeightsFileException>(() => Weights.Load(target, truncated));

            Assert.StartsWith($"Cannot read weights from '{truncated}' as {Weights.FormatOf(path)}:", error.Message, StringComparison.Ordinal);
            Assert.Equal(truncated, error.Path);
            StateDicts.AssertEqual(before, target);
        }
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void Corrupt_and_foreign_files_are_refused_naming_the_file_and_the_model_is_untouched(string extension)
    {
        using var source = new TinySeNet();
        string path = directory.File("tiny" + extension);
        Weights.Save(source, path);
        byte[] corrupt = File.ReadAllBytes(path);
        for (int i = 0; i < 16; i++)
        {
            corrupt[i] ^= 0x5A;
        }

        string corruptPath = directory.File("corrupt" + extension);
        File.WriteAllBytes(corruptPath, corrupt);
        string textPath = directory.File("notes" + extension);
        File.WriteAllText(textPath, "These are not weights, just a text file with a misleading name.\n");
        using var target = new TinySeNet();
        var before = StateDicts.Snapshot(target);

        foreach (string file in new[] { corruptPath, textPath })
        {
            var error = Assert.Throws<WeightsFileException>(() => Weights.Load(target, file));

            Assert.StartsWith($"Cannot read weights from '{file}'", error.Message, StringComparison.Ordinal);
            StateDicts.AssertEqual(before, target);
        }
    }

    [Fact]
    public void A_safetensors_file_with_a_damaged_header_is_refused()
    {
        using var source = new TinySeNet();
        string path = directory.File("tiny.safetensors");
        Weights.Save(source, path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = (byte)'x';     // the JSON header's opening brace
        File.WriteAllBytes(path, bytes);
        using var target = new TinySeNet();
        var before = StateDicts.Snapshot(target);

        var error = Assert.Throws<WeightsFileException>(() => Weights.Load(target, path));

        Assert.Contains("truncated or corrupt", error.Message, StringComparison.Ordinal);
        StateDicts.AssertEqual(before, target);
    }

    [Fact]
    public void A_missing_file_is_reported_by_name()
    {
        using var model = new TinySeNet();
        string path = directory.File("absent.safetensors");

        var error = Assert.Throws<FileNotFoundException>(() => Weights.Load(model, path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pickled_dictionary_that_is_not_a_state_dict_is_refused()
    {
        string path = directory.File("checkpoint.pt");
        using (var stream = File.Create(path))
        {
            var inner = new System.Collections.Hashtable { ["epoch"] = 3 };
            PyTorchPickler.PickleStateDict(stream, new System.Collections.Hashtable { ["model"] = inner });
        }

        using var model = new TinySeNet();
        var error = Assert.ThrowsAny<IOException>(() => Weights.Load(model, path));

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Writes the model's state with four faults, straight through PyBridge: <c>fc</c> reshaped to 5 classes,
    /// <c>conv1.weight</c> as float64, <c>se.fc2.bias</c> left out and an extra key <c>head.extra</c>.
    /// </summary>
    private string WriteAltered(nn.Module model, string extension)
    {
        string path = directory.File("altered" + extension);
        WriteState(model, path, state =>
        {
            state["fc.weight"] = state["fc.weight"][..5];
            state["fc.bias"] = state["fc.bias"][..5];
            state["conv1.weight"] = state["conv1.weight"].to(ScalarType.Float64);
            state.Remove("se.fc2.bias");
            state["head.extra"] = ones(3);
        });
        return path;
    }

    /// <summary>Writes a copy of the model's state, changed by <paramref name="alter"/>, with PyBridge's writers directly.</summary>
    private static void WriteState(nn.Module model, string path, Action<Dictionary<string, Tensor>> alter)
    {
        using var scope = NewDisposeScope();
        var state = model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
        alter(state);
        foreach (var key in state.Keys.ToList())
        {
            state[key] = state[key].contiguous();
        }

        using var stream = File.Create(path);
        if (Weights.FormatOf(path) == WeightsFormat.Safetensors)
        {
            Safetensors.SaveStateDict(stream, state);
        }
        else
        {
            PyTorchPickler.PickleStateDict(stream, state);
        }
    }

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        nameof(TinySeNet) => new TinySeNet(),
        nameof(SeResNet50) => new SeResNet50(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
