using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// Writes a network's compile-time summary: the class documentation IDEs show on hover, <c>Summary</c> (every layer, with
/// stages and blocks expanded to their insides) and <c>Diagram</c>.
/// </summary>
internal static class SummaryEmitter
{
    /// <param name="fileScopedNamespace">Whether the project's C# has file-scoped namespaces (10 and later).</param>
    public static string Emit(NetworkPlan plan, bool fileScopedNamespace)
    {
        string className = plan.Type.Name;

        // A layer is named by its state_dict path: its key where it has one (features.0), else its field name.
        var names = StateKey.Paths(plan.Layers.Select(l => l.Spec));
        var w = new SourceWriter();
        var ns = ModuleSkeleton.Header(w, plan.Type.Namespace, className, "Network", fileScopedNamespace);
        long buffers = plan.Layers.Sum(l => l.Result.Buffers.Constant ?? 0);

        // The class's documentation carries the summary, so that hovering the class in an IDE shows it. It goes in
        // <remarks>, which leaves the user's own <summary> on their part of the class untouched.
        w.Line("/// <remarks>");
        w.Line($"/// <para>Compile-time summary (SeDsl): input {plan.Input}, output {plan.Output}; {Code.Grouped(plan.Parameters)} parameters (all trainable) and {Code.Grouped(buffers)} buffer elements; {Code.Grouped(plan.MultiplyAdds)} multiply-adds per sample.</para>");
        w.Line("/// <list type=\"table\">");
        w.Line("/// <listheader><term>layer</term><description>kind, output, parameters, multiply-adds</description></listheader>");
        foreach (var (layer, name) in plan.Layers.Zip(names, (l, n) => (l, n)))
        {
            w.Line($"/// <item><term>{Xml(name)}</term><description>{Xml(layer.Spec.Kind)}, {layer.Output}, {Code.Grouped(layer.Parameters)}, {Code.Grouped(layer.MultiplyAdds)}</description></item>");
        }

        w.Line("/// </list>");
        w.Line("/// </remarks>");
        using (w.Block($"partial class {className}"))
        {
            ModuleSkeleton.Member(w, "/// <summary>The architecture as a Mermaid flowchart, blocks as subgraphs with their shortcuts and branches (<see cref=\"global::SeDsl.NetworkSummary.ToMermaid\"/> for another depth).</summary>",
                "public static string Diagram => Summary.Diagram;");
            w.Line("/// <summary>");
            w.Line("/// The compile-time summary: output shape, parameters, buffers and multiply-adds of every layer, stages and blocks");
            w.Line("/// with their insides; <c>Summary.ToText(depth, batchSize)</c> prints it with totals and memory estimates.");
            w.Line("/// </summary>");
            w.Line(Code.GeneratedCode);
            w.Line($"public static {Code.NetworkSummary} Summary {{ get; }} = new(");
            w.Line($"    nameof({className}),");
            w.Line($"    new long[] {{ {Dims(plan.Input)} }},");
            w.Line($"    new {Code.LayerSummary}[]");
            w.Line("    {");
            foreach (var (layer, name) in plan.Layers.Zip(names, (l, n) => (l, n)))
            {
                Row(w, "        ", NetworkRow(layer) with { Name = name });
            }

            w.Line("    });");
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Runs one sample through the layers in TorchSharp and sets the measured output shapes and parameter counts beside");
            w.Line("/// the compile-time <see cref=\"Summary\"/>, flagging every difference.");
            w.Line("/// </summary>");
            w.Line(Code.GeneratedCode);
            w.Line($"public {Code.MeasuredSummary} MeasureSummary() => {Code.MeasuredSummary}.Measure(this, Summary);");
        }

        ns.Dispose();
        return w.ToString();
    }

    /// <summary>One row of the summary, in numbers, with the rows inside it.</summary>
    private sealed record SummaryRow(string Name, string Kind, Shape Output, long Parameters, long MultiplyAdds)
    {
        public long Buffers { get; init; }

        public long ReducedChannels { get; init; }

        public Placement Placement { get; init; }

        public BlockExpansion? Block { get; init; }

        public IReadOnlyList<SummaryRow> Children { get; init; } = new SummaryRow[0];
    }

    private static SummaryRow NetworkRow(LayerPlan layer) =>
        Layer(layer.Spec, layer.Output, layer.Result);

    private static SummaryRow Layer(LayerSpec spec, Shape output, LayerResult result)
    {
        var row = new SummaryRow(spec.Name, spec.Kind, output, Number(result.Parameters), Number(result.MultiplyAdds))
        {
            Buffers = Number(result.Buffers),
            ReducedChannels = Number(result.ReducedChannels),
            Placement = spec.Placement,
        };
        return spec switch
        {
            StageSpec stage => row with { Children = result.Expansions.Select((e, i) => Instance(stage.ChildKey.Replace(StateKey.Append, Code.Literal(i)), e)).ToList() },
            UseSpec when result.Expansions.Count == 1 => row with { Block = result.Expansions[0], Children = Inside(result.Expansions[0]) },
            _ => row,
        };
    }

