using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using SeDsl.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>bench se-gate [--iterations N] [--warmup N] [--threads N] [--json]</c>: times each part of SE-ResNet-50's sixteen SE
/// gates (the squeeze and its alternatives, the two small matrix products, the sigmoid, the residual tail) and the stem
/// (entry cast, 7x7 convolution), in float32 and bfloat16, NCHW and NHWC, at batches 1 and 8. Each figure is the median
/// time of one part summed over all sixteen gates (3, 4, 6 and 3 blocks at 256 x 56 x 56, 512 x 28 x 28, 1024 x 14 x 14
/// and 2048 x 7 x 7), so it compares directly with the whole network's forward. The parts of one configuration run in
/// turn within each round, as in <c>bench</c>.
/// </summary>
internal static class SeGateBenchCommand
{
    private static readonly int[] Batches = [1, 8];

    /// <summary>One stage of SE-ResNet-50: the gate's channels, reduced width (C / 16), feature map side and block count.</summary>
    private sealed record Stage(long Channels, long Reduced, long Side, int Blocks);

    private static readonly Stage[] Stages = [new(256, 16, 56, 3), new(512, 32, 28, 4), new(1024, 64, 14, 6), new(2048, 128, 7, 3)];

    /// <summary>A precision and layout of the fused path.</summary>
    private sealed record Configuration(string Key, ScalarType Type, bool ChannelsLast);

    private static readonly Configuration[] Configurations =
    [
        new("float32Nchw", ScalarType.Float32, false),
        new("float32Nhwc", ScalarType.Float32, true),
        new("bf16Nchw", ScalarType.BFloat16, false),
        new("bf16Nhwc", ScalarType.BFloat16, true),
    ];

