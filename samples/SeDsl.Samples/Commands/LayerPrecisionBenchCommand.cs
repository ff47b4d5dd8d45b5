using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using SeDsl.Layers;
using SeDsl.Zoo;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>bench layers [--batch N] [--iterations N] [--warmup N] [--min-time S] [--threads N]</c>: every convolution of the fused
/// SE-ResNet-50 (its gates' aside) and the classifier, replayed alone on inputs of the shapes they see, grouped by stage
/// and role (the stem, each stage's conv1, conv2, conv3 and projection), in float32 NCHW, float32 NHWC and bfloat16 NHWC
/// from the same folded weights, and in bfloat16 as a matrix product (<see cref="MatrixProductConvolution.AsMatrixProduct"/>,
/// whatever the rule says): which layers gain from bfloat16 at a batch size, and where the matrix product beats the
/// convolution. The four forms of one group run in turn within each round, with the sampling rule of <c>bench</c>.
/// </summary>
internal static class LayerPrecisionBenchCommand
{
    public static Command Create()
    {
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 1 };
        var iterations = new Option<int>("--iterations") { Description = "At least this many timed rounds per group.", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed rounds before timing.", DefaultValueFactory = _ => 2 };
        var minTime = new Option<double>("--min-time") { Description = "Then more rounds until every precision's samples add up to this many seconds.", DefaultValueFactory = _ => 0.5 };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0: libtorch's default, one per core).", DefaultValueFactory = _ => 0 };
        var command = new Command("layers", "Time each stage's convolutions and the classifier of the fused SE-ResNet-50 in float32 and bfloat16.")
        {
            batch,
            iterations,
            warmup,
            minTime,
            threads,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(threads) > 0)
            {
                set_num_threads(result.GetValue(threads));
            }

            var sampling = new Sampling(Math.Max(1, result.GetValue(iterations)), Math.Max(0, result.GetValue(warmup)), Math.Max(0, result.GetValue(minTime)) * 1000);
            return Run(Math.Max(1, result.GetValue(batch)), sampling, Console.Out, Console.Error);
        });
        return command;
    }

    private static readonly (string Key, ScalarType Type, bool ChannelsLast)[] Precisions =
        [("float32 NCHW", ScalarType.Float32, false), ("float32 NHWC", ScalarType.Float32, true), ("bf16 NHWC", ScalarType.BFloat16, true), ("bf16 matmul", ScalarType.BFloat16, true)];

    public static int Run(int batch, Sampling sampling, TextWriter output, TextWriter progress)
    {
        manual_seed(0);
        using var float32 = new SeResNet50();
        using var bf16 = new SeResNet50();
        bf16.load_state_dict(float32.state_dict());
        float32.Fuse();
        bf16.Fuse(SeDsl.Precision.BFloat16, MemoryFormat.Nhwc);
        using var scope = NewDisposeScope();
        var convolutions = BenchCommand.ConvolutionInputs(float32);
        var bf16Modules = bf16.named_modules().ToDictionary(m => m.name, m => m.module);
        var groups = convolutions.GroupBy(c => Group(c.Name, c.Conv)).ToList();
        var rows = new List<(string Group, int Count, double[] Ms)>();
        foreach (var group in groups)
        {
            progress.WriteLine($"bench layers: {group.Key}...");
            var actions = Precisions.Select(p =>
            {
                var replays = group.Select(c =>
                {
                    var conv = p.Type == ScalarType.BFloat16 ? (Conv2d)bf16Modules[c.Name] : c.Conv;
                    var input = Input(batch, c.Conv.in_channels, c.Side, p.Type, p.ChannelsLast);
                    if (p.Key == "bf16 matmul")
                    {
                        return (Action)(() => MatrixProductConvolution.AsMatrixProduct(conv, input).Dispose());
                    }

                    return (Action)(() => conv.forward(input).Dispose());
                }).ToList();
                return (Action)(() =>
                {
                    using var mode = inference_mode();
                    foreach (var replay in replays)
                    {
                        replay();
                    }
                });
            }).ToArray();
            rows.Add((group.Key, group.Count(), sampling.Run(actions).Select(s => Spread.Of(s).Median).ToArray()));
        }

        progress.WriteLine("bench layers: classifier...");
        var fc = float32.named_modules().Single(m => m.name == "fc").module as Linear ?? throw new InvalidOperationException("No classifier.");
        var fcBf16 = (Linear)bf16Modules["fc"];
        var features = randn(batch, fc.in_features);
        var featuresBf16 = features.to(ScalarType.BFloat16);
        var head = sampling.Run(
        [
            () => { using var mode = inference_mode(); fc.forward(features).Dispose(); },
            () => { using var mode = inference_mode(); fc.forward(features).Dispose(); },
            () => { using var mode = inference_mode(); fcBf16.forward(featuresBf16).Dispose(); },
            () => { using var mode = inference_mode(); fcBf16.forward(featuresBf16).Dispose(); },
        ]).Select(s => Spread.Of(s).Median).ToArray();
        rows.Add(("fc (2048 -> 1000)", 1, head));

        output.WriteLine($"Fused SE-ResNet-50, batch {batch}, each layer group replayed alone, median ms ({get_num_threads()} threads):");
        output.WriteLine($"  {"group",-34} {"convs",5} " + string.Join(" ", Precisions.Select(p => $"{p.Key,13}")) + $" {"bf16 / best fp32",17}");
        foreach (var (group, count, ms) in rows)
        {
            output.WriteLine($"  {group,-34} {count,5} " + string.Join(" ", ms.Select(m => $"{Ms(m),13}")) + $" {(ms[2] / Math.Min(ms[0], ms[1])).ToString("F2", CultureInfo.InvariantCulture),17}");
        }

        output.WriteLine($"  {"total",-34} {rows.Sum(r => r.Count),5} " + string.Join(" ", Enumerable.Range(0, Precisions.Length).Select(i => $"{Ms(rows.Sum(r => r.Ms[i])),13}")));
        return 0;
    }

    private static Tensor Input(long batch, long channels, long side, ScalarType type, bool channelsLast)
    {
        var input = randn(batch, channels, side, side).to(type);
        return channelsLast ? MemoryLayout.ToChannelsLast(input) : input;
    }

    /// <summary>The group of a convolution: the stem, or the stage and the block's role (conv1, conv2, conv3, the projection).</summary>
    private static string Group(string name, Conv2d conv)
    {
        var parts = name.Split('.');
        string kind = $"{conv.kernel_size[0]}x{conv.kernel_size[1]}";
        return parts.Length == 1 ? $"stem {name} {kind}" : $"{parts[0]} {(parts[2] == "conv1" || parts[2] == "conv2" || parts[2] == "conv3" ? parts[2] : "projection")} {kind}";
    }

    private static string Ms(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