    private static SummaryRow Instance(string name, BlockExpansion expansion) =>
        new(name, expansion.Block.Type.Name, Known(expansion.Output), Number(expansion.Parameters), Number(expansion.MultiplyAdds))
        {
            Buffers = Inside(expansion).Sum(r => r.Buffers),
            Block = expansion,
            Children = Inside(expansion),
        };

    /// <summary>A block's rows in the order they run: body (or branches, then the layers after the concatenation), projection (<c>downsample</c>), shortcut layers, after the addition.</summary>
    private static IReadOnlyList<SummaryRow> Inside(BlockExpansion expansion)
    {
        // A block's layers are named as a network's: by their state_dict path inside the block (block.0), else their field.
        var names = StateKey.Paths(expansion.Layers.Select(l => l.Spec));
        var rows = new List<SummaryRow>();
        bool projected = false;
        foreach (var (layer, name) in expansion.Layers.Zip(names, (l, n) => (l, n)))
        {
            if (!projected && layer.Spec.Placement is Placement.Shortcut or Placement.AfterAddition)
            {
                AddProjection(rows, expansion);
                projected = true;
            }

            rows.Add(Layer(layer.Spec, Known(layer.Result.Output), layer.Result) with { Name = name });
        }

        if (!projected)
        {
            AddProjection(rows, expansion);
        }

        return rows;
    }

    /// <summary>The projection shortcut as torchvision registers it: <c>downsample.0</c> the convolution, <c>downsample.1</c> the batch norm.</summary>
    private static void AddProjection(List<SummaryRow> rows, BlockExpansion expansion)
    {
        if (expansion.Projection is not { } p)
        {
            return;
        }

        var output = Known(p.Output);
        long convolution = Number(p.ConvolutionParameters), batchNorm = Number(p.BatchNormParameters), macs = Number(p.MultiplyAdds), buffers = Number(p.BatchNormBuffers);
        rows.Add(new SummaryRow(expansion.Block.ShortcutName, "Projection", output, convolution + batchNorm, macs)
        {
            Buffers = buffers,
            Placement = Placement.Shortcut,
            Children = new[]
            {
                new SummaryRow("0", "Conv2d", output, convolution, macs) { Placement = Placement.Shortcut },
                new SummaryRow("1", "BatchNorm2d", output, batchNorm, 0) { Buffers = buffers, Placement = Placement.Shortcut },
            },
        });
    }

    private static void Row(SourceWriter w, string indent, SummaryRow row)
    {
        string head = $"{indent}new({Code.Literal(row.Name)}, {Code.Literal(row.Kind)}, new long[] {{ {Dims(row.Output)} }}, {Code.Literal(row.Parameters)}, {Code.Literal(row.MultiplyAdds)})";
        var properties = new List<string>();
        if (row.Buffers != 0)
        {
            properties.Add($"Buffers = {Code.Literal(row.Buffers)}");
        }

        if (row.ReducedChannels != 0)
        {
            properties.Add($"ReducedChannels = {Code.Literal(row.ReducedChannels)}");
        }

        if (row.Placement != Placement.Body)
        {
            properties.Add($"Placement = global::SeDsl.LayerPlacement.{row.Placement}");
        }

        if (row.Block is { } block)
        {
            // An inverted residual's shortcut exists only where the block keeps its input's shape.
            bool noShortcut = !block.Block.Residual || (block.Block.ShortcutIdentityOrNone && !block.Input.Equals(block.Output));
            string shortcut = noShortcut ? "None" : block.Projection is null ? "Identity" : "Projection";
            properties.Add($"Block = new(global::SeDsl.ShortcutKind.{shortcut}, {Code.Literal(block.Block.Parallel)}, {Code.Literal(block.Block.Residual && block.Block.ReluAfterAddition)})");
        }

        if (row.Children.Count == 0)
        {
            w.Line(properties.Count == 0 ? head + "," : head + " { " + string.Join(", ", properties) + " },");
            return;
        }

        w.Line(head);
        w.Line(indent + "{");
        foreach (string property in properties)
        {
            w.Line($"{indent}    {property},");
        }

        w.Line($"{indent}    Children = new {Code.LayerSummary}[]");
        w.Line($"{indent}    {{");
        foreach (var child in row.Children)
        {
            Row(w, indent + "        ", child);
        }

        w.Line($"{indent}    }},");
        w.Line(indent + "},");
    }

    /// <summary>A size in a network's instance, where every size is a number.</summary>
    private static long Number(Expr value) => value.Constant ?? 0;

    private static Shape Known(Dims dims) => dims.Known ?? Shape.Spatial(0, 0, 0);

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Dims(Shape shape) => shape.Flat
        ? Code.Literal(shape.Channels)
        : string.Join(", ", new[] { shape.Channels, shape.Height, shape.Width }.Select(Code.Literal));
}