    public static Command Create()
    {
        var iterations = new Option<int>("--iterations") { Description = "Timed rounds per configuration (the median is reported).", DefaultValueFactory = _ => 15 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed rounds before timing.", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Write one JSON object to stdout instead of the table." };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0: libtorch's default, one per core).", DefaultValueFactory = _ => 0 };
        var command = new Command("se-gate", "Time each part of SE-ResNet-50's SE gates and its stem in float32 and bfloat16, NCHW and NHWC.")
        {
            iterations,
            warmup,
            json,
            threads,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(threads) > 0)
            {
                set_num_threads(result.GetValue(threads));
            }

            return Run(Math.Max(1, result.GetValue(iterations)), Math.Max(0, result.GetValue(warmup)), result.GetValue(json), Console.Out, Console.Error);
        });
        return command;
    }

    public static int Run(int iterations, int warmup, bool json, TextWriter output, TextWriter progress)
    {
        manual_seed(0);
        // (configuration, batch) -> part -> median ms; parts in first-seen order.
        var results = new Dictionary<(string, int), Dictionary<string, double>>();
        var parts = new List<(string Key, string Label)>();
        foreach (int batch in Batches)
        {
            foreach (var configuration in Configurations)
            {
                progress.WriteLine($"bench se-gate: {configuration.Key}, batch {batch}...");
                using var scope = NewDisposeScope();
                var actions = GateParts(configuration, batch).Concat(StemParts(configuration, batch)).ToList();
                var times = BenchCommand.Interleaved(actions.Select(a => a.Run).ToArray(), iterations, warmup);
                var row = new Dictionary<string, double>();
                for (int i = 0; i < actions.Count; i++)
                {
                    row[actions[i].Key] = times[i];
                    if (!parts.Any(p => p.Key == actions[i].Key))
                    {
                        parts.Add((actions[i].Key, actions[i].Label));
                    }
                }

                results[(configuration.Key, batch)] = row;
            }
        }

        if (json)
        {
            WriteJson(output, iterations, warmup, parts, results);
        }
        else
        {
            WriteTable(output, iterations, warmup, parts, results);
        }

        return 0;
    }

    private sealed record Part(string Key, string Label, Action Run);

    /// <summary>A random N x C x H x W tensor of the configuration's type and layout.</summary>
    private static Tensor Activation(Configuration c, long batch, long channels, long side)
    {
        using var values = randn(batch, channels, side, side);
        using var typed = values.to(c.Type);
        return c.ChannelsLast ? MemoryLayout.ToChannelsLast(typed) : typed.clone();
    }

    /// <summary>The parts of the gate, each summed over the sixteen gates; every tensor lives in the caller's dispose scope.</summary>
    private static List<Part> GateParts(Configuration c, long batch)
    {
        bool bf16 = c.Type == ScalarType.BFloat16;
        var x = new List<Tensor>();
        var ones = new List<Tensor>();
        var convs = new List<Conv2d>();
        var narrow = new List<Tensor>();
        var scratch = new List<Tensor>();
        var identity = new List<Tensor>();
        var scratchIdentity = new List<Tensor>();
        var vector = new List<Tensor>();
        var hidden = new List<Tensor>();
        var logits = new List<Tensor>();
        var gate = new List<Tensor>();
        var w1 = new List<Tensor>();
        var b1 = new List<Tensor>();
        var w2 = new List<Tensor>();
        var b2 = new List<Tensor>();
        var w1f = new List<Tensor>();
        var b1f = new List<Tensor>();
        var w2f = new List<Tensor>();
        var b2f = new List<Tensor>();
        var modules = new List<SqueezeExcitation>();
        foreach (var s in Stages)
        {
            x.Add(Activation(c, batch, s.Channels, s.Side));
            ones.Add(torch.ones(batch, 1, s.Side * s.Side, dtype: c.Type));
            scratch.Add(Activation(c, batch, s.Channels, s.Side));
            identity.Add(Activation(c, batch, s.Channels, s.Side));
            scratchIdentity.Add(Activation(c, batch, s.Channels, s.Side));
            vector.Add(randn(batch, s.Channels).to(c.Type));
            hidden.Add(randn(batch, s.Reduced).to(c.Type));
            logits.Add(randn(batch, s.Channels).to(c.Type));
            gate.Add(rand(batch, s.Channels, 1, 1).to(c.Type));
            // fc1 and fc2 weights as the gate reads them: a 1x1 convolution's weight viewed as a matrix, transposed.
            w1f.Add(randn(s.Reduced, s.Channels).div_(Math.Sqrt(s.Channels)).t());
            b1f.Add(randn(s.Reduced));
            w2f.Add(randn(s.Channels, s.Reduced).div_(Math.Sqrt(s.Reduced)).t());
            b2f.Add(randn(s.Channels));
            w1.Add(w1f[^1].t().to(c.Type).t());
            b1.Add(b1f[^1].to(c.Type));
            w2.Add(w2f[^1].t().to(c.Type).t());
            b2.Add(b2f[^1].to(c.Type));
            // conv3 of the bottleneck (planes = C / 4 to C, 1x1, its batch norm folded: a bias) and its input.
            var conv3 = nn.Conv2d(s.Channels / 4, s.Channels, 1, bias: true);
            conv3.eval();
            conv3.to(c.Type);
            convs.Add(conv3);
            narrow.Add(Activation(c, batch, s.Channels / 4, s.Side));
            var module = new SqueezeExcitation(s.Channels, s.Reduced);
            module.eval();
            module.to(c.Type);
            modules.Add(module);
        }

        Part Each(string key, string label, Action<int> run) => new(key, label, () =>
        {
            using var mode = inference_mode();
            for (int i = 0; i < Stages.Length; i++)
            {
                for (int block = 0; block < Stages[i].Blocks; block++)
                {
                    using var step = NewDisposeScope();
                    run(i);
                }
            }
        });

        var result = new List<Part>
        {
            Each("squeezeMean", "squeeze: mean over H, W", i => x[i].mean([2, 3])),
            Each("squeezeAdaptiveAvgPool", "squeeze: adaptive_avg_pool2d(x, 1)", i => nn.functional.adaptive_avg_pool2d(x[i], 1)),
            Each("squeezeSum", "squeeze: sum over H, W (1/(H*W) folded into fc1)", i => x[i].sum([2, 3])),
        };
        if (bf16)
        {
            result.Add(Each("squeezeMeanToFloat32", "squeeze: mean over H, W, float32 result", i => x[i].mean([2, 3], type: ScalarType.Float32)));
            result.Add(Each("squeezeSumToFloat32", "squeeze: sum over H, W, float32 result", i => x[i].sum([2, 3], type: ScalarType.Float32)));
        }

        if (c.ChannelsLast)
        {
            result.Add(Each("squeezeRowsMean", "squeeze: view (N, H*W, C), mean over rows", i => Rows(x[i]).mean([1])));
            result.Add(Each("squeezeRowsSum", "squeeze: view (N, H*W, C), sum over rows", i => Rows(x[i]).sum([1])));
            result.Add(Each("squeezeRowsOnesBmm", "squeeze: ones (N, 1, H*W) bmm view (N, H*W, C)", i => ones[i].bmm(Rows(x[i]))));
            if (bf16)
            {
                result.Add(Each("squeezeRowsMeanToFloat32", "squeeze: view (N, H*W, C), mean, float32 result", i => Rows(x[i]).mean([1], type: ScalarType.Float32)));
            }
        }

        result.Add(Each("squeezeThroughConv3", "squeeze of the fused tail: SqueezeThrough(conv3, its input), else of x", i =>
            _ = modules[i].SqueezeThrough(convs[i], narrow[i]) ?? (bf16 ? x[i].sum([2, 3]) : x[i].mean([2, 3]))));
        result.Add(Each("fc1", "excitation: fc1 addmm (N x C -> N x C/16)", i => b1[i].addmm(vector[i], w1[i])));
        result.Add(Each("fc2", "excitation: fc2 addmm (N x C/16 -> N x C)", i => b2[i].addmm(hidden[i], w2[i])));
        result.Add(Each("sigmoid", "excitation: sigmoid_ on N x C", i => logits[i].clone().sigmoid_()));
        result.Add(Each("clone", "(a clone of N x C, to subtract from the sigmoid)", i => logits[i].clone()));
        result.Add(Each("excitation", "excitation: addmm, relu_, addmm, sigmoid_", i => b2[i].addmm(b1[i].addmm(vector[i], w1[i]).relu_(), w2[i]).sigmoid_()));
        result.Add(Each("excitationScaled", "excitation, fc1's addmm with alpha = 1/(H*W)", i =>
            b2[i].addmm(b1[i].addmm(vector[i], w1[i], beta: 1, alpha: 1f / (Stages[i].Side * Stages[i].Side)).relu_(), w2[i]).sigmoid_()));
        result.Add(Each("excite", "squeeze and excitation: se.Excite(x)", i => modules[i].Excite(x[i])));
        if (bf16)
        {
            result.Add(Each("excitationFloat32", "excitation in float32: cast in, fp32 fc1/fc2/sigmoid, cast out", i =>
                b2f[i].addmm(b1f[i].addmm(vector[i].to(ScalarType.Float32), w1f[i]).relu_(), w2f[i]).sigmoid_().to(c.Type)));
        }

        result.Add(Each("tailAddcmul", "tail: identity.addcmul(x, s) then relu_", i => identity[i].addcmul(x[i], gate[i], 1).relu_()));
        result.Add(Each("tailAddcmulInPlace", "tail: identity.addcmul_(x, s) then relu_ (identity a temporary)", i => scratchIdentity[i].addcmul_(x[i], gate[i], 1).relu_()));
        result.Add(Each("tailInPlace", "tail: x.mul_(s).add_(identity).relu_()", i => scratch[i].mul_(gate[i]).add_(identity[i]).relu_()));
        result.Add(Each("tailResNet", "ResNet-50's tail, no SE: x.add_(identity).relu_()", i => scratch[i].add_(identity[i]).relu_()));
        result.Add(Each("gate", "whole SE tail: se.ScaleAdd(x, identity).relu_()", i => modules[i].ScaleAdd(x[i], identity[i]).relu_()));
        return result;
    }

    /// <summary>A channels-last N x C x H x W tensor as the (N, H*W, C) matrix it is in memory.</summary>
    private static Tensor Rows(Tensor x) => x.permute(0, 2, 3, 1).view(x.shape[0], x.shape[2] * x.shape[3], x.shape[1]);

    /// <summary>The stem at 224 x 224: the entry cast of a float32 NCHW input, and the 7x7 convolution (3 to 64, stride 2) with its ReLU.</summary>
    private static List<Part> StemParts(Configuration c, long batch)
    {
        var input = randn(batch, 3, 224, 224);
        var entered = PrecisionPlan.Enter(input, c.Type, c.ChannelsLast);
        entered = ReferenceEquals(entered, input) ? input.clone() : entered;
        var conv = nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: true);
        conv.eval();
        conv.to(c.Type);
        return
        [
            new("stemEntry", "stem: entry cast of the float32 input (PrecisionPlan.Enter)", () =>
            {
                using var mode = inference_mode();
                var x = PrecisionPlan.Enter(input, c.Type, c.ChannelsLast);
                if (!ReferenceEquals(x, input))
                {
                    x.Dispose();
                }
            }),
            new("stemConv", "stem: conv1 7x7 (3 -> 64, stride 2) + relu_", () =>
            {
                using var mode = inference_mode();
                conv.forward(entered).relu_().Dispose();
            }),
        ];
    }

    private static string Ms(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter output, int iterations, int warmup, List<(string Key, string Label)> parts, Dictionary<(string, int), Dictionary<string, double>> results)
    {
        output.WriteLine($"SE-ResNet-50's 16 SE gates and its stem, each part summed over the gates, medians of {iterations} rounds after {warmup} warm-up, {get_num_threads()} threads (ms):");
        foreach (int batch in Batches)
        {
            output.WriteLine();
            output.WriteLine($"  batch {batch}{"",-60} " + string.Join(" ", Configurations.Select(c => $"{c.Key,11}")));
            foreach (var (key, label) in parts)
            {
                var cells = Configurations.Select(c => results[(c.Key, batch)].TryGetValue(key, out double ms) ? $"{Ms(ms),11}" : $"{"-",11}");
                output.WriteLine($"  {label,-67} " + string.Join(" ", cells));
            }
        }
    }

    private static void WriteJson(TextWriter output, int iterations, int warmup, List<(string Key, string Label)> parts, Dictionary<(string, int), Dictionary<string, double>> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("iterations", iterations);
            writer.WriteNumber("warmup", warmup);
            writer.WriteNumber("threads", get_num_threads());
            writer.WriteStartObject("medianMs");
            foreach (var c in Configurations)
            {
                writer.WriteStartObject(c.Key);
                foreach (int batch in Batches)
                {
                    writer.WriteStartObject($"batch{batch}");
                    foreach (var (key, _) in parts)
                    {
                        if (results[(c.Key, batch)].TryGetValue(key, out double ms))
                        {
                            writer.WriteNumber(key, Math.Round(ms, 3));
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
