using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Tests.Infrastructure;
using Xunit;
using static SeDsl.Tests.Generator.ReliabilityAssert;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Issue 19, items 1 to 4: declarations that made the generator throw, change a network silently, refuse a valid
/// use or write code that does not compile. Each gets exactly one located diagnostic or code that compiles.
/// New ids are written as literals here and described in docs/reliability-diagnostics.md.
/// </summary>
public class ReliabilityTests
{
    private const string Relu = "[ReLU] private readonly ReLU relu;";

    // ----- item 1: names that differ only in the case of their namespace -----

    /// <summary>
    /// Both classes generate, and their hint names differ even compared without case (Roslyn's rule, and that of
    /// case-insensitive file systems), each starting with its class's full name.
    /// </summary>
    private static void AssertBothGenerate(GeneratorRun run, int files, params string[] fullNames)
    {
        Compiles(run);
        Assert.Equal(files, run.Sources.Count);
        Assert.Equal(files, run.Sources.Keys.Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
        foreach (string name in fullNames)
        {
            Assert.Contains(run.Sources.Keys, k => k.StartsWith(name + ".", System.StringComparison.Ordinal) && k.EndsWith(".g.cs", System.StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Networks_in_namespaces_that_differ_only_in_case_both_generate_instead_of_a_throw()
    {
        string models = Sources.Usings + $"namespace Demo.Models {{ [Network(3, 8, 8)] public partial class Net {{ {Relu} }} }}";
        string lower = Sources.Usings + $"namespace Demo.models {{ [Network(1, 8, 8)] public partial class Net {{ {Relu} }} }}";
        string user = "public static class Use { public static long Both() { using var a = new Demo.Models.Net(); using var b = new Demo.models.Net(); return Demo.Models.Net.ParameterCount + Demo.models.Net.ParameterCount; } }";

        AssertBothGenerate(GeneratorHarness.Run(models, lower, user), 6, "Demo.Models.Net", "Demo.models.Net");
    }

    [Fact]
    public void Blocks_in_namespaces_that_differ_only_in_case_both_generate_instead_of_a_throw()
    {
        string models = Sources.Usings + $"namespace Demo.Models {{ [Block] public partial class B {{ {Relu} }} }}";
        string lower = Sources.Usings + $"namespace Demo.models {{ [Block] public partial class B {{ [Param] private readonly int planes; [Conv2d(nameof(planes), 1)] private readonly Conv2d conv; }} }}";
        string network = Sources.Usings + "namespace Demo { [Network(3, 8, 8)] public partial class Net { [Use(typeof(Demo.Models.B))] private readonly Demo.Models.B a; [Use(typeof(Demo.models.B), 4)] private readonly Demo.models.B b; } }";

        AssertBothGenerate(GeneratorHarness.Run(models, lower, network), 5, "Demo.Models.B", "Demo.models.B", "Demo.Net");
    }

    [Fact]
    public void A_network_and_a_block_whose_full_names_differ_only_in_case_both_generate()
    {
        string network = Sources.Usings + $"namespace Demo.Models {{ [Network(3, 8, 8)] public partial class Net {{ {Relu} }} }}";
        string block = Sources.Usings + $"namespace Demo.models {{ [Block] public partial class NET {{ {Relu} }} }}";

        AssertBothGenerate(GeneratorHarness.Run(network, block), 4, "Demo.Models.Net", "Demo.models.NET");
    }

    // ----- item 2: layer fields in several parts of a partial class -----

    private const string NetworkPart = """
        [Network(3, 8, 8)]
        public partial class Net
        {
            [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv;
        }
        """;

    private const string SecondPart = """
        public partial class Net
        {
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(10)] private readonly Linear fc;
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Layer_fields_in_two_parts_are_SEDSL019_on_the_network_in_either_file_order(bool networkPartSecond)
    {
        string[] files = [Code(NetworkPart), Code(SecondPart)];
        if (networkPartSecond)
        {
            files = [files[1], files[0]];
        }

        var run = GeneratorHarness.Run(files);

        var diagnostic = Single(run, "SEDSL019", "Net", within: "class Net", path: networkPartSecond ? "Network1.cs" : "Network0.cs");
        Assert.Contains("Net", Message(diagnostic), System.StringComparison.Ordinal);
        CompletionTests.AssertCompleted(run, "Demo.Net.SeDsl.Module.g.cs");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Block_parameters_in_two_parts_are_SEDSL019_on_the_block_in_either_file_order(bool blockPartSecond)
    {
        // The order of [Param] fields is the order of the constructor's parameters: it must not follow the files either.
        string[] files =
        [
            Code("[Block] public partial class B { [Param] private readonly int width; [Conv2d(nameof(width), 1)] private readonly Conv2d conv; }"),
            Code("public partial class B { [Param] private readonly int depth; }"),
        ];
        if (blockPartSecond)
        {
            files = [files[1], files[0]];
        }

        var run = GeneratorHarness.Run(files);

        Single(run, "SEDSL019", "B", within: "class B", path: blockPartSecond ? "Network1.cs" : "Network0.cs");
    }

    [Fact]
    public void A_partial_network_whose_other_parts_hold_no_layers_generates_the_same_in_either_file_order()
    {
        string layers = Code(NetworkPart.Replace("[Conv2d", Relu + "\n    [Conv2d", System.StringComparison.Ordinal));
        string members = Code("public partial class Net { public int Calls { get; private set; } public void Count() => Calls++; }");

        var forward = GeneratorHarness.Run(layers, members);
        var backward = GeneratorHarness.Run(members, layers);

        Compiles(forward, "Demo.Net.SeDsl.Module.g.cs");
        Compiles(backward, "Demo.Net.SeDsl.Module.g.cs");
        Assert.Equal(forward.Sources, backward.Sources);
    }

    // ----- item 3: a [Block] from a referenced assembly -----

    private const string LibraryBlock = """
        using SeDsl;
        using TorchSharp.Modules;

        namespace Lib
        {
            [Block]
            public partial class Widen
            {
                [Param] private readonly int planes;
                [Conv2d(nameof(planes), 1)] private readonly Conv2d conv;
            }
        }
        """;

    [Theory]
    [InlineData(false, "[Use(typeof(Lib.Widen), 16)] private readonly Lib.Widen widen;", "typeof(Lib.Widen)")]
    [InlineData(true, "[Use(typeof(Lib.Widen), 16)] private readonly Lib.Widen widen;", "typeof(Lib.Widen)")]
    [InlineData(false, "[Stage(typeof(Lib.Widen), 2, 16)] private readonly Sequential layer1;", "typeof(Lib.Widen)")]
    [InlineData(true, "[Stage(typeof(Lib.Widen), 2, 16)] private readonly Sequential layer1;", "typeof(Lib.Widen)")]
    public void A_block_from_a_referenced_assembly_is_SEDSL020_not_a_false_block_error(bool referenceAssembly, string layer, string underlined)
    {
        var library = ReliabilityHarness.Library(referenceAssembly, LibraryBlock);

        var run = ReliabilityHarness.Run(library, Code($"[Network(8, 4, 4)] public partial class Net {{ {layer} }}"));

        var diagnostic = Single(run, "SEDSL020", underlined);
        Assert.Contains("Lib.Widen", Message(diagnostic), System.StringComparison.Ordinal);
        Assert.Contains("SeDslBlockLibrary", Message(diagnostic), System.StringComparison.Ordinal);
    }

    // ----- item 4: declarations whose generated code did not compile -----

    private const string ModuleOfTensors = "TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>";

    [Fact]
    public void Squeeze_excitation_on_a_module_typed_field_compiles_in_a_network()
    {
        var run = GeneratorHarness.Run(Code($$"""
            [Network(16, 8, 8)]
            public partial class Net
            {
                [SqueezeExcite(r: 4)] private readonly {{ModuleOfTensors}} se;
                {{Relu}}
            }
            """));

        Compiles(run, "Demo.Net.SeDsl.Module.g.cs");
    }

    [Theory]
    [InlineData("")]
    [InlineData(", AfterAddition")]
    [InlineData(", OnShortcut")]
    public void Squeeze_excitation_on_a_module_typed_field_compiles_in_a_residual_block(string placement)
    {
        var run = GeneratorHarness.Run(Code($$"""
            [Block(Residual = true)]
            public partial class B
            {
                [Conv2d("inChannels", 3, Padding = 1)] private readonly Conv2d conv;
                [BatchNorm2d] private readonly BatchNorm2d bn;
                [SqueezeExcite(r: 4){{placement}}] private readonly {{ModuleOfTensors}} se;
            }

            [Network(16, 8, 8)]
            public partial class Net { [Stage(typeof(B), 2)] private readonly Sequential layer1; }
            """));

        Compiles(run, "Demo.B.SeDsl.Block.g.cs", "Demo.Net.SeDsl.Module.g.cs");
    }

    [Fact]
    public void A_static_network_is_SEDSL004_on_its_name()
    {
        var run = GeneratorHarness.Run(Code($"[Network(3, 8, 8)] public static partial class Net {{ {Relu} }}"));

        Single(run, "SEDSL004", "Net");
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_static_block_is_SEDSL004_on_its_name()
    {
        var run = GeneratorHarness.Run(Code($"[Block] public static partial class B {{ {Relu} }}"));

        Single(run, "SEDSL004", "B");
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("public Net() { }", "Net")]
    [InlineData("public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;", "forward")]
    [InlineData("public static string Summary => \"mine\";", "Summary")]
    [InlineData("private bool fused;", "fused")]
    [InlineData("public const long ParameterCount = 0;", "ParameterCount")]
    [InlineData("public Net Fuse(bool channelsLast = false) => this;", "Fuse")]
    public void A_user_member_that_the_generated_network_also_declares_is_SEDSL021_on_that_member(string member, string underlined)
    {
        var run = GeneratorHarness.Run(Code($"[Network(3, 8, 8)] public partial class Net {{ {Relu} {member} }}"));

        var diagnostic = Single(run, "SEDSL021", underlined, within: member);
        Assert.Contains(underlined, Message(diagnostic), System.StringComparison.Ordinal);
        if (underlined == "Net")
        {
            Assert.Empty(run.Sources);   // a part with a base class would break the user's constructor, which calls none
        }
        else
        {
            CompletionTests.AssertCompleted(run, "Demo.Net.SeDsl.Module.g.cs");
        }
    }

    [Theory]
    [InlineData("public B(long inChannels, long stride, int planes) { }", "B")]
    [InlineData("public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;", "forward")]
    [InlineData("public B Fuse() => this;", "Fuse")]
    public void A_user_member_that_the_generated_block_also_declares_is_SEDSL021_on_that_member(string member, string underlined)
    {
        var run = GeneratorHarness.Run(Code($"[Block] public partial class B {{ [Param] private readonly int planes; [Conv2d(nameof(planes), 1)] private readonly Conv2d conv; {member} }}"));

        Single(run, "SEDSL021", underlined, within: member);
    }

    [Fact]
    public void User_members_that_only_overload_generated_ones_compile()
    {
        var run = GeneratorHarness.Run(Code($$"""
            [Network(3, 8, 8)]
            public partial class Net
            {
                {{Relu}}
                public Net(int seed) : this() { Seed = seed; }
                public int Seed { get; }
                public TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input, int repeat) => forward(input);
            }
            """));

        Compiles(run, "Demo.Net.SeDsl.Module.g.cs");
    }

    private static readonly string Everything = Code($$"""
        [Block(Residual = true)]
        public partial class B
        {
            [Param] private readonly int planes;
            [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv;
            [BatchNorm2d] private readonly BatchNorm2d bn;
            [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
        }

        [Network(3, 16, 16)]
        public partial class Net
        {
            [Conv2d(16, 3, Padding = 1)] private readonly Conv2d conv;
            [Stage(typeof(B), 2, 32, Stride = 2)] private readonly Sequential layer1;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(10)] private readonly Linear fc;
        }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.Latest)]
    public void Generated_code_compiles_from_CSharp_9_on(LanguageVersion version)
    {
        var run = ReliabilityHarness.Run(new CSharpParseOptions(version), Everything);

        Compiles(run, "Demo.B.SeDsl.Block.g.cs", "Demo.Net.SeDsl.Module.g.cs");
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp8)]
    [InlineData(LanguageVersion.CSharp7_3)]
    public void Below_CSharp_9_each_network_and_block_is_SEDSL022_on_its_name(LanguageVersion version)
    {
        var run = ReliabilityHarness.Run(new CSharpParseOptions(version), Code($"[Network(3, 8, 8)] public partial class Net {{ {Relu} }}"));

        var diagnostic = Single(run, "SEDSL022", "Net");
        Assert.Contains(version.ToDisplayString(), Message(diagnostic), System.StringComparison.Ordinal);
        CompletionTests.AssertCompleted(run, "Demo.Net.SeDsl.Module.g.cs");
    }
}
