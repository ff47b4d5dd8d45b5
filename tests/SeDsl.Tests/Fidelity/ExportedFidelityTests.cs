using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using SeDsl.Zoo;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeDsl.Tests.Fidelity;

/// <summary>What a round trip recorded: the torch.save file of the weights after one PyTorch SGD step, and the outputs then.</summary>
internal sealed record RoundTrip(string Weights, double Loss, float[] Output);

/// <summary>
/// What tests/scripts/pytorch_export_fixtures.py recorded from a zoo model's generated PyTorch export
/// (tests/SeDsl.Tests/Fidelity/Exported/NAME.json): keys, shapes and order, outputs on the formula's weights, and for a
/// few small models a round trip.
/// </summary>
internal sealed record ExportFixture(
    string Model,
    string TorchVersion,
    int FormulaVersion,
    long Parameters,
    long[] Input,
    string InputChecksum,
    long[] OutputShape,
    IReadOnlyList<FixtureEntry> StateDict,
    float[] Output,
    RoundTrip? RoundTrip)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static string Folder => Path.Combine(Generator.DiagnosticTests.RepositoryRoot(), "tests", "SeDsl.Tests", "Fidelity", "Exported");

    public static ExportFixture Load(string name)
    {
        string path = Path.Combine(Folder, name + ".json");
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<ExportFixture>(stream, Options) ?? throw new InvalidDataException($"{path} holds no fixture.");
    }
}

/// <summary>
/// Every zoo model's generated PyTorch export, run under PyTorch by the committed script, has the TorchSharp model's
/// state_dict keys, shapes and order and computes the same function on the same weights; for the round-trip models,
/// weights trained by PyTorch and written by torch.save load with <see cref="Weights.Load(nn.Module, string, WeightsFormat?, bool)"/>
/// and give PyTorch's outputs. No Python runs here.
/// </summary>
public class ExportedFidelityTests
{
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper output;

    public ExportedFidelityTests(ITestOutputHelper output) => this.output = output;

    public static TheoryData<string> Fixtures => new(Names("*.json"));

    public static TheoryData<string> RoundTrips => new(Names("*.pt"));

    private static string[] Names(string pattern) =>
        Directory.GetFiles(ExportFixture.Folder, pattern).Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal).ToArray();

    private static ZooModel Model(string name) => Catalogue.Models.Single(m => m.Name == name);

    private static string Describe(string key, IEnumerable<long> shape, string dtype) => $"{key} [{string.Join(", ", shape)}] {dtype}";

    private static string DtypeName(ScalarType dtype) => dtype == ScalarType.Int64 ? "int64" : dtype == ScalarType.Float32 ? "float32" : dtype.ToString();

    [Fact]
    public void Every_zoo_model_has_an_export_and_a_fixture()
    {
        Assert.All(Catalogue.Models, m => Assert.False(string.IsNullOrEmpty(PyTorchExports.For(m.Name)), $"{m.Name} has no row in PyTorchExports."));
        Assert.Equal(Catalogue.Models.Select(m => m.Name).Order(StringComparer.Ordinal), Names("*.json"));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Exported_state_dict_has_the_models_keys_shapes_and_order(string name)
    {
        var fixture = ExportFixture.Load(name);
        using var module = Model(name).Create();

        Assert.Equal(WeightFormula.Version, fixture.FormulaVersion);
        Assert.Equal(Model(name).Summary.Parameters, fixture.Parameters);
        var expected = fixture.StateDict.Select(e => Describe(e.Key, e.Shape, e.Dtype)).ToList();
        var actual = FidelityTests.PyTorchOrder(module).Select(e => Describe(e.Key, e.Tensor.shape, DtypeName(e.Tensor.dtype))).ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Outputs_equal_the_exports_on_formula_weights(string name)
    {
        var fixture = ExportFixture.Load(name);
        using var scope = NewDisposeScope();
        var input = WeightFormula.Input(fixture.Input);
        Assert.Equal(fixture.InputChecksum, WeightFormula.Checksum(input.data<float>().ToArray()).ToString(CultureInfo.InvariantCulture));
        using var module = Model(name).Create();
        WeightFormula.Fill(module);
        module.eval();

        Compare(name, "formula weights", module, input, fixture.Output, fixture.OutputShape);
    }

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Weights_trained_by_pytorch_load_and_give_its_outputs(string name)
    {
        var fixture = ExportFixture.Load(name);
        var trip = fixture.RoundTrip ?? throw new InvalidDataException($"{name}.json records no round trip.");
        using var scope = NewDisposeScope();
        var input = WeightFormula.Input(fixture.Input);
        using var module = Model(name).Create();

        var report = Weights.Load(module, Path.Combine(ExportFixture.Folder, trip.Weights));
        module.eval();

        Assert.True(report.IsExactMatch, report.ToString());
        Assert.Equal(fixture.StateDict.Count, report.Loaded.Count);
        Compare(name, "after one PyTorch SGD step", module, input, trip.Output, fixture.OutputShape);

        // The step moved the weights enough that agreeing says the file was read: the trained outputs differ from the formula's.
        var before = tensor(fixture.Output, fixture.OutputShape);
        var after = tensor(trip.Output, fixture.OutputShape);
        Assert.True((after - before).abs().max().item<float>() > 100 * Tolerance * before.abs().max().item<float>(), $"{name}: the SGD step hardly changed the outputs.");
    }

    private void Compare(string name, string what, nn.Module<Tensor, Tensor> module, Tensor input, float[] values, long[] shape)
    {
        var expected = tensor(values, shape);
        double scale = expected.abs().max().item<float>();
        double difference;
        using (no_grad())
        {
            difference = (module.forward(input) - expected).abs().max().item<float>();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} ({what}): output scale {scale:G4}; largest difference {difference:G3} ({difference / scale:G3} of the scale)"));
        Assert.True(difference <= Tolerance * scale, $"{name} ({what}) differs from its PyTorch export by {difference}, more than {Tolerance} of the output scale {scale}.");
    }
}
