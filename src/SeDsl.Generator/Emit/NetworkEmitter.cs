using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>Writes the generated part of a network class: the TorchSharp module, and its compile-time summary.</summary>
internal static class NetworkEmitter
{
    private static readonly string Version = typeof(NetworkEmitter).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    // On members, not the class: the class also holds the user's hand-written part, and the attribute may appear once.
    public static readonly string GeneratedCode = $"[{Code.GeneratedCode}(\"SeDsl.Generator\", \"{Version}\")]";

    public static string HintName(NetworkPlan plan, string concern) =>
        ((plan.Namespace.Length == 0 ? "" : plan.Namespace + ".") + plan.ClassName + ".SeDsl." + concern + ".g.cs").Replace("@", "");

    public static string EmitModule(NetworkPlan plan)
    {
        var w = Header(plan.Namespace, plan.ClassName, "Network");
        using (w.Block($"partial class {plan.ClassName} : {Code.Module}, {Code.Fusable}"))
        {
            w.Line($"/// <summary>Learnable parameters, counted at compile time: {Code.Grouped(plan.Parameters)}.</summary>");
            w.Line(GeneratedCode);
            w.Line($"public const long ParameterCount = {Code.Literal(plan.Parameters)};");
            w.Line();
            w.Line($"/// <summary>Multiply-adds for one {plan.Input} sample, counted at compile time: {Code.Grouped(plan.MultiplyAdds)} (convention: docs/dsl.md).</summary>");
            w.Line(GeneratedCode);
            w.Line($"public const long MultiplyAdds = {Code.Literal(plan.MultiplyAdds)};");
            w.Line();
            w.Line("/// <summary>Floating-point operations for one sample, counting a multiply-add as two: 2 x <see cref=\"MultiplyAdds\"/>.</summary>");
            w.Line(GeneratedCode);
            w.Line($"public const long Flops = {Code.Literal(2 * plan.MultiplyAdds)};");
            w.Line();
            w.Line("/// <summary>Creates the network with freshly initialised weights; submodules are registered in declaration order.</summary>");
            w.Line(GeneratedCode);
            w.Line($"public {plan.ClassName}()");
            w.Line($"    : base(nameof({plan.ClassName}))");
            using (w.Block(""))
            {
                foreach (var layer in plan.Layers)
                {
                    if (layer.Spec is StageSpec stage)
                    {
                        WriteStage(w, layer, stage);
                    }
                    else if (layer.Spec is UseSpec use)
                    {
                        var arguments = new[] { $"inChannels: {Code.Literal(layer.Input.Channels)}", $"stride: {Code.Literal(use.Stride)}" }
                            .Concat(use.Block.Parameters.Select((p, j) => $"{p}: {use.Arguments[j]}"));
                        w.Line($"{use.Identifier} = new {use.Block.QualifiedName}({string.Join(", ", arguments)});");
                    }
                    else
                    {
                        w.Line($"{layer.Spec.Identifier} = {Factory(layer)};");
                    }
                }

                if (plan.Layers.Count > 0)
                {
                    w.Line();
                }

                foreach (var layer in plan.Layers)
                {
                    w.Line($"register_module(nameof({layer.Spec.Identifier}), {layer.Spec.Identifier});");
                }
            }

            var layers = plan.Layers.Select(l => l.Spec).ToList();
            w.Line();
            w.Line("/// <summary>Set by <see cref=\"Fuse\"/>: batch norms are folded and <c>forward</c> takes the inference path.</summary>");
            w.Line(GeneratedCode);
            w.Line($"private bool {FastPath.FusedField};");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line(GeneratedCode);
            w.Line($"bool {Code.Fusable}.IsFused => this.{FastPath.FusedField};");
            w.Line();
            w.Line("/// <summary>Set by <see cref=\"Fuse\"/>: the fused path stores its input channels-last (NHWC) first.</summary>");
            w.Line(GeneratedCode);
            w.Line($"private bool {FastPath.ChannelsLastField};");
            w.Line();
            w.Line(FastPath.FuseSummary(new[] { layers }, layers.Any(l => l is UseSpec or StageSpec), projection: false));
            w.Line("/// <param name=\"channelsLast\">Whether the fused path runs channels-last (NHWC): faster on some devices and batch sizes, slower on others; docs/performance.md has the measurements.</param>");
            w.Line(GeneratedCode);
            using (w.Block($"public {plan.ClassName} Fuse(bool channelsLast = false)"))
            {
                using (w.Block($"if (this.{FastPath.FusedField})"))
                {
                    w.Line("return this;");
                }

                w.Line();
                w.Line("this.eval();");
                FastPath.WriteFolds(w, layers, fold: true);
                w.Line($"this.{FastPath.ChannelsLastField} = channelsLast;");
                w.Line($"this.{FastPath.FusedField} = true;");
                w.Line("return this;");
            }

            w.Line();
            w.Line($"/// <summary>Runs the network on a batch of shape [N, {ShapeText(plan)}]; after <see cref=\"Fuse\"/>, on the fused inference path.</summary>");
            w.Line($"/// <exception cref=\"global::System.ArgumentException\">The input is not of that shape, or not of the dtype and on the device of the parameters.</exception>");
            w.Line(GeneratedCode);
            using (w.Block($"public override {Code.Tensor} forward({Code.Tensor} input)"))
            {
                string first = Code.Literal(plan.Layers.Count > 0 ? plan.Layers[0].Spec.Name : "input");
                long height = plan.RequiresInputSize ? plan.Input.Height : 0;
                long width = plan.RequiresInputSize ? plan.Input.Width : 0;
                w.Line($"{Code.InputCheck}.Require(this, input, nameof({plan.ClassName}), {first}, channels: {Code.Literal(plan.Input.Channels)}, height: {Code.Literal(height)}, width: {Code.Literal(width)});");
                if (plan.Layers.Count == 0)
                {
                    w.Line("return input.alias();");
                }
                else
                {
                    using (w.Block($"if (this.{FastPath.FusedField})"))
                    {
                        w.Line($"return this.{FastPath.FusedForward}(input);");
                    }

                    w.Line();
                    w.Line($"using var scope = {Code.Torch}.NewDisposeScope();");
                    FastPath.WriteChain(w, layers, ForwardPath.Training, "x", "input", declare: true, sourceIsTemporary: false);
                    w.Line("return x.MoveToOuterDisposeScope();");
                }
            }

            w.Line();
            w.Line("/// <summary>The inference path after <see cref=\"Fuse\"/>: batch norms folded, activations in place, no autograd.</summary>");
            w.Line(GeneratedCode);
            using (w.Block($"private {Code.Tensor} {FastPath.FusedForward}({Code.Tensor} input)"))
            {
                FastPath.WriteFusedPrologue(w, plan.ClassName);
                w.Line($"var x = this.{FastPath.ChannelsLastField} ? {FastPath.MemoryLayout}.ToChannelsLast(input) : input;");
                FastPath.WriteChain(w, layers, ForwardPath.Fused, "x", "x", declare: false, sourceIsTemporary: false);
                w.Line("return x.MoveToOuterDisposeScope();");
            }
        }

        return w.ToString();
    }

