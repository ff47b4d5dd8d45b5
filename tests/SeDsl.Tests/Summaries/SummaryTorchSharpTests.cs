using System.Collections.Generic;
using System.Linq;
using SeDsl.Tests.Networks;
using SeDsl.Zoo;
using TorchSharp;
using Xunit;

namespace SeDsl.Tests.Summaries;

/// <summary>
/// Every row of the compile-time summary tree against the module TorchSharp builds: the parameters and buffers under the
/// row's path (its state_dict prefix), the trainable split, the batch norms and the bytes of both.
/// </summary>
public class SummaryTorchSharpTests
{
    /// <summary>
    /// Plain, residual (identity and projection), grouped, depthwise, parallel-branch and nested-block networks, and the
    /// networks whose blocks register their layers under state_dict keys (<c>block.0</c>, <c>f.a</c>, <c>0</c>).
    /// </summary>
    public static TheoryData<string> Models => new()
    {
        nameof(TinySeNet), nameof(FashionSeResNet), nameof(SeResNet18), nameof(SeResNet50), nameof(SeResNeXt50),
        nameof(SeBnInception), nameof(SeInceptionResNetV2), nameof(SeMobileNet), nameof(SeShuffleNet), nameof(SeVgg16),
        nameof(MobileNetV3Large), nameof(MobileNetV3Small), nameof(EfficientNetB0), nameof(RegNetY400MF),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_row_has_the_parameters_and_buffers_TorchSharp_registers_under_its_path(string name)
    {
        var model = Catalogue.Models.Single(m => m.Name == name);
        using var module = model.Create();
        Check(model.Summary, module);
    }

    [Fact]
    public void A_network_with_used_blocks_and_a_stage_inside_a_block_matches_too()
    {
        using var inception = new SmallInception();
        Check(SmallInception.Summary, inception);
    }

    [Fact]
    public void The_tree_check_fails_for_a_row_with_a_wrong_buffer_count()
    {
        using var module = new TinySeNet();
        var rows = TinySeNet.Summary.Layers.ToArray();
        rows[1] = rows[1] with { Buffers = rows[1].Buffers + 1 };
        var wrong = new NetworkSummary(nameof(TinySeNet), TinySeNet.Summary.Input, rows);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Check(wrong, module));
    }

    private static void Check(NetworkSummary summary, torch.nn.Module module)
    {
        var parameters = module.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        var buffers = module.named_buffers().Select(b => (b.name, b.buffer)).ToList();

        Assert.Equal(parameters.Sum(p => p.parameter.numel()), summary.Parameters);
        Assert.Equal(parameters.Where(p => p.parameter.requires_grad).Sum(p => p.parameter.numel()), summary.TrainableParameters);
        Assert.Equal(0, summary.NonTrainableParameters);
        Assert.Equal(buffers.Sum(b => b.buffer.numel()), summary.Buffers);
        Assert.Equal(buffers.Count(b => b.name.EndsWith("num_batches_tracked", System.StringComparison.Ordinal)), summary.BatchNorms);
        Assert.Equal(parameters.Sum(p => p.parameter.numel() * p.parameter.ElementSize), summary.ParameterBytes);
        Assert.Equal(buffers.Sum(b => b.buffer.numel() * b.buffer.ElementSize), summary.BufferBytes);

        var leaves = new List<string>();
        foreach (var (path, row) in Rows(summary.Layers, ""))
        {
            Assert.True(parameters.Where(p => Under(p.name, path)).Sum(p => p.parameter.numel()) == row.Parameters,
                $"{summary.Name}: {path} has {row.Parameters} parameters at compile time, {parameters.Where(p => Under(p.name, path)).Sum(p => p.parameter.numel())} in TorchSharp");
            Assert.True(buffers.Where(b => Under(b.name, path)).Sum(b => b.buffer.numel()) == row.Buffers,
                $"{summary.Name}: {path} has {row.Buffers} buffer elements at compile time, {buffers.Where(b => Under(b.name, path)).Sum(b => b.buffer.numel())} in TorchSharp");
            if (row.Children.Count == 0)
            {
                leaves.Add(path);
            }
        }

        // Every parameter and buffer lies under a leaf row: the tree leaves nothing out.
        Assert.All(parameters.Select(p => p.name).Concat(buffers.Select(b => b.name)), key => Assert.Contains(leaves, leaf => Under(key, leaf)));
    }

    private static bool Under(string key, string path) => key.StartsWith(path + ".", System.StringComparison.Ordinal);

    private static IEnumerable<(string Path, LayerSummary Row)> Rows(IReadOnlyList<LayerSummary> rows, string prefix)
    {
        foreach (var row in rows)
        {
            yield return (prefix + row.Name, row);
            foreach (var inner in Rows(row.Children, prefix + row.Name + "."))
            {
                yield return inner;
            }
        }
    }
}
