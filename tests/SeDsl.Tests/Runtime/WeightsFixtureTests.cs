using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SeDsl.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// Files written by PyTorch 1.13's own torch.save (tests/scripts/make_weight_fixtures.py, committed under
/// Fixtures/Weights) load into the zoo's TinySeNet with every value as PyTorch had it: plain state_dicts,
/// channels_last and transposed tensors, views into one storage, tied tensors, dicts of Parameters, nested
/// checkpoints, DataParallel prefixes, renamed modules and other floating-point types.
/// </summary>
public sealed class WeightsFixtureTests : IDisposable
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Weights");
    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json"))).RootElement);

    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var fixture in Manifest.Value.GetProperty("fixtures").EnumerateArray())
        {
            data.Add(fixture.GetProperty("file").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_fixture_loads_strictly_with_PyTorchs_values(string file)
    {
        var (options, convertedDType) = OptionsOf(Fixture(file));
        using var model = new TinySeNet();

        WeightsLoadReport report = Weights.Load(model, Path.Combine(Folder, file), options);

        Assert.True(report.IsExactMatch, report.ToString());
        Assert.Empty(report.Kept);
        var reference = Reference();
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), report.Loaded.Order(StringComparer.Ordinal));
        var state = model.state_dict();
        foreach (var (key, expected) in reference)
        {
            Assert.True(StateDicts.Identical(expected, state[key]), $"{file}: '{key}' differs from PyTorch's values");
        }

        // Conversions are reported key by key: every floating tensor, from the file's dtype to the model's.
        var floating = reference.Where(e => e.Value.dtype == ScalarType.Float32).Select(e => e.Key).Order(StringComparer.Ordinal);
        if (convertedDType is { } dtype)
        {
            Assert.Equal(floating, report.Converted.Select(c => c.Key).Order(StringComparer.Ordinal));
            Assert.All(report.Converted, c => Assert.Equal((ScalarType.Float32, dtype), (c.Expected.DType, c.Found.DType)));
        }
        else
        {
            Assert.Empty(report.Converted);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Keys_are_read_in_the_order_the_file_lists_them(string file)
    {
        var fixture = Fixture(file);
        var (options, _) = OptionsOf(fixture);
        var tensors = Weights.Read(Path.Combine(Folder, file), options with { KeyMap = WeightsKeyMap.Identity });
        try
        {
            var expected = fixture.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!);
            Assert.Equal(expected, tensors.Keys);
            Assert.All(tensors.Values, t => Assert.True(t.is_contiguous()));
        }
        finally
        {
            DisposeAll(tensors.Values);
        }
    }

    [Fact]
    public void The_fixtures_hold_what_they_claim()
    {
        // Guards the generator script: each special case is really in its file, as torch.load read it back.
        Assert.False(Fixture("channels_last.pt").GetProperty("all_contiguous").GetBoolean());
        Assert.False(Fixture("column_major.pt").GetProperty("all_contiguous").GetBoolean());
        Assert.True(Fixture("views.pt").GetProperty("any_storage_offset").GetBoolean());
        Assert.False(Fixture("views.pt").GetProperty("all_contiguous").GetBoolean());
        Assert.Equal("OrderedDict", Fixture("state_dict.pt").GetProperty("container").GetString());
        Assert.Equal("dict", Fixture("parameters.pt").GetProperty("container").GetString());
        Assert.All(Fixture("data_parallel.pt").GetProperty("keys").EnumerateArray(), k => Assert.StartsWith("module.", k.GetString(), StringComparison.Ordinal));
        foreach (string file in Directory.GetFiles(Folder))
        {
            Assert.True(new FileInfo(file).Length < 256 * 1024, $"{file} is too large to commit");
        }
    }

    [Fact]
    public void The_loaded_model_computes_PyTorchs_output()
    {
        using var model = new TinySeNet();
        Weights.Load(model, Path.Combine(Folder, "state_dict.pt"));
        model.eval();
        using var _ = no_grad();
        // ((i mod 17) - 8) / 8 over the flat index, as the script builds it.
        using var input = arange(2 * 3 * 32 * 32).remainder(17).sub(8).div(8.0).to(ScalarType.Float32).reshape(2, 3, 32, 32);

        using var output = model.forward(input);

        var expected = Manifest.Value.GetProperty("output").EnumerateArray()
            .SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        var actual = output.data<float>().ToArray();
        float scale = expected.Max(Math.Abs);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * scale, $"output {i}: PyTorch {expected[i]}, TinySeNet {actual[i]}");
        }
    }

    [Fact]
    public void Saved_files_list_the_keys_in_PyTorchs_state_dict_order()
    {
        using var model = new TinySeNet();
        string path = directory.File("tiny.pt");
        var pytorch = Manifest.Value.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("key").GetString()!).ToList();
        // TorchSharp lists all parameters first; PyTorch interleaves them with the buffers module by module.
        Assert.NotEqual(pytorch, model.state_dict().Keys);

        Weights.Save(model, path);
        var tensors = Weights.Read(path);

        try
        {
            Assert.Equal(pytorch, tensors.Keys);
        }
        finally
        {
            DisposeAll(tensors.Values);
        }
    }

    [Fact]
    public void A_checkpoint_without_an_entry_is_refused_naming_its_entries()
    {
        string path = Path.Combine(Folder, "checkpoint_state_dict.pt");
        using var model = new TinySeNet();
        var before = StateDicts.Snapshot(model);

        var error = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path));

        Assert.StartsWith($"Cannot read weights from '{path}' as PyTorch: entry 'epoch' is an int, not a tensor: it is a checkpoint dictionary (", error.Message, StringComparison.Ordinal);
        Assert.Contains("'state_dict' (an OrderedDict of 18 tensors)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'optimizer' (a dict of 2 entries)", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("say which with WeightsLoadOptions { Entry = \"state_dict\" }.", error.Message, StringComparison.Ordinal);
        StateDicts.AssertEqual(before, model);
    }

    [Fact]
    public void An_entry_the_checkpoint_lacks_or_that_is_no_state_dict_is_refused()
    {
        string path = Path.Combine(Folder, "checkpoint_state_dict.pt");
        using var model = new TinySeNet();

        var absent = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path, new WeightsLoadOptions { Entry = "model" }));
        var scalar = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path, new WeightsLoadOptions { Entry = "epoch" }));
        var optimizer = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path, new WeightsLoadOptions { Entry = "optimizer" }));

        Assert.Contains("it has no entry 'model'; its entries are 'epoch' (an int), 'state_dict'", absent.Message, StringComparison.Ordinal);
        Assert.Contains("its entry 'epoch' is an int, not a state_dict.", scalar.Message, StringComparison.Ordinal);
        Assert.Contains("entry 'state' is a dict of", optimizer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_DataParallel_file_without_the_key_map_lists_every_key_as_unexpected()
    {
        using var model = new TinySeNet();

        var error = Assert.Throws<WeightsMismatchException>(() => Weights.Load(model, Path.Combine(Folder, "data_parallel.pt")));

        Assert.Equal(18, error.Unexpected.Count);
        Assert.All(error.Unexpected, u => Assert.StartsWith("module.", u.Key, StringComparison.Ordinal));
        Assert.Equal(16, error.Missing.Count);      // the two batch-norm counters are kept, not missing
    }

    [Theory]
    [InlineData("float16.pt", ScalarType.Float16)]
    [InlineData("bfloat16.pt", ScalarType.BFloat16)]
    [InlineData("float64.pt", ScalarType.Float64)]
    public void Another_floating_point_type_is_a_mismatch_unless_conversion_is_asked_for(string file, ScalarType dtype)
    {
        using var model = new TinySeNet();
        var before = StateDicts.Snapshot(model);

        var error = Assert.Throws<WeightsMismatchException>(() => Weights.Load(model, Path.Combine(Folder, file)));

        Assert.Equal(16, error.DTypeMismatches.Count);
        Assert.All(error.DTypeMismatches, m => Assert.Equal(dtype, m.Found.DType));
        Assert.Empty(error.ShapeMismatches);
        Assert.Empty(error.Report.Converted);
        StateDicts.AssertEqual(before, model);
    }

    [Fact]
    public void Conversion_never_turns_an_integer_tensor_into_a_float()
    {
        // The batch-norm counters are int64 in every file; a model whose counter is float32 is not filled from them.
        string path = directory.File("counter.pt");
        using (var source = new TinySeNet())
        {
            Weights.Save(source, path);
        }

        using var floatCounter = new FloatCounterNet();
        var report = Weights.Compare(floatCounter, path, new WeightsLoadOptions { ConvertDTypes = true, KeyMap = WeightsKeyMap.RenamePrefix("bn1.", "bn.") });

        var mismatch = Assert.Single(report.Mismatched);
        Assert.Equal(("bn.num_batches_tracked", ScalarType.Float32, ScalarType.Int64), (mismatch.Key, mismatch.Expected.DType, mismatch.Found.DType));
    }

    [Fact]
    public void A_whole_pickled_model_is_refused_saying_what_it_holds()
    {
        string path = Path.Combine(Folder, "whole_model.pt");
        Assert.Equal("whole_model.pt", Manifest.Value.GetProperty("refused")[0].GetProperty("file").GetString());
        using var model = new TinySeNet();

        var error = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path));

        Assert.Equal($"Cannot read weights from '{path}' as PyTorch: it holds a pickled __main__.TinySeNet object, not a state_dict: " +
            "torch.save(model) pickles the whole model with its class; save model.state_dict() instead.", error.Message);
    }

    [Fact]
    public void A_big_endian_file_is_refused()
    {
        string path = directory.File("big-endian.pt");
        File.Copy(Path.Combine(Folder, "state_dict.pt"), path);
        using (var archive = new System.IO.Compression.ZipArchive(File.Open(path, FileMode.Open), System.IO.Compression.ZipArchiveMode.Update))
        using (var writer = new StreamWriter(archive.CreateEntry("state_dict/byteorder").Open()))
        {
            writer.Write("big");
        }

        using var model = new TinySeNet();

        var error = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path));

        Assert.Contains("its tensors are stored big-endian; only little-endian files are read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_map_that_maps_two_keys_to_one_is_refused_naming_both()
    {
        string path = Path.Combine(Folder, "state_dict.pt");
        using var model = new TinySeNet();
        var map = WeightsKeyMap.RenamePrefix("bn1.", "bn2.");

        var error = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path, new WeightsLoadOptions { KeyMap = map }));

        Assert.Contains("the key map (prefix 'bn1.' -> 'bn2.') maps both 'bn1.weight' and 'bn2.weight' to 'bn2.weight'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixture_with_a_damaged_tensor_record_is_refused_naming_the_record()
    {
        // views.pt's one big storage, cut short: the archive is intact, the record too small for its storage.
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, "views.pt"));
        string path = directory.File("short-record.pt");
        using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(bytes), System.IO.Compression.ZipArchiveMode.Read))
        using (var output = new System.IO.Compression.ZipArchive(File.Create(path), System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var entry in archive.Entries)
            {
                using var source = entry.Open();
                using var target = output.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.NoCompression).Open();
                var content = new MemoryStream();
                source.CopyTo(content);
                target.Write(content.ToArray(), 0, entry.FullName.EndsWith("data/0", StringComparison.Ordinal) ? 1000 : (int)content.Length);
            }
        }

        using var model = new TinySeNet();
        var before = StateDicts.Snapshot(model);

        var error = Assert.Throws<WeightsFileException>(() => Weights.Load(model, path));

        Assert.Contains("the record data/0 of 'conv1.weight' has 1000 bytes, but a FloatStorage of 20979 elements needs 83916", error.Message, StringComparison.Ordinal);
        StateDicts.AssertEqual(before, model);
    }

    [Fact]
    public void A_file_saved_by_SeDsl_reads_back_with_the_same_values_and_layout_as_PyTorchs()
    {
        using var model = new TinySeNet();
        Weights.Load(model, Path.Combine(Folder, "channels_last.pt"));
        string path = directory.File("resaved.pt");

        Weights.Save(model, path);
        using var again = new TinySeNet();
        Weights.Load(again, path);

        foreach (var (key, expected) in Reference())
        {
            Assert.True(StateDicts.Identical(expected, again.state_dict()[key]), $"'{key}' changed in a save and load");
        }
    }

    [Fact]
    public void Damaged_pickles_are_refused_with_a_named_error_and_never_crash_the_reader()
    {
        // 300 copies of state_dict.pt, each with 1-4 random bytes of data.pkl changed (the archive itself intact).
        byte[] original = File.ReadAllBytes(Path.Combine(Folder, "state_dict.pt"));
        byte[] pickle = Entry(original, "state_dict/data.pkl");
        var random = new Random(15);
        int refused = 0;
        for (int i = 0; i < 300; i++)
        {
            byte[] damaged = (byte[])pickle.Clone();
            for (int j = random.Next(1, 5); j > 0; j--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            string path = directory.File($"damaged-{i}.pt");
            File.WriteAllBytes(path, Replace(original, "state_dict/data.pkl", damaged));
            using var model = new TinySeNet();
            try
            {
                Weights.Load(model, path);
            }
            catch (Exception e) when (e is WeightsFileException or WeightsMismatchException)
            {
                Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
                refused++;
            }
        }

        // Some changes fall where they change nothing the reader uses (a memo index, an unused flag); most do not.
        Assert.True(refused > 150, $"only {refused} of 300 damaged pickles were refused");
    }

    [Fact]
    public void Key_maps_and_conversion_apply_to_safetensors_files_too()
    {
        // A float64 model wrapped as DataParallel would wrap it ("module." before every key), saved as safetensors.
        using var source = new Wrapper(new TinySeNet());
        StateDicts.RandomiseBuffers(source, seed: 8);
        source.to(ScalarType.Float64);
        string path = directory.File("wrapped.safetensors");
        Weights.Save(source, path);
        using var model = new TinySeNet();

        var report = Weights.Load(model, path, new WeightsLoadOptions { KeyMap = WeightsKeyMap.StripPrefix("module."), ConvertDTypes = true });

        Assert.True(report.IsExactMatch, report.ToString());
        Assert.Equal(16, report.Converted.Count);
        var state = model.state_dict();
        foreach (var (key, tensor) in source.state_dict())
        {
            using var expected = tensor.dtype == ScalarType.Float64 ? tensor.to(ScalarType.Float32) : tensor.clone();
            Assert.True(StateDicts.Identical(expected, state[key["module.".Length..]]), $"'{key}' differs");
        }

        var error = Assert.Throws<ArgumentException>(() => Weights.Load(model, path, new WeightsLoadOptions { Entry = "state_dict" }));
        Assert.StartsWith($"'{path}' is a safetensors file, which holds one flat dictionary of tensors: it has no entry 'state_dict' to read", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Entry(byte[] zip, string name)
    {
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip), System.IO.Compression.ZipArchiveMode.Read);
        using var stream = archive.GetEntry(name)!.Open();
        var content = new MemoryStream();
        stream.CopyTo(content);
        return content.ToArray();
    }

    private static byte[] Replace(byte[] zip, string name, byte[] content)
    {
        var output = new MemoryStream();
        using (var source = new System.IO.Compression.ZipArchive(new MemoryStream(zip), System.IO.Compression.ZipArchiveMode.Read))
        using (var target = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var write = target.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.NoCompression).Open();
                if (entry.FullName == name)
                {
                    write.Write(content);
                }
                else
                {
                    using var read = entry.Open();
                    read.CopyTo(write);
                }
            }
        }

        return output.ToArray();
    }

    private static JsonElement Fixture(string file) =>
        Manifest.Value.GetProperty("fixtures").EnumerateArray().Single(f => f.GetProperty("file").GetString() == file);

    /// <summary>The load options the manifest asks for, and the file's floating-point dtype when it asks for conversion.</summary>
    private static (WeightsLoadOptions Options, ScalarType? Converted) OptionsOf(JsonElement fixture)
    {
        var options = new WeightsLoadOptions();
        ScalarType? converted = null;
        foreach (var option in fixture.GetProperty("options").EnumerateObject())
        {
            switch (option.Name)
            {
                case "entry":
                    options = options with { Entry = option.Value.GetString() };
                    break;
                case "strip_prefix":
                    options = options with { KeyMap = options.KeyMap.ThenStripPrefix(option.Value.GetString()!) };
                    break;
                case "rename_prefix":
                    foreach (var rename in option.Value.EnumerateObject())
                    {
                        options = options with { KeyMap = options.KeyMap.ThenRenamePrefix(rename.Name, rename.Value.GetString()!) };
                    }

                    break;
                case "convert":
                    options = options with { ConvertDTypes = true };
                    converted = option.Value.GetString() switch
                    {
                        "float16" => ScalarType.Float16,
                        "bfloat16" => ScalarType.BFloat16,
                        "float64" => ScalarType.Float64,
                        var other => throw new InvalidDataException($"manifest: unknown dtype {other}"),
                    };
                    break;
                default:
                    throw new InvalidDataException($"manifest: unknown option {option.Name}");
            }
        }

        return (options, converted);
    }

    /// <summary>The values PyTorch held, from reference.bin (raw little-endian), read without any pickle or zip code.</summary>
    private static Dictionary<string, Tensor> Reference()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, "reference.bin"));
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in Manifest.Value.GetProperty("keys").EnumerateArray())
        {
            string key = entry.GetProperty("key").GetString()!;
            long[] shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var data = new ArraySegment<byte>(bytes, entry.GetProperty("offset").GetInt32(), entry.GetProperty("bytes").GetInt32());
            result[key] = entry.GetProperty("dtype").GetString() switch
            {
                "float32" => tensor(Enumerable.Range(0, data.Count / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(4 * i))).ToArray()).reshape(shape),
                "int64" => tensor(Enumerable.Range(0, data.Count / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8 * i))).ToArray()).reshape(shape),
                var other => throw new InvalidDataException($"manifest: unknown dtype {other}"),
            };
        }

        return result;
    }

    private static void DisposeAll(IEnumerable<Tensor> tensors)
    {
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }

    /// <summary>Holds a module under the name <c>module</c>, as nn.DataParallel does.</summary>
    private sealed class Wrapper : nn.Module
    {
        public Wrapper(nn.Module inner)
            : base(nameof(Wrapper)) => register_module("module", inner);
    }

    /// <summary>A batch norm whose counter is a float32 buffer, to meet the file's int64 counter.</summary>
    private sealed class FloatCounterNet : nn.Module
    {
        public FloatCounterNet()
            : base(nameof(FloatCounterNet))
        {
            register_module("bn", new CounterModule());
        }
    }

    private sealed class CounterModule : nn.Module
    {
        public CounterModule()
            : base(nameof(CounterModule))
        {
            register_buffer("num_batches_tracked", zeros(new long[0], ScalarType.Float32));
        }
    }
}