    public static string EmitSummary(NetworkPlan plan)
    {
        var w = Header(plan.Namespace, plan.ClassName, "Network");
        // The class's documentation carries the summary, so that hovering the class in an IDE shows it. It goes in
        // <remarks>, which leaves the user's own <summary> on their part of the class untouched.
        w.Line("/// <remarks>");
        w.Line($"/// <para>Compile-time summary (SeDsl): input {plan.Input}, output {plan.Output}; {Code.Grouped(plan.Parameters)} parameters; {Code.Grouped(plan.MultiplyAdds)} multiply-adds per sample.</para>");
        w.Line("/// <list type=\"table\">");
        w.Line("/// <listheader><term>layer</term><description>kind, output, parameters, multiply-adds</description></listheader>");
        foreach (var layer in plan.Layers)
        {
            w.Line($"/// <item><term>{Xml(layer.Spec.Name)}</term><description>{Xml(layer.Spec.Kind)}, {layer.Output}, {Code.Grouped(layer.Parameters)}, {Code.Grouped(layer.MultiplyAdds)}</description></item>");
        }

        w.Line("/// </list>");
        w.Line("/// </remarks>");
        using (w.Block($"partial class {plan.ClassName}"))
        {
            w.Line("/// <summary>The architecture as a Mermaid flowchart: stages and blocks collapsed, batch norm and activations folded into the layer they follow.</summary>");
            w.Line(GeneratedCode);
            w.Line($"public const string Diagram = {MermaidDiagram.Literal(plan)};");
            w.Line();
            w.Line("/// <summary>The compile-time summary: output shape, parameters and multiply-adds of every layer.</summary>");
            w.Line(GeneratedCode);
            w.Line($"public static {Code.NetworkSummary} Summary {{ get; }} = new(");
            w.Line($"    nameof({plan.ClassName}),");
            w.Line($"    new long[] {{ {Dims(plan.Input)} }},");
            w.Line($"    new {Code.LayerSummary}[]");
            w.Line("    {");
            foreach (var layer in plan.Layers)
            {
                w.Line($"        new({Code.Literal(layer.Spec.Name)}, {Code.Literal(layer.Spec.Kind)}, new long[] {{ {Dims(layer.Output)} }}, {Code.Literal(layer.Parameters)}, {Code.Literal(layer.MultiplyAdds)}),");
            }

            w.Line("    },");
            w.Line("    Diagram);");
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Runs one sample through the layers in TorchSharp and sets the measured output shapes and parameter counts beside");
            w.Line("/// the compile-time <see cref=\"Summary\"/>, flagging every difference.");
            w.Line("/// </summary>");
            w.Line(GeneratedCode);
            w.Line($"public {Code.MeasuredSummary} MeasureSummary() => {Code.MeasuredSummary}.Measure(this, Summary);");
        }

        return w.ToString();
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static SourceWriter Header(string ns, string className, string attribute)
    {
        var w = new SourceWriter()
            .Line("// <auto-generated/>")
            .Line($"// Generated by SeDsl.Generator from the [{attribute}] declaration of {className}. Do not edit.")
            .Line("#nullable enable")
            .Line();
        if (ns.Length > 0)
        {
            w.Line($"namespace {ns};").Line();
        }

        return w;
    }

    private static string ShapeText(NetworkPlan plan) => plan.RequiresInputSize
        ? $"{plan.Input.Channels}, {plan.Input.Height}, {plan.Input.Width}"
        : $"{plan.Input.Channels}, H, W";

    private static string Dims(Shape shape) => shape.Flat
        ? Code.Literal(shape.Channels)
        : string.Join(", ", new[] { shape.Channels, shape.Height, shape.Width }.Select(Code.Literal));

    /// <summary>A stage: a Sequential whose children 0, 1, ... are the blocks, one per line.</summary>
    private static void WriteStage(SourceWriter w, LayerPlan layer, StageSpec stage)
    {
        w.Line($"{stage.Identifier} = {Code.Nn}.Sequential(");
        for (int i = 0; i < layer.BlockInputs.Count; i++)
        {
            var arguments = new[] { $"inChannels: {Code.Literal(layer.BlockInputs[i])}", $"stride: {Code.Literal(i == 0 ? stage.Stride : 1)}" }
                .Concat(stage.Block.Parameters.Select((p, j) => $"{p}: {Code.Literal(stage.Arguments[j])}"));
            string end = i == layer.BlockInputs.Count - 1 ? "));" : "),";
            w.Line($"    (\"{Code.Literal(i)}\", new {stage.Block.QualifiedName}({string.Join(", ", arguments)}){end}");
        }
    }

    /// <summary>A layer's creation expression from its analysed plan: every size is a literal.</summary>
    private static string Factory(LayerPlan layer)
    {
        var sizes = new LayerSizes(
            Code.Literal(layer.Input.Channels),
            Code.Literal(layer.Output.Channels),
            Code.Literal(layer.Groups),
            Code.Literal(layer.ReducedChannels),
            Code.Literal(BlockEmitter.StrideOf(layer.Spec) ?? 1));
        return LayerFactory.Create(layer.Spec, sizes, layer.Padding);
    }
}
