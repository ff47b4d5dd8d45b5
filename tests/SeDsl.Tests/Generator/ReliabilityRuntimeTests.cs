using System;
using System.Globalization;
using System.Linq;
using SeDsl.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static SeDsl.Tests.Generator.ReliabilityAssert;
using static TorchSharp.torch;

namespace SeDsl.Tests.Generator;

/// <summary>
/// Issue 19, items 5, 8, 9 (Fuse) and 10 (forward after Dispose): the generated module is compiled, loaded and run in
/// TorchSharp, and must do what the compile-time analysis says.
/// </summary>
public class ReliabilityRuntimeTests
{
    private static (Type Type, nn.Module<Tensor, Tensor> Module) Create(GeneratorRun run, string typeName)
    {
        var type = ReliabilityHarness.Load(run).GetType(typeName, throwOnError: true)!;
        return (type, (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!);
    }

    // ----- item 5: sizes of the generated constructor equal the analysed ones -----

    private const string WideBlock = "[Block] public partial class Wide {{ [Param] private readonly int width; [Conv2d(\"{0}\", 1)] private readonly Conv2d conv; }}\n";

    public static TheoryData<string, long, long> WideDeclarations => new()
    {
        // 3000 x 2,000,000 wraps in int arithmetic: 1,705 channels instead of 6,000. A 1x1 convolution from one channel: 6,000 weights, 6,000 biases.
        { string.Format(CultureInfo.InvariantCulture, WideBlock, "width * 2000000 / 1000000") + "[Network(1, 2, 2)] public partial class WideNet { [Use(typeof(Wide), 3000)] private readonly Wide wide; }", 6000, 6000 + 6000 },
        // 3000 x 1,000,000 wraps to -1,294 channels: libtorch's "negative dimension".
        { string.Format(CultureInfo.InvariantCulture, WideBlock, "width * 1000000 / 1000000") + "[Network(1, 2, 2)] public partial class WideNet { [Use(typeof(Wide), 3000)] private readonly Wide wide; }", 3000, 3000 + 3000 },
        // The same expression as an argument of a block used inside a block.
        {
            "[Block] public partial class Inner { [Param] private readonly int planes; [Conv2d(nameof(planes), 1)] private readonly Conv2d conv; }\n"
            + "[Block] public partial class Outer { [Param] private readonly int width; [Use(typeof(Inner), \"width * 1000000 / 1000000\")] private readonly Inner inner; }\n"
            + "[Network(1, 2, 2)] public partial class WideNet { [Use(typeof(Outer), 3000)] private readonly Outer outer; }",
            3000, 3000 + 3000
        },
        // A residual block: the projection shortcut (3,000 weights, batch norm 2 x 3,000) is sized by the same expression.
        {
            "[Block(Residual = true)] public partial class Wide { [Param] private readonly int width; [Conv2d(\"width * 1000000 / 1000000\", 1)] private readonly Conv2d conv; }\n"
            + "[Network(1, 2, 2)] public partial class WideNet { [Use(typeof(Wide), 3000)] private readonly Wide wide; }",
            3000, 3000 + 3000 + 3000 + (2 * 3000)
        },
    };

    [Theory]
    [MemberData(nameof(WideDeclarations))]
    public void Channel_expressions_give_TorchSharp_the_analysed_sizes(string declarations, long channels, long parameters)
    {
        var run = GeneratorHarness.Run(Code(declarations));
        Compiles(run, "Demo.WideNet.SeDsl.Module.g.cs");

        var (type, module) = Create(run, "Demo.WideNet");
        using var _ = module;

        Assert.Equal(parameters, ReliabilityHarness.Static<long>(type, "ParameterCount"));
        Assert.Equal(parameters, module.parameters().Sum(p => p.numel()));
        using var output = module.forward(ones(1, 1, 2, 2));
        Assert.Equal(new[] { 1, channels, 2, 2 }, output.shape);
    }

    // ----- item 11: several fields in one declaration -----

    [Fact]
    public void Several_fields_in_one_declaration_are_layers_in_the_order_written()
    {
        var run = GeneratorHarness.Run(Code("[Network(3, 8, 8)] public partial class PairNet { [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv1, conv2; [ReLU] private readonly ReLU relu; }"));
        Compiles(run, "Demo.PairNet.SeDsl.Module.g.cs");

        var (type, module) = Create(run, "Demo.PairNet");
        using var _ = module;
        long expected = (8 * 3 * 3 * 3) + 8 + (8 * 8 * 3 * 3) + 8;   // 3 -> 8 channels, then 8 -> 8, 3x3 kernels with bias

        Assert.Equal(new[] { "conv1", "conv2", "relu" }, module.named_children().Select(c => c.name));
        Assert.Equal(expected, ReliabilityHarness.Static<long>(type, "ParameterCount"));
        Assert.Equal(expected, module.parameters().Sum(p => p.numel()));
    }

    // ----- item 8: the input check when the flatten is inside a block -----

    public static TheoryData<string> FlattenInBlock => new()
    {
        // A block whose last layer flattens, then a linear layer in the network.
        """
        [Block] public partial class Tail { [Conv2d(4, 3, Padding = 1)] private readonly Conv2d conv; [Flatten] private readonly Flatten flatten; }
        [Network(3, 8, 8)] public partial class FlatNet { [Use(typeof(Tail))] private readonly Tail tail; [Linear(10)] private readonly Linear fc; }
        """,
        // Parallel branches that flatten, concatenated into features.
        """
        [Block(Parallel = true)] public partial class Tail { [Flatten] private readonly Flatten a; [Flatten] private readonly Flatten b; }
        [Network(3, 8, 8)] public partial class FlatNet { [Use(typeof(Tail))] private readonly Tail tail; [Linear(10)] private readonly Linear fc; }
        """,
        // The flatten written in the network: the reference behaviour.
        """
        [Network(3, 8, 8)] public partial class FlatNet { [Conv2d(4, 3, Padding = 1)] private readonly Conv2d conv; [Flatten] private readonly Flatten flatten; [Linear(10)] private readonly Linear fc; }
        """,
    };

    [Theory]
    [MemberData(nameof(FlattenInBlock))]
    public void An_input_of_another_size_is_refused_by_name_when_a_block_flattens(string declarations)
    {
        var run = GeneratorHarness.Run(Code(declarations));
        Compiles(run, "Demo.FlatNet.SeDsl.Module.g.cs");
        var (_, module) = Create(run, "Demo.FlatNet");
        using var _ = module;

        using (var fits = module.forward(ones(2, 3, 8, 8)))
        {
            Assert.Equal(new long[] { 2, 10 }, fits.shape);
        }

        var error = Assert.Throws<ArgumentException>(() => module.forward(ones(2, 3, 9, 9)));
        Assert.Contains("FlatNet", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3, 9, 9]", error.Message, StringComparison.Ordinal);
    }

    // ----- item 9: Fuse(channelsLast: true) after Fuse() -----

    [Fact]
    public void A_second_Fuse_asking_for_channels_last_is_honoured()
    {
        var run = GeneratorHarness.Run(Code("[Network(3, 8, 8)] public partial class Net { [Conv2d(4, 3, Padding = 1)] private readonly Conv2d conv; [BatchNorm2d] private readonly BatchNorm2d bn; }"));
        Compiles(run, "Demo.Net.SeDsl.Module.g.cs");
        var assembly = ReliabilityHarness.Load(run);
        var type = assembly.GetType("Demo.Net", throwOnError: true)!;
        var fuse = type.GetMethod("Fuse", [typeof(bool)])!; // beside Fuse(Precision, MemoryFormat)

        long[] Strides(params bool[] calls)
        {
            using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
            foreach (bool channelsLast in calls)
            {
                fuse.Invoke(module, [channelsLast]);
            }

            using var output = module.forward(ones(2, 3, 8, 8));
            return output.stride();
        }

        long[] plain = Strides(false);
        long[] channelsLastOnce = Strides(true);
        Assert.NotEqual(plain, channelsLastOnce);   // the layout is visible in the output's strides

        Assert.Equal(channelsLastOnce, Strides(false, true));
        Assert.Equal(plain, Strides(true, false));
    }

    // ----- item 10: forward after Dispose -----

    [Fact]
    public void Forward_after_Dispose_names_the_network()
    {
        var run = GeneratorHarness.Run(Code("[Network(3, 8, 8)] public partial class DisposedNet { [Conv2d(4, 3)] private readonly Conv2d conv; }"));
        Compiles(run, "Demo.DisposedNet.SeDsl.Module.g.cs");
        var (_, module) = Create(run, "Demo.DisposedNet");
        module.Dispose();
        using var input = ones(1, 3, 8, 8);

        var error = Assert.Throws<ObjectDisposedException>(() => module.forward(input));
        Assert.Contains("DisposedNet", error.Message, StringComparison.Ordinal);
    }
}
