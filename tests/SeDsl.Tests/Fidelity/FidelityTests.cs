using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeDsl.Tests.Fidelity;

/// <summary>
/// The zoo's models compute what torchvision's compute: same state_dict keys, shapes and order, and, on the same
/// formula-made weights and input, the same outputs, unfused and fused. The torchvision side is the committed fixtures
/// (tests/scripts/fidelity_fixtures.py wrote them; docs/fidelity.md), so no Python runs here.
/// </summary>
public class FidelityTests
{
    /// <summary>Largest allowed difference from torchvision's outputs, as a fraction of their largest magnitude.</summary>
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper output;

    public FidelityTests(ITestOutputHelper output) => this.output = output;

    public static TheoryData<string> Models => new(FidelityCase.All.Select(c => c.Name));

    /// <summary>The models whose formula-weight outputs depend on the input (see <see cref="FidelityCase.InputSensitive"/>).</summary>
    public static TheoryData<string> InputSensitiveModels => new(FidelityCase.All.Where(c => c.InputSensitive).Select(c => c.Name));

    private static FidelityCase Case(string name) => FidelityCase.All.Single(c => c.Name == name);

    /// <summary>A new module of the model with every float entry filled from the formula, in eval mode.</summary>
    private static nn.Module<Tensor, Tensor> Build(FidelityCase model)
    {
        var module = model.Create();
        WeightFormula.Fill(module);
        module.eval();
        return module;
    }

