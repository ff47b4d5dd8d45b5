using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>Writes a network's compile-time summary: the class documentation IDEs show on hover, <c>Summary</c> and <c>Diagram</c>.</summary>
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

        // The class's documentation carries the summary, so that hovering the class in an IDE shows it. It goes in
        // <remarks>, which leaves the user's own <summary> on their part of the class untouched.
        w.Line("/// <remarks>");
        w.Line($"/// <para>Compile-time summary (SeDsl): input {plan.Input}, output {plan.Output}; {Code.Grouped(plan.Parameters)} parameters; {Code.Grouped(plan.MultiplyAdds)} multiply-adds per sample.</para>");
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
            ModuleSkeleton.Member(w, "/// <summary>The architecture as a Mermaid flowchart: stages and blocks collapsed, batch norm and activations folded into the layer they follow.</summary>",
                $"public const string Diagram = {MermaidDiagram.Literal(plan)};");
            w.Line("/// <summary>The compile-time summary: output shape, parameters and multiply-adds of every layer.</summary>");
            w.Line(Code.GeneratedCode);
            w.Line($"public static {Code.NetworkSummary} Summary {{ get; }} = new(");
            w.Line($"    nameof({className}),");
            w.Line($"    new long[] {{ {Dims(plan.Input)} }},");
            w.Line($"    new {Code.LayerSummary}[]");
            w.Line("    {");
            foreach (var (layer, name) in plan.Layers.Zip(names, (l, n) => (l, n)))
            {
                w.Line($"        new({Code.Literal(name)}, {Code.Literal(layer.Spec.Kind)}, new long[] {{ {Dims(layer.Output)} }}, {Code.Literal(layer.Parameters)}, {Code.Literal(layer.MultiplyAdds)}),");
            }

            w.Line("    },");
            w.Line("    Diagram);");
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

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Dims(Shape shape) => shape.Flat
        ? Code.Literal(shape.Channels)
        : string.Join(", ", new[] { shape.Channels, shape.Height, shape.Width }.Select(Code.Literal));
}
