using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using SeDsl.Training;
using SeDsl.Zoo;
using SeDsl.Zoo.HandWritten;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>bench [--iterations N] [--warmup N] [--min-time S] [--json]</c>: CPU latency of hand-written TorchSharp SE-ResNet-50 beside the
/// generated SE-ResNet-50 (unfused and fused) and the generated ResNet-50 (fused) at 224x224, batches 1 and 8; one
/// training step at batch 8; and one large convolution measuring the machine's convolution ceiling. Variants run in
/// turn within each iteration, so a slower moment of a shared machine falls on all of them; medians are reported.
/// </summary>
internal static class BenchCommand
{
    private static readonly int[] Batches = [1, 8];
    private const int TrainingBatch = 8;

    /// <summary>The default time budget per variant and batch, in seconds (see <see cref="Sampling"/>).</summary>
    internal const double DefaultMinSeconds = 1.5;

    public static Command Create()
    {
        var iterations = new Option<int>("--iterations") { Description = "At least this many timed rounds per variant and batch (the median is reported).", DefaultValueFactory = _ => 10 };
        var minTime = new Option<double>("--min-time") { Description = "Then more rounds until every variant's timed samples add up to this many seconds (0: exactly --iterations rounds).", DefaultValueFactory = _ => DefaultMinSeconds };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs per variant and batch before timing.", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Write one JSON object to stdout instead of the table." };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0: libtorch's default, one per core).", DefaultValueFactory = _ => 0 };
        var profile = new Option<bool>("--profile") { Description = "Also time the convolutions apart from everything else: fused SE-ResNet-50 at batch 8, and the bf16 NHWC SE-ResNet-50 and ResNet-50 at batches 1 and 8." };
        var command = new Command("bench", "Time generated SE-ResNet-50 (fused and unfused) against hand-written TorchSharp on the CPU.")
        {
            iterations,
            warmup,
            minTime,
            json,
            threads,
            profile,
            SeGateBenchCommand.Create(),
            LayerPrecisionBenchCommand.Create(),
        };
        command.SetAction(result =>
        {
            if (result.GetValue(threads) > 0)
            {
                set_num_threads(result.GetValue(threads));
            }

            var sampling = new Sampling(Math.Max(1, result.GetValue(iterations)), Math.Max(0, result.GetValue(warmup)), Math.Max(0, result.GetValue(minTime)) * 1000);
            return Run(sampling, result.GetValue(json), result.GetValue(profile), Console.Out, Console.Error);
        });
        return command;
    }

    private sealed record Variant(string Key, string Label, nn.Module<Tensor, Tensor> Model);

    /// <summary>A ratio of the bench: paired (<see cref="Estimate"/>, from two variants timed in the same rounds) or derived.</summary>
    private sealed record Ratio(string Key, string Label, double Value, RatioEstimate? Estimate, string Target)
    {
        public static Ratio Paired(string key, string label, List<double> numerator, List<double> denominator, string target)
        {
            var estimate = RatioEstimate.Paired(numerator, denominator);
            return new Ratio(key, label, estimate.Value, estimate, target);
        }
    }

    public static int Run(Sampling sampling, bool json, bool profile, TextWriter output, TextWriter progress)
    {
        manual_seed(0);
        var handWritten = new HandWrittenSeResNet50();
        var unfused = new SeResNet50();
        unfused.load_state_dict(handWritten.state_dict());
        var fused = new SeResNet50();
        fused.load_state_dict(handWritten.state_dict());
        fused.Fuse();
        var fusedNhwc = new SeResNet50();
        fusedNhwc.load_state_dict(handWritten.state_dict());
        fusedNhwc.Fuse(channelsLast: true);
        var resNet = new ResNet50();
        // The precision plan: the same weights, folded in float32, then bfloat16 in each layout.
        var fusedBf16 = new SeResNet50();
        fusedBf16.load_state_dict(handWritten.state_dict());
        fusedBf16.Fuse(Precision.BFloat16, MemoryFormat.Nchw);
        var fusedBf16Nhwc = new SeResNet50();
        fusedBf16Nhwc.load_state_dict(handWritten.state_dict());
        fusedBf16Nhwc.Fuse(Precision.BFloat16, MemoryFormat.Nhwc);
        var resNetBf16 = new ResNet50();
        resNetBf16.load_state_dict(resNet.state_dict());
        resNetBf16.Fuse(Precision.BFloat16, MemoryFormat.Nchw);
        var resNetBf16Nhwc = new ResNet50();
        resNetBf16Nhwc.load_state_dict(resNet.state_dict());
        resNetBf16Nhwc.Fuse(Precision.BFloat16, MemoryFormat.Nhwc);
        resNet.Fuse();
        handWritten.eval();
        unfused.eval();

        var variants = new[]
        {
            new Variant("handWritten", "(a) hand-written TorchSharp SE-ResNet-50", handWritten),
            new Variant("generatedUnfused", "(b) generated SE-ResNet-50, unfused", unfused),
            new Variant("generatedFused", "(c) generated SE-ResNet-50, fused", fused),
            new Variant("generatedResNet50Fused", "(d) generated ResNet-50, fused", resNet),
            new Variant("generatedFusedChannelsLast", "(c') generated SE-ResNet-50, fused, channels-last", fusedNhwc),
            new Variant("generatedFusedBf16", "(e) generated SE-ResNet-50, fused bf16, NCHW", fusedBf16),
            new Variant("generatedFusedBf16ChannelsLast", "(e') generated SE-ResNet-50, fused bf16, NHWC", fusedBf16Nhwc),
            new Variant("generatedResNet50FusedBf16", "(f) generated ResNet-50, fused bf16, NCHW", resNetBf16),
            new Variant("generatedResNet50FusedBf16ChannelsLast", "(f') generated ResNet-50, fused bf16, NHWC", resNetBf16Nhwc),
        };

        var inference = new Dictionary<(string, int), List<double>>();
        foreach (int batch in Batches)
        {
            progress.WriteLine($"bench: inference, batch {batch}, {sampling.Warmup} warm-up rounds, then at least {sampling.MinRounds} timed rounds and {Ms(sampling.MinMilliseconds)} ms per variant...");
            using var scope = NewDisposeScope();
            var input = randn(batch, 3, 224, 224);
            var times = sampling.Run(variants.Select<Variant, Action>(v => () =>
            {
                using var mode = inference_mode();
                v.Model.forward(input).Dispose();
            }).ToArray());
            for (int i = 0; i < variants.Length; i++)
            {
                inference[(variants[i].Key, batch)] = times[i];
            }
        }

        progress.WriteLine($"bench: training step, batch {TrainingBatch}...");
        var trainingSampling = sampling with { MinRounds = Math.Max(3, sampling.MinRounds / 2), Warmup = Math.Min(sampling.Warmup, 1) };
        var trainHand = new HandWrittenSeResNet50();
        var trainGenerated = new SeResNet50();
        trainGenerated.load_state_dict(trainHand.state_dict());
        var trainMixed = new SeResNet50();
        trainMixed.load_state_dict(trainHand.state_dict());
        using var mixed = new MixedPrecision(trainMixed);
        var training = trainingSampling.Run(new[] { TrainingStep(trainHand), TrainingStep(trainGenerated), MixedTrainingStep(trainMixed, mixed) });

        progress.WriteLine("bench: convolution ceiling...");
        var (ceilingMs, ceilingFlops) = ConvolutionCeiling(sampling);
        double ceiling = ceilingFlops / (ceilingMs / 1000) / 1e9;
        double fusedGflops = TrainingBatch * (double)SeResNet50.Flops / (Median(inference[("generatedFused", 8)]) / 1000) / 1e9;

        var ratios = new List<Ratio>();
        foreach (int batch in Batches)
        {
            ratios.Add(Ratio.Paired($"fusedVsHandWrittenBatch{batch}", $"generated fused / hand-written, batch {batch}", inference[("generatedFused", batch)], inference[("handWritten", batch)], "<= 0.80"));
        }

        foreach (int batch in Batches)
        {
            ratios.Add(Ratio.Paired($"unfusedVsHandWrittenBatch{batch}", $"generated unfused / hand-written, batch {batch}", inference[("generatedUnfused", batch)], inference[("handWritten", batch)], ""));
        }

        foreach (int batch in Batches)
        {
            ratios.Add(Ratio.Paired($"seOverheadBatch{batch}", $"SE overhead: fused SE-ResNet-50 / fused ResNet-50, batch {batch}", inference[("generatedFused", batch)], inference[("generatedResNet50Fused", batch)], "<= 1.03"));
        }

        foreach (int batch in Batches)
        {
            ratios.Add(Ratio.Paired($"channelsLastVsFusedBatch{batch}", $"NHWC / NCHW, fused SE-ResNet-50, batch {batch}", inference[("generatedFusedChannelsLast", batch)], inference[("generatedFused", batch)], "< 1 to use NHWC"));
        }

        ratios.Add(Ratio.Paired("fusedChannelsLastVsHandWrittenBatch8", "generated fused, channels-last / hand-written, batch 8", inference[("generatedFusedChannelsLast", 8)], inference[("handWritten", 8)], "<= 0.80"));
        foreach (int batch in Batches)
        {
            ratios.Add(Ratio.Paired($"bf16FusedVsHandWrittenBatch{batch}", $"fused bf16 NCHW SE-ResNet-50 / hand-written fp32, batch {batch}", inference[("generatedFusedBf16", batch)], inference[("handWritten", batch)], "<= 0.45"));
            ratios.Add(Ratio.Paired($"bf16FusedChannelsLastVsHandWrittenBatch{batch}", $"fused bf16 NHWC SE-ResNet-50 / hand-written fp32, batch {batch}", inference[("generatedFusedBf16ChannelsLast", batch)], inference[("handWritten", batch)], "<= 0.45"));
        }

        foreach (int batch in Batches)
        {
            ratios.Add(Ratio.Paired($"bf16SeOverheadBatch{batch}", $"SE overhead bf16 NCHW: SE-ResNet-50 / ResNet-50, batch {batch}", inference[("generatedFusedBf16", batch)], inference[("generatedResNet50FusedBf16", batch)], "<= 1.03"));
            ratios.Add(Ratio.Paired($"bf16SeOverheadChannelsLastBatch{batch}", $"SE overhead bf16 NHWC: SE-ResNet-50 / ResNet-50, batch {batch}", inference[("generatedFusedBf16ChannelsLast", batch)], inference[("generatedResNet50FusedBf16ChannelsLast", batch)], "<= 1.03"));
        }

        ratios.Add(Ratio.Paired("mixedTrainingVsHandWritten", $"training step, mixed bf16 generated / hand-written fp32, batch {TrainingBatch}", training[2], training[0], "<= 0.60"));
        ratios.Add(Ratio.Paired("trainingGeneratedVsHandWritten", $"training step, generated / hand-written, batch {TrainingBatch}", training[1], training[0], "<= 1.00"));
        ratios.Add(new Ratio("fusedBatch8FractionOfCeiling", "fused SE-ResNet-50 batch 8 GFLOP/s / convolution ceiling", fusedGflops / ceiling, null, ">= 0.50"));

        Profile? breakdown = null;
        if (profile)
        {
            progress.WriteLine("bench: profile of fused SE-ResNet-50, batch 8...");
            breakdown = ProfileConvolutions(fused, TrainingBatch, ScalarType.Float32, channelsLast: false, sampling);
        }

        // The bf16 forward, split the same way, for the SE overhead: the same convolutions in both networks, so the
        // difference of the rest is what the SE gates and their tails cost.
        var bf16Profiles = new List<(string Network, int Batch, Profile Profile)>();
        if (profile)
        {
            foreach (int batch in Batches)
            {
                progress.WriteLine($"bench: profile of fused bf16 NHWC SE-ResNet-50 and ResNet-50, batch {batch}...");
                bf16Profiles.Add(("seResNet50", batch, ProfileConvolutions(fusedBf16Nhwc, batch, ScalarType.BFloat16, channelsLast: true, sampling)));
                bf16Profiles.Add(("resNet50", batch, ProfileConvolutions(resNetBf16Nhwc, batch, ScalarType.BFloat16, channelsLast: true, sampling)));
            }
        }

        if (json)
        {
            WriteJson(output, sampling, variants, inference, training, ceilingMs, ceiling, fusedGflops, ratios, breakdown, bf16Profiles);
        }
        else
        {
            WriteTable(output, sampling, variants, inference, training, ceilingMs, ceiling, fusedGflops, ratios);
            if (breakdown is { } b)
            {
                output.WriteLine();
                output.WriteLine($"Profile, fused SE-ResNet-50, batch {TrainingBatch} (medians, ms): forward {Ms(b.TotalMs)}, of which convolutions {Ms(b.ConvolutionMs)} " +
                    $"({(b.ConvolutionMs / b.TotalMs * 100).ToString("F0", CultureInfo.InvariantCulture)}%, {b.ConvolutionGflops.ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s), " +
                    $"everything else (SE gates, addcmul, ReLU, pooling, classifier) {Ms(b.TotalMs - b.ConvolutionMs)}");
                foreach (var (kind, ms) in b.ByKind)
                {
                    output.WriteLine($"  {kind,-40} {Ms(ms),10}");
                }
            }

            foreach (var (network, batch, p) in bf16Profiles)
            {
                output.WriteLine($"Profile, fused bf16 NHWC {network}, batch {batch} (medians, ms): forward {Ms(p.TotalMs)}, convolutions {Ms(p.ConvolutionMs)}, everything else {Ms(p.TotalMs - p.ConvolutionMs)}");
            }
        }

        foreach (var variant in variants)
        {
            variant.Model.Dispose();
        }

        trainHand.Dispose();
        trainGenerated.Dispose();
        mixed.Dispose();
        trainMixed.Dispose();
        return 0;
    }

    /// <summary>One optimiser step: forward in training mode, cross-entropy, backward, SGD with momentum.</summary>
    private static Action TrainingStep(nn.Module<Tensor, Tensor> model)
    {
        model.train();
        var optimizer = optim.SGD(model.parameters(), learningRate: 0.01, momentum: 0.9);
        var input = randn(TrainingBatch, 3, 224, 224);
        var target = randint(0, 1000, [TrainingBatch]);
        return () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(input), target);
            loss.backward();
            optimizer.step();
        };
    }

    /// <summary>
    /// The same step in mixed precision (<see cref="MixedPrecision"/>): bfloat16 convolutions and linear layers from float32
    /// masters, float32 batch norms, loss and optimizer; the module holds its bfloat16 copies for the whole benchmark.
    /// </summary>
    private static Action MixedTrainingStep(nn.Module<Tensor, Tensor> model, MixedPrecision mixed)
    {
        model.train();
        var optimizer = optim.SGD(mixed.Parameters, learningRate: 0.01, momentum: 0.9);
        var input = randn(TrainingBatch, 3, 224, 224);
        var target = randint(0, 1000, [TrainingBatch]);
        mixed.Enter();
        return () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(SeDsl.Layers.PrecisionPlan.Exit(model.forward(mixed.Input(input))), target);
            loss.backward();
            mixed.Step(optimizer);
        };
    }

    /// <summary>A 3x3 convolution, 256 to 256 channels on 8 x 56 x 56 (ResNet's stage-1 width at stage-2 size): about 29.6 GFLOP.</summary>
    private static (double Milliseconds, double Flops) ConvolutionCeiling(Sampling sampling)
    {
        using var conv = nn.Conv2d(256, 256, 3, padding: 1, bias: false);
        conv.eval();
        using var input = randn(8, 256, 56, 56);
        double flops = 2.0 * 8 * 256 * 56 * 56 * 256 * 9;
        var times = sampling.Run(new Action[] { () =>
        {
            using var mode = inference_mode();
            conv.forward(input).Dispose();
        } });
        return (Median(times[0]), flops);
    }

    private sealed record Profile(double TotalMs, double ConvolutionMs, double ConvolutionGflops, List<(string Kind, double Ms)> ByKind);

    /// <summary>
    /// Replays every convolution of the fused <paramref name="model"/> (SE-ResNet-50 or ResNet-50) alone, on a random input
    /// of the shape, element type and layout it sees in the network, and times the whole forward on a float32 batch; the
    /// difference is the time of everything that is not a convolution (the entry cast included). (TorchSharp runs hooks
    /// only through <c>call</c>, and generated code calls <c>forward</c>.)
    /// </summary>
    private static Profile ProfileConvolutions(nn.Module<Tensor, Tensor> model, int batch, ScalarType type, bool channelsLast, Sampling sampling)
    {
        var replays = new List<(string Kind, Action Run)>();
        double flops = 0;
        using var scope = NewDisposeScope();
        foreach (var (_, conv, side) in ConvolutionInputs(model))
        {
            var input = randn(batch, conv.in_channels, side, side).to(type);
            input = channelsLast ? SeDsl.Layers.MemoryLayout.ToChannelsLast(input) : input;
            long outSide = (side + 2 * (conv.padding?[0] ?? 0) - conv.kernel_size[0]) / conv.stride[0] + 1;
            flops += 2.0 * batch * conv.out_channels * outSide * outSide * conv.in_channels / conv.groups * conv.kernel_size[0] * conv.kernel_size[1];
            replays.Add(($"conv {conv.kernel_size[0]}x{conv.kernel_size[1]}", () => conv.forward(input).Dispose()));
        }

        var kinds = replays.Select(r => r.Kind).Distinct().Order(StringComparer.Ordinal).ToList();
        var actions = kinds.Select<string, Action>(kind => () =>
        {
            using var mode = inference_mode();
            foreach (var replay in replays.Where(r => r.Kind == kind))
            {
                replay.Run();
            }
        }).ToList();
        using var image = randn(batch, 3, 224, 224);
        actions.Add(() =>
        {
            using var mode = inference_mode();
            model.forward(image).Dispose();
        });
        var times = sampling.Run(actions.ToArray()).Select(Median).ToArray();
        var byKind = kinds.Select((kind, i) => (kind, times[i])).ToList();
        double convolutionMs = byKind.Sum(k => k.Item2);
        return new Profile(times[^1], convolutionMs, flops / (convolutionMs / 1000) / 1e9, byKind);
    }

    /// <summary>
    /// Every convolution of the fused SE-ResNet-50 or ResNet-50 <paramref name="model"/> but the SE gates', with the side of
    /// the square input it sees for a 224x224 image.
    /// </summary>
    internal static List<(string Name, Conv2d Conv, long Side)> ConvolutionInputs(nn.Module model)
    {
        // Input side of each stage's first block, and of the blocks after it, for a 224x224 image.
        var stageInput = new Dictionary<string, (long First, long Later)> { ["layer1"] = (56, 56), ["layer2"] = (56, 28), ["layer3"] = (28, 14), ["layer4"] = (14, 7) };
        var result = new List<(string, Conv2d, long)>();
        foreach (var (name, child) in model.named_modules())
        {
            if (child is not Conv2d conv || name.Contains(".se.", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = name.Split('.');
            long side = 224;
            if (parts.Length > 1)
            {
                var (first, rest) = stageInput[parts[0]];
                side = parts[1] == "0" ? first : rest;
                // conv3 sees the output of the strided conv2.
                if (parts[2] == "conv3")
                {
                    side = (side + Conv2Stride(model, parts[0], parts[1]) - 1) / Conv2Stride(model, parts[0], parts[1]);
                }
            }

            result.Add((name, conv, side));
        }

        return result;
    }

    private static long Conv2Stride(nn.Module model, string stage, string block) =>
        model.named_modules().Where(m => m.name == $"{stage}.{block}.conv2").Select(m => ((Conv2d)m.module).stride[0]).First();

    /// <summary>Runs the actions in turn, <paramref name="warmup"/> rounds untimed and then exactly <paramref name="iterations"/> rounds timed; returns each one's median in milliseconds.</summary>
    internal static double[] Interleaved(Action[] actions, int iterations, int warmup) =>
        new Sampling(iterations, warmup, MinMilliseconds: 0).Run(actions).Select(Median).ToArray();

    private static double Median(List<double> values) => Spread.Of(values).Median;

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, Math.Round(value, 4));
        }
    }

    private static string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string F3(double value) => double.IsNaN(value) ? "-" : value.ToString("F3", CultureInfo.InvariantCulture);

    private static string SamplingLine(Sampling sampling) =>
        $"{sampling.Warmup} warm-up rounds, then at least {sampling.MinRounds} timed rounds and {Ms(sampling.MinMilliseconds / 1000)} s of samples per variant";

    private static void WriteTable(TextWriter output, Sampling sampling, Variant[] variants, Dictionary<(string, int), List<double>> inference,
        List<double>[] training, double ceilingMs, double ceiling, double fusedGflops, List<Ratio> ratios)
    {
        output.WriteLine($"CPU inference at 224x224 (float32 input), {SamplingLine(sampling)}, {get_num_threads()} threads; median ms (samples, interquartile range):");
        output.WriteLine($"  {"variant",-50} {"batch 1",28} {"batch 8",28}");
        foreach (var v in variants)
        {
            output.WriteLine($"  {v.Label,-50} {Cell(inference[(v.Key, 1)]),28} {Cell(inference[(v.Key, 8)]),28}");
        }

        output.WriteLine();
        output.WriteLine($"Training step, batch {TrainingBatch}, median ms (samples, interquartile range): hand-written {Cell(training[0])}, generated {Cell(training[1])}, generated mixed bf16 {Cell(training[2])}");
        output.WriteLine($"Convolution ceiling: 3x3 256->256 on 8x56x56 in {Ms(ceilingMs)} ms = {ceiling.ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s; " +
            $"fused SE-ResNet-50 at batch 8 runs {fusedGflops.ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s");
        output.WriteLine();
        output.WriteLine("Ratios: the median of the per-round ratios, with their count and interquartile range, and the ratio of the medians:");
        output.WriteLine($"  {"ratio",-66} {"value",7} {"rounds",6} {"IQR",13} {"of medians",10}  target");
        foreach (var r in ratios)
        {
            string rounds = r.Estimate is { } e ? e.RoundRatios.Count.ToString(CultureInfo.InvariantCulture) : "";
            string iqr = r.Estimate is { } q ? $"{F3(q.RoundRatios.Q1)}-{F3(q.RoundRatios.Q3)}" : "";
            string ofMedians = r.Estimate is { } m ? F3(m.RatioOfMedians) : "";
            output.WriteLine($"  {r.Label,-66} {F3(r.Value),7} {rounds,6} {iqr,13} {ofMedians,10}  {r.Target}");
        }

        var (splitRatios, splitMedians) = SplitHalf(ratios);
        output.WriteLine($"Even rounds against odd rounds, mean relative difference over the ratios: median of round ratios {F3(splitRatios)}, ratio of medians {F3(splitMedians)}");
    }

    /// <summary>Mean over the paired ratios of how far each estimate moves between the even and the odd rounds.</summary>
    private static (double RoundRatios, double Medians) SplitHalf(List<Ratio> ratios)
    {
        var paired = ratios.Where(r => r.Estimate is { } e && !double.IsNaN(e.SplitHalfOfRoundRatios)).Select(r => r.Estimate!).ToList();
        return paired.Count == 0 ? (double.NaN, double.NaN) : (paired.Average(e => e.SplitHalfOfRoundRatios), paired.Average(e => e.SplitHalfOfMedians));
    }

    private static string Cell(List<double> samples)
    {
        var spread = Spread.Of(samples);
        return $"{Ms(spread.Median)} ({spread.Count}, {Ms(spread.Q1)}-{Ms(spread.Q3)})";
    }

    private static void WriteSpread(Utf8JsonWriter writer, string name, List<double> samples)
    {
        var spread = Spread.Of(samples);
        writer.WriteStartObject(name);
        writer.WriteNumber("samples", spread.Count);
        writer.WriteNumber("q1", Math.Round(spread.Q1, 3));
        writer.WriteNumber("median", Math.Round(spread.Median, 3));
        writer.WriteNumber("q3", Math.Round(spread.Q3, 3));
        writer.WriteEndObject();
    }

    private static void WriteJson(TextWriter output, Sampling sampling, Variant[] variants, Dictionary<(string, int), List<double>> inference,
        List<double>[] training, double ceilingMs, double ceiling, double fusedGflops, List<Ratio> ratios, Profile? profile,
        List<(string Network, int Batch, Profile Profile)> bf16Profiles)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("iterations", sampling.MinRounds);
            writer.WriteNumber("warmup", sampling.Warmup);
            writer.WriteNumber("minSecondsPerVariant", Math.Round(sampling.MinMilliseconds / 1000, 3));
            writer.WriteNumber("threads", get_num_threads());
            writer.WriteStartObject("inferenceMedianMs");
            foreach (var v in variants)
            {
                writer.WriteStartObject(v.Key);
                foreach (int batch in Batches)
                {
                    writer.WriteNumber($"batch{batch}", Math.Round(Median(inference[(v.Key, batch)]), 3));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("inferenceSpreadMs");
            foreach (var v in variants)
            {
                writer.WriteStartObject(v.Key);
                foreach (int batch in Batches)
                {
                    WriteSpread(writer, $"batch{batch}", inference[(v.Key, batch)]);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("trainingStepMedianMs");
            writer.WriteNumber("batch", TrainingBatch);
            writer.WriteNumber("handWritten", Math.Round(Median(training[0]), 3));
            writer.WriteNumber("generated", Math.Round(Median(training[1]), 3));
            writer.WriteNumber("generatedMixedBf16", Math.Round(Median(training[2]), 3));
            writer.WriteEndObject();
            writer.WriteStartObject("trainingStepSpreadMs");
            WriteSpread(writer, "handWritten", training[0]);
            WriteSpread(writer, "generated", training[1]);
            WriteSpread(writer, "generatedMixedBf16", training[2]);
            writer.WriteEndObject();
            writer.WriteStartObject("convolutionCeiling");
            writer.WriteNumber("medianMs", Math.Round(ceilingMs, 3));
            writer.WriteNumber("gflops", Math.Round(ceiling, 3));
            writer.WriteEndObject();
            writer.WriteNumber("fusedSeResNet50Batch8Gflops", Math.Round(fusedGflops, 3));
            writer.WriteStartObject("ratios");
            foreach (var r in ratios)
            {
                writer.WriteNumber(r.Key, Math.Round(r.Value, 4));
            }

            writer.WriteEndObject();
            writer.WriteStartObject("ratioSpread");
            foreach (var r in ratios)
            {
                if (r.Estimate is not { } e)
                {
                    continue;
                }

                writer.WriteStartObject(r.Key);
                writer.WriteNumber("rounds", e.RoundRatios.Count);
                writer.WriteNumber("q1", Math.Round(e.RoundRatios.Q1, 4));
                writer.WriteNumber("q3", Math.Round(e.RoundRatios.Q3, 4));
                writer.WriteNumber("ratioOfMedians", Math.Round(e.RatioOfMedians, 4));
                WriteNumberOrNull(writer, "splitHalfOfRoundRatios", e.SplitHalfOfRoundRatios);
                WriteNumberOrNull(writer, "splitHalfOfMedians", e.SplitHalfOfMedians);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            var (splitRatios, splitMedians) = SplitHalf(ratios);
            writer.WriteStartObject("splitHalfMean");
            WriteNumberOrNull(writer, "roundRatios", splitRatios);
            WriteNumberOrNull(writer, "medians", splitMedians);
            writer.WriteEndObject();
            if (profile is { } p)
            {
                writer.WriteStartObject("profileFusedBatch8Ms");
                writer.WriteNumber("forward", Math.Round(p.TotalMs, 3));
                writer.WriteNumber("convolutions", Math.Round(p.ConvolutionMs, 3));
                writer.WriteNumber("convolutionGflops", Math.Round(p.ConvolutionGflops, 3));
                foreach (var (kind, ms) in p.ByKind)
                {
                    writer.WriteNumber(kind, Math.Round(ms, 3));
                }

                writer.WriteEndObject();
            }

            if (bf16Profiles.Count > 0)
            {
                writer.WriteStartObject("profileBf16ChannelsLastMs");
                foreach (var network in bf16Profiles.Select(b => b.Network).Distinct())
                {
                    writer.WriteStartObject(network);
                    foreach (var (_, batch, split) in bf16Profiles.Where(b => b.Network == network))
                    {
                        writer.WriteStartObject($"batch{batch}");
                        writer.WriteNumber("forward", Math.Round(split.TotalMs, 3));
                        writer.WriteNumber("convolutions", Math.Round(split.ConvolutionMs, 3));
                        writer.WriteNumber("other", Math.Round(split.TotalMs - split.ConvolutionMs, 3));
                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