    /// <summary>
    /// The state_dict entries in PyTorch's order: a module's own parameters, then its own buffers, then each child's
    /// entries in registration order. (TorchSharp's <c>state_dict()</c> lists every parameter before every buffer.)
    /// </summary>
    internal static List<(string Key, Tensor Tensor)> PyTorchOrder(nn.Module module)
    {
        var entries = new List<(string, Tensor)>();
        Walk(module, string.Empty, entries);
        return entries;

        static void Walk(nn.Module module, string prefix, List<(string, Tensor)> entries)
        {
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                entries.Add((prefix + name, parameter));
            }

            foreach (var (name, buffer) in module.named_buffers(recurse: false))
            {
                entries.Add((prefix + name, buffer));
            }

            foreach (var (name, child) in module.named_children())
            {
                Walk(child, prefix + name + ".", entries);
            }
        }
    }

    private static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Int64 => "int64",
        _ => dtype.ToString(),
    };

    private static string Describe(string key, IEnumerable<long> shape, string dtype) =>
        $"{key} [{string.Join(", ", shape)}] {dtype}";

    [Fact]
    public void Models_whose_outputs_barely_depend_on_the_input_are_the_declared_ones()
    {
        // Guards the exemption above: a model is exempt only while its fixture really is insensitive to the input.
        foreach (var model in FidelityCase.All.Where(c => !c.InputSensitive))
        {
            var fixture = FidelityFixture.Load(model.Name);
            using var scope = NewDisposeScope();
            var outputs = tensor(fixture.Output, fixture.OutputShape);
            double scale = outputs.abs().max().item<float>();
            double spread = (outputs[0] - outputs[1]).abs().max().item<float>();
            Assert.True(spread < 100 * Tolerance * scale, $"{model.Name}'s outputs now depend on the input ({spread} at scale {scale}): compare them fully.");
        }
    }

    [Fact]
    public void Every_case_has_a_fixture_and_every_fixture_a_case()
    {
        var fixtures = Directory.GetFiles(FidelityFixture.Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order();

        Assert.Equal(FidelityCase.All.Select(c => c.Name).Order(), fixtures);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Fixture_is_of_this_formula_and_describes_the_model(string name)
    {
        var fixture = FidelityFixture.Load(name);

        Assert.Equal(name, fixture.Model);
        Assert.Equal(WeightFormula.Version, fixture.FormulaVersion);
        Assert.Equal(fixture.OutputShape.Aggregate(1L, (a, b) => a * b), fixture.Output.Length);
        Assert.Equal(fixture.Input[0], fixture.OutputShape[0]);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Compile_time_parameter_count_equals_torchvisions(string name)
    {
        Assert.Equal(FidelityFixture.Load(name).Parameters, Case(name).ParameterCount);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Stochastic_depth_rates_equal_torchvisions_in_order(string name)
    {
        // torchvision creates a StochasticDepth in every MBConv and calls it only in those with the residual addition;
        // the zoo creates it only there, so its modules in registration order are the calls in order.
        using var model = Case(name).Create();
        var rates = model.modules().OfType<SeDsl.Layers.DropPath>().Select(d => d.P).ToArray();

        Assert.Equal(FidelityFixture.Load(name).StochasticDepth, rates);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void State_dict_has_torchvisions_keys_shapes_and_dtypes_in_torchvisions_order(string name)
    {
        var fixture = FidelityFixture.Load(name);
        using var module = Case(name).Create();

        var expected = fixture.StateDict.Select(e => Describe(e.Key, e.Shape, e.Dtype)).ToList();
        var actual = PyTorchOrder(module).Select(e => Describe(e.Key, e.Tensor.shape, DtypeName(e.Tensor.dtype))).ToList();
        Assert.Equal(expected, actual);

        // TorchSharp's own state_dict (what a weights file is written from) holds the same entries.
        var own = module.state_dict().Select(e => Describe(e.Key, e.Value.shape, DtypeName(e.Value.dtype))).Order();
        Assert.Equal(expected.Order(), own);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Formula_weights_equal_the_scripts_bit_for_bit(string name)
    {
        var fixture = FidelityFixture.Load(name);

        foreach (var entry in fixture.StateDict.Where(e => e.Checksum is not null))
        {
            ulong checksum = WeightFormula.Checksum(WeightFormula.Values(entry.Key, entry.Shape));
            Assert.True(
                checksum.ToString(CultureInfo.InvariantCulture) == entry.Checksum,
                $"{name}: {entry.Key} has checksum {checksum}, the script's is {entry.Checksum}.");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Outputs_equal_torchvisions_unfused_fused_and_fused_channels_last(string name)
    {
        var model = Case(name);
        var fixture = FidelityFixture.Load(name);
        using var scope = NewDisposeScope();
        var input = WeightFormula.Input(fixture.Input);
        Assert.Equal(fixture.InputChecksum, WeightFormula.Checksum(input.data<float>().ToArray()).ToString(CultureInfo.InvariantCulture));
        var expected = tensor(fixture.Output, fixture.OutputShape);
        double scale = expected.abs().max().item<float>();

        var differences = new List<(string Path, double Absolute)>();
        using var module = Build(model);
        AssertHoldsTheScriptsWeights(module, fixture);

        // Fuse is one way and fixes the layout, so channels-last gets a second module with the same weights.
        using var second = model.Create();
        CopyState(module, second);
        second.eval();

        using (no_grad())
        {
            differences.Add(("unfused", Difference(module.forward(input), expected)));
        }

        differences.Add(("fused", Difference(model.Fuse(module, false).forward(input), expected)));
        differences.Add(("fused channels-last", Difference(model.Fuse(second, true).forward(input), expected)));

        string report = string.Join("; ", differences.Select(d =>
            string.Create(CultureInfo.InvariantCulture, $"{d.Path} {d.Absolute:G3} ({d.Absolute / scale:G3} of the scale)")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: output scale {scale:G4}; largest difference {report}"));
        Assert.True(
            differences.All(d => d.Absolute <= Tolerance * scale),
            $"{name} differs from torchvision by more than {Tolerance} of the output scale {scale}: {report}.");
    }

    /// <summary>
    /// The outputs depend on the input, so agreeing with them says something about the whole function: the two
    /// samples' outputs differ by at least 1% of the output scale, a hundred times the tolerance.
    /// </summary>
    [Theory]
    [MemberData(nameof(InputSensitiveModels))]
    public void Fixture_outputs_depend_on_the_input(string name)
    {
        var fixture = FidelityFixture.Load(name);
        using var scope = NewDisposeScope();
        var outputs = tensor(fixture.Output, fixture.OutputShape);
        double scale = outputs.abs().max().item<float>();
        double spread = (outputs[0] - outputs[1]).abs().max().item<float>();

        Assert.True(spread >= 100 * Tolerance * scale, $"{name}: the two samples' outputs differ by only {spread} at scale {scale}.");
    }

    /// <summary>Every float tensor of the module has the checksum of the tensor torchvision ran on.</summary>
    private static void AssertHoldsTheScriptsWeights(nn.Module module, FidelityFixture fixture)
    {
        var tensors = module.state_dict();
        foreach (var entry in fixture.StateDict.Where(e => e.Checksum is not null))
        {
            ulong checksum = WeightFormula.Checksum(tensors[entry.Key].contiguous().data<float>().ToArray());
            Assert.True(
                checksum.ToString(CultureInfo.InvariantCulture) == entry.Checksum,
                $"{fixture.Model}: the module's {entry.Key} has checksum {checksum}, the tensor torchvision ran on {entry.Checksum}.");
        }
    }

    private static void CopyState(nn.Module source, nn.Module target)
    {
        using var _ = no_grad();
        var from = source.state_dict();
        foreach (var (key, tensor) in target.state_dict())
        {
            tensor.copy_(from[key]);
        }
    }

    private static double Difference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        return (actual - expected).abs().max().item<float>();
    }
}
