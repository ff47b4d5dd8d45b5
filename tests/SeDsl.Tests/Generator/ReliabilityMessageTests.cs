using System;
using Microsoft.CodeAnalysis;
using SeDsl.Tests.Infrastructure;
using Xunit;
using static SeDsl.Tests.Generator.ReliabilityAssert;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Issue 19, items 9 and 10: requests that were silently ignored get a warning, and messages name what the user
/// wrote, once.
/// </summary>
public class ReliabilityMessageTests
{
    private const string Relu = "[ReLU] private readonly ReLU relu;";

    // ----- item 9: silently ignored requests -----

    [Theory]
    [InlineData("[Stage(typeof(B), 2, Stride = 2)] private readonly Sequential layer1;")]
    [InlineData("[Use(typeof(B), Stride = 2)] private readonly B b;")]
    public void A_stride_for_a_block_that_applies_none_is_SEDSL108(string layer)
    {
        var run = GeneratorHarness.Run(Code($$"""
            [Block] public partial class B { [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv; }
            [Network(3, 8, 8)] public partial class Net { {{layer}} }
            """));

        var diagnostic = Single(run, "SEDSL108", "Stride = 2", DiagnosticSeverity.Warning);
        Assert.Contains(run.Sources.Keys, k => k.EndsWith("Demo.Net.SeDsl.Module.g.cs", StringComparison.Ordinal));
        Assert.Contains("'B'", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("Strides.OfBlock", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stride_of_one_or_a_block_that_applies_its_stride_gets_no_warning()
    {
        var run = GeneratorHarness.Run(Code("""
            [Block] public partial class B { [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv; }
            [Block] public partial class S { [Conv2d(8, 3, Stride = Strides.OfBlock, Padding = 1)] private readonly Conv2d conv; }
            [Network(3, 8, 8)] public partial class Net { [Stage(typeof(B), 2, Stride = 1)] private readonly Sequential layer1; [Stage(typeof(S), 2, Stride = 2)] private readonly Sequential layer2; }
            """));

        Compiles(run, "Demo.Net.SeDsl.Module.g.cs");
    }

    [Theory]
    [InlineData("[Block] public partial class E { }")]
    [InlineData("[Block] public partial class E { [Param] private readonly int width; }")]
    public void A_block_without_layers_is_SEDSL008_as_a_network_without_layers_is(string block)
    {
        var run = GeneratorHarness.Run(Code(block));

        var diagnostic = Single(run, "SEDSL008", "Block", DiagnosticSeverity.Warning);
        Assert.Contains(run.Sources.Keys, k => k.EndsWith("Demo.E.SeDsl.Block.g.cs", StringComparison.Ordinal));
        Assert.Contains("'E'", Message(diagnostic), StringComparison.Ordinal);
        Assert.DoesNotContain("Network", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_in_a_network_of_a_family_is_SEDSL023()
    {
        string family = $"[Network(3, 8, 8)] public partial class F {{ [Param] private readonly int width; {Relu} }}";
        var run = GeneratorHarness.Run(Code(family + $" [Network(typeof(F), 4)] public partial class Net {{ [Sigmoid] private readonly Sigmoid gate; }}"));

        var diagnostic = Single(run, "SEDSL023", "Sigmoid", DiagnosticSeverity.Error);
        Assert.Contains(run.Sources.Keys, k => k.EndsWith("Demo.Net.SeDsl.Module.g.cs", StringComparison.Ordinal));
        Assert.Contains("'gate'", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("'F'", Message(diagnostic), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public partial class Plain")]
    [InlineData("public class Plain")]
    [InlineData("internal sealed class Plain")]
    public void A_layer_field_outside_a_network_or_block_is_SEDSL024(string head)
    {
        var run = GeneratorHarness.Run(Code($"{head} {{ {Relu} }}"));

        var diagnostic = Single(run, "SEDSL024", "ReLU", DiagnosticSeverity.Warning, within: Relu);
        Assert.Contains("relu", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("Plain", Message(diagnostic), StringComparison.Ordinal);
    }

    // ----- item 10: messages -----

    private const string TwoParameters = "[Block] public partial class I { [Param] private readonly int a; [Param] private readonly int b; [Conv2d(\"a + b\", 1)] private readonly Conv2d c; }\n";

    [Theory]
    [InlineData("64L")]
    [InlineData("1.5")]
    [InlineData("true")]
    public void A_block_argument_of_another_type_is_SEDSL102_naming_the_value(string argument)
    {
        var run = GeneratorHarness.Run(Code(TwoParameters + $"[Network(8, 4, 4)] public partial class Net {{ [Use(typeof(I), {argument}, 2)] private readonly I i; }}"));

        var diagnostic = Single(run, "SEDSL102", argument);
        Assert.Contains(argument, Message(diagnostic), StringComparison.Ordinal);
        Assert.DoesNotContain("\"?\"", Message(diagnostic), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reserved_parameter_name_is_reported_once_not_again_where_it_is_used()
    {
        var run = GeneratorHarness.Run(Code("[Block] public partial class B { [Param] private readonly int group; [Conv2d(nameof(group), 1)] private readonly Conv2d conv; }"));

        Single(run, "SEDSL015", "group", within: "int group");
    }

    [Fact]
    public void A_dilation_that_makes_the_kernel_too_large_is_underlined_and_named()
    {
        var run = GeneratorHarness.Run(Code("[Network(3, 8, 8)] public partial class Net { [Conv2d(8, 3, Dilation = 4)] private readonly Conv2d conv; }"));

        var diagnostic = Single(run, "SEDSL201", "Dilation = 4");
        Assert.Contains("dilation 4", Message(diagnostic), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_parameter_name_in_a_network_expression_is_explained_without_speaking_of_a_block()
    {
        var run = GeneratorHarness.Run(Code("[Network(3, 8, 8)] public partial class Net { [Conv2d(\"width * 2\", 1)] private readonly Conv2d conv; }"));

        var diagnostic = Single(run, "SEDSL106", "\"width * 2\"");
        Assert.Contains("width", Message(diagnostic), StringComparison.Ordinal);
        Assert.Contains("network", Message(diagnostic), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("block", Message(diagnostic), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_class_both_network_and_block_gets_SEDSL017_once()
    {
        var run = GeneratorHarness.Run(Code($"[Network(3, 8, 8)]\n[Block]\npublic partial class Net {{ {Relu} }}"));

        Single(run, "SEDSL017", "Net", within: "class Net");
    }

    [Theory]
    [InlineData("[Block(Residual = true, ShortcutKernel = 2)]", "ShortcutKernel = 2")]
    [InlineData("[Block(ResidualScale = 0.5)]", "ResidualScale = 0.5")]
    [InlineData("[Block(Residual = true, ResidualScale = double.NaN)]", "ResidualScale = double.NaN")]
    public void Block_level_argument_errors_speak_of_the_block(string header, string underlined)
    {
        var run = GeneratorHarness.Run(Code($"{header} public partial class B {{ {Relu} }}"));

        var diagnostic = Single(run, "SEDSL102", underlined);
        Assert.StartsWith("Block 'B'", Message(diagnostic), StringComparison.Ordinal);
    }
}
