using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace SeDsl;

/// <summary>One layer as measured in TorchSharp, beside what the compiler inferred for it.</summary>
/// <param name="Expected">The compile-time row.</param>
/// <param name="OutputShape">The measured output shape of one sample (batch dimension removed).</param>
/// <param name="Parameters">TorchSharp's count of the layer's learnable parameters.</param>
public sealed record MeasuredLayer(LayerSummary Expected, IReadOnlyList<long> OutputShape, long Parameters)
{
    /// <summary>Whether the measured shape and parameters equal the compile-time ones.</summary>
    public bool Matches => Parameters == Expected.Parameters && OutputShape.SequenceEqual(Expected.OutputShape);

    /// <summary><c>conv1 Conv2d: measured [32, 32, 32], 864 parameters; compiled [32, 32, 32], 864 parameters: matches</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Expected.Name} {Expected.Kind}: measured {TensorEntry.FormatShape(OutputShape)}, {Parameters:N0} parameters; " +
        $"compiled {TensorEntry.FormatShape(Expected.OutputShape)}, {Expected.Parameters:N0} parameters: {(Matches ? "matches" : "differs")}");
}

/// <summary>
/// A runtime summary: a real forward pass through a generated network, layer by layer, with TorchSharp's own output
/// shapes and parameter counts set beside the compile-time <see cref="NetworkSummary"/>, and every difference flagged.
/// Generated networks expose it as <c>MeasureSummary()</c>.
/// </summary>
public sealed class MeasuredSummary
{
    private MeasuredSummary(NetworkSummary expected, IReadOnlyList<MeasuredLayer> layers, long parameters)
    {
        Expected = expected;
        Layers = layers;
        Parameters = parameters;
    }

    /// <summary>The compile-time summary measured against.</summary>
    public NetworkSummary Expected { get; }

    /// <summary>The measured layers, in data-flow order.</summary>
    public IReadOnlyList<MeasuredLayer> Layers { get; }

    /// <summary>TorchSharp's count of all learnable parameters of the module.</summary>
    public long Parameters { get; }

    /// <summary>Whether every layer and the total agree with the compile-time figures.</summary>
    public bool Matches => Parameters == Expected.Parameters && Layers.Count == Expected.Layers.Count && Layers.All(l => l.Matches);

    /// <summary>One line per difference, naming the layer and both values; empty when everything matches.</summary>
    public IReadOnlyList<string> Differences
    {
        get
        {
            var differences = new List<string>();
            foreach (var layer in Layers.Where(l => !l.Matches))
            {
                differences.Add($"{layer.Expected.Name}: compile time {NetworkSummary.FormatShape(layer.Expected.OutputShape)} with {Count(layer.Expected.Parameters)} parameters, " +
                    $"TorchSharp {NetworkSummary.FormatShape(layer.OutputShape)} with {Count(layer.Parameters)}");
            }

            if (Parameters != Expected.Parameters)
            {
                differences.Add($"total: compile time {Count(Expected.Parameters)} parameters, TorchSharp {Count(Parameters)}");
            }

            return differences;
        }
    }

    /// <summary>
    /// Runs one zero-filled sample of the declared input shape through the layers of <paramref name="network"/> in order,
    /// each found by its summary name (its state_dict path; the generated forward pass of a network is exactly that
    /// sequence), in eval mode without gradients, and
    /// restores the module's training mode afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">The module has no submodule of a summary layer's name.</exception>
    public static MeasuredSummary Measure(nn.Module<Tensor, Tensor> network, NetworkSummary expected)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(expected);
        // A layer's summary name is its state_dict path (features.0 where it has a key), so the layers are found by path.
        var modules = new Dictionary<string, nn.Module>();
        foreach (var (name, module) in network.named_modules())
        {
            modules.TryAdd(name, module);
        }

        var children = expected.Layers.Select(l => (name: l.Name, module: modules.GetValueOrDefault(l.Name))).ToList();
        if (children.Any(c => c.module is null))
        {
            throw new ArgumentException(
                $"{expected.Name}: the module's submodules ({string.Join(", ", modules.Keys)}) do not include the summary's layers ({string.Join(", ", expected.Layers.Select(l => l.Name))}).",
                nameof(network));
        }

        bool training = network.training;
        network.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var parameter = network.parameters().FirstOrDefault();
            var x = zeros(new long[] { 1 }.Concat(expected.Input).ToArray(), dtype: parameter?.dtype ?? ScalarType.Float32, device: parameter?.device);
            var layers = new List<MeasuredLayer>();
            for (int i = 0; i < children.Count; i++)
            {
                if (children[i].module is not nn.Module<Tensor, Tensor> layer)
                {
                    throw new ArgumentException($"{expected.Name}: layer '{children[i].name}' is not a Module<Tensor, Tensor>.", nameof(network));
                }

                x = layer.forward(x);
                layers.Add(new MeasuredLayer(expected.Layers[i], x.shape.Skip(1).ToArray(), layer.parameters().Sum(p => p.numel())));
            }

            return new MeasuredSummary(expected, layers, network.parameters().Sum(p => p.numel()));
        }
        finally
        {
            network.train(training);
        }
    }

    /// <summary>The compile-time table with the measured shape and parameters and a flag on every differing row.</summary>
    public override string ToString()
    {
        var rows = new List<string[]> { new[] { "Layer", "Kind", "Output (compile time)", "Output (TorchSharp)", "Parameters", "TorchSharp", "" } };
        rows.AddRange(Layers.Select(l => new[]
        {
            l.Expected.Name, l.Expected.Kind, NetworkSummary.FormatShape(l.Expected.OutputShape), NetworkSummary.FormatShape(l.OutputShape),
            Count(l.Expected.Parameters), Count(l.Parameters), l.Matches ? "" : "<- differs",
        }));
        rows.Add(new[] { "Total", "", "", "", Count(Expected.Parameters), Count(Parameters), Parameters == Expected.Parameters ? "" : "<- differs" });
        int[] widths = Enumerable.Range(0, 7).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        text.Append(Expected.Name).Append(": ").Append(Matches ? "TorchSharp agrees with the compile-time summary" : $"{Differences.Count} difference(s) from the compile-time summary").Append('\n');
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c is 4 or 5 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
