using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>Declarations found by adversarial review: each must give a located diagnostic or code that compiles, never a crash.</summary>
public class EdgeCaseTests
{
    private static string Net(string layers, string head = "public partial class Net", string ns = "Demo") =>
        Sources.Usings + $"namespace {ns};\n\n[Network(3, 8, 8)]\n{head}\n{{\n{layers}\n}}\n";

    private static void AssertReports(string source, string id, string underlined)
    {
        var run = GeneratorHarness.Run(source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(underlined, run.Underlined(diagnostic));
    }

    private static void AssertCompiles(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(3, run.Sources.Count);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void Keyword_names_are_escaped_in_code_and_plain_in_hint_names_and_summaries()
    {
        var run = GeneratorHarness.Run(Net("[ReLU] private readonly ReLU @class;", head: "public partial class @event", ns: "@if.Foo"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains("if.Foo.event.SeDsl.Module.g.cs", run.Sources.Keys);
        Assert.Contains("new(\"class\", \"ReLU\"", run.Source(".Summary.g.cs"), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[SqueezeExcite(r: 1, Gate = (ExcitationGate)7)] private readonly SqueezeExcitation se;", "Gate = (ExcitationGate)7")]
    [InlineData("[SqueezeExcite(r: 1, Squeeze = (SqueezeOperator)(-1))] private readonly SqueezeExcitation se;", "Squeeze = (SqueezeOperator)(-1)")]
    [InlineData("[BatchNorm2d(Momentum = double.NaN)] private readonly BatchNorm2d bn;", "Momentum = double.NaN")]
    [InlineData("[BatchNorm2d(Eps = double.PositiveInfinity)] private readonly BatchNorm2d bn;", "Eps = double.PositiveInfinity")]
    public void Out_of_range_enums_and_non_finite_doubles_are_argument_errors(string layer, string underlined)
    {
        AssertReports(Net(layer), DiagnosticIds.InvalidArgument, underlined);
    }

    [Theory]
    [InlineData("[ReLU] private readonly object r;", "object")]
    [InlineData("[ReLU] private readonly System.IDisposable r;", "System.IDisposable")]
    public void A_field_that_cannot_run_forward_is_a_type_error(string layer, string underlined)
    {
        AssertReports(Net(layer), DiagnosticIds.FieldTypeMismatch, underlined);
    }

    [Fact]
    public void A_base_type_of_the_module_is_a_valid_field_type()
    {
        AssertCompiles(Net("[ReLU] private readonly TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> r;"));
    }

    [Theory]
    [InlineData("[ReLU] private readonly ReLU? r;", "r")]
    [InlineData("[ReLU] private readonly ReLU training;", "training")]
    [InlineData("[ReLU] private readonly ReLU Summary;", "Summary")]
    [InlineData("[ReLU] private readonly ReLU register_module;", "register_module")]
    [InlineData("[field: ReLU] private ReLU R { get; }", "R")]
    public void Nullable_hiding_and_property_layers_are_invalid_fields(string layer, string underlined)
    {
        AssertReports(Net(layer), DiagnosticIds.InvalidLayerField, underlined);
    }

    [Theory]
    [InlineData("public partial record Net")]
    [InlineData("file partial class Net")]
    [InlineData("public partial class Net(int n)")]
    public void Records_file_classes_and_primary_constructors_are_unsupported(string head)
    {
        AssertReports(Net("[ReLU] private readonly ReLU r;", head: head), DiagnosticIds.UnsupportedClassShape, "Net");
    }

    [Fact]
    public void A_base_class_declared_in_another_part_is_underlined_there()
    {
        var run = GeneratorHarness.Run(
            Net("[ReLU] private readonly ReLU r;", head: "public partial class Net : System.IDisposable") + "public partial class Net { public void Dispose() { } }",
            "namespace Demo; public partial class Net : System.Exception { }");

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.BaseClassNotAllowed, diagnostic.Id);
        Assert.Equal("System.Exception", run.Underlined(diagnostic));
    }

    [Fact]
    public void An_even_shortcut_kernel_is_an_argument_error_on_the_block()
    {
        AssertReports(Sources.Usings + "[Block(Residual = true, ShortcutKernel = 2)] public partial class B { [ReLU] private readonly ReLU relu; }",
            DiagnosticIds.InvalidArgument, "ShortcutKernel = 2");
    }

    [Fact]
    public void Attribute_arguments_with_compile_errors_leave_the_error_to_the_compiler()
    {
        var run = GeneratorHarness.Run(Net("[Conv2d(8, 3, Bias = 2)] private readonly Conv2d conv;"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Sources);
    }
}
