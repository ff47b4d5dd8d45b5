using System;
using System.Linq;
using SeDsl.Layers;
using SeDsl.Tests.Generator;
using SeDsl.Tests.Infrastructure;
using SeDsl.Tests.Samples;
using SeDsl.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// The fused path writes over what a nested block returns (in-place activations, <c>add_</c>, the managed SE tail), so a
/// fused block whose layers may all pass their input through returns a copy where its result shares the input's memory
/// (<see cref="MemoryLayout.Detached"/>): a caller's tensor is never written over, in float32 or bf16, NCHW or NHWC.
/// </summary>
[Collection(TorchSeedCollection.Name)]
public class FusedOwnershipTests
{
    private const string Declarations = """
        [Block] public partial class Pass { [Dropout(0.1)] private readonly Dropout drop; }
        [Block(Residual = true)]
        public partial class OuterSe
        {
            [Use(typeof(Pass))] private readonly Pass pass;
            [SqueezeExcite(4)] private readonly SqueezeExcitation se;
        }
        [Block(Residual = true)]
        public partial class OuterAdd
        {
            [Use(typeof(Pass))] private readonly Pass pass;
            [ReLU] private readonly ReLU relu;
        }
        [Network(32, 4, 4)] public partial class SeNet { [Use(typeof(OuterSe))] private readonly OuterSe block; }
        [Network(32, 4, 4)] public partial class AddNet { [Use(typeof(OuterAdd))] private readonly OuterAdd block; }
        """;

    private static readonly Lazy<GeneratorRun> Run = new(() =>
    {
        var run = GeneratorHarness.Run(ReliabilityAssert.Code(Declarations));
        ReliabilityAssert.Compiles(run);
        return run;
    });

    private static readonly Lazy<System.Reflection.Assembly> Assembly = new(() => ReliabilityHarness.Load(Run.Value));

    [Fact]
    public void The_pass_through_block_returns_through_Detached_and_the_SE_block_writes_its_tail_in_place()
    {
        Assert.Contains("MemoryLayout.Detached(x, input)", Run.Value.Source(".Pass.SeDsl.Block.g.cs"));
        Assert.Contains(".ScaleAddInPlace(x, ", Run.Value.Source(".OuterSe.SeDsl.Block.g.cs"));
        Assert.Contains("x = x.add_(", Run.Value.Source(".OuterAdd.SeDsl.Block.g.cs"));
    }

    [Theory]
    [InlineData("SeNet", Precision.BFloat16, MemoryFormat.Nchw)]
    [InlineData("SeNet", Precision.BFloat16, MemoryFormat.Nhwc)]
    [InlineData("SeNet", Precision.Float32, MemoryFormat.Nchw)]
    [InlineData("AddNet", Precision.BFloat16, MemoryFormat.Nhwc)]
    [InlineData("AddNet", Precision.Float32, MemoryFormat.Nchw)]
    public void A_block_after_a_pass_through_block_does_not_write_over_the_callers_input(string network, Precision precision, MemoryFormat layout)
    {
        var type = Assembly.Value.GetType("Demo." + network, throwOnError: true)!;
        using var net = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
        type.GetMethod("Fuse", [typeof(Precision), typeof(MemoryFormat)])!.Invoke(net, [precision, layout]);
        var block = (nn.Module<Tensor, Tensor>)net.named_children().Single(c => c.name == "block").module;
        using var scope = NewDisposeScope();
        var type16 = precision == Precision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        var input = randn(new long[] { 2, 32, 4, 4 }, generator: new torch.Generator(7)).to(type16);
        input = layout == MemoryFormat.Nhwc ? MemoryLayout.ToChannelsLast(input) : input;
        var before = input.clone();
        long passes = SqueezeExcitationKernel.Passes;

        var result = TrainingData.OnThreads(1, () =>
        {
            using var mode = inference_mode();
            return block.forward(input);
        });

        Assert.True(input.allclose(before, rtol: 0, atol: 0), $"{network}: the fused forward wrote over the caller's input");
        Assert.False(TensorMemory.Overlaps(result, input));

        // The tail itself: relu(2 x) for the plain block, relu(x * gate + x) for the SE block, with the gate in (0, 1).
        var x = before.to(ScalarType.Float32);
        var actual = result.to(ScalarType.Float32);
        if (network == "AddNet")
        {
            Assert.True(actual.allclose((2 * x).relu(), rtol: 1e-2, atol: 1e-2));
        }
        else
        {
            Assert.True((actual <= (2 * x).relu() + 1e-2).all().item<bool>() && (actual >= x.relu() - 1e-2).all().item<bool>());
            bool kernel = precision == Precision.BFloat16 && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported;
            Assert.Equal(kernel, SqueezeExcitationKernel.Passes > passes);
        }
    }
}
