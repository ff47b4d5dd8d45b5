using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>Writes the generated part of a network class: the TorchSharp module, and its compile-time summary.</summary>
internal static class NetworkEmitter
{
    private static readonly string Version = typeof(NetworkEmitter).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    // On members, not the class: the class also holds the user's hand-written part, and the attribute may appear once.
    private static readonly string GeneratedCode = $"[{Code.GeneratedCode}(\"SeDsl.Generator\", \"{Version}\")]";

    public static string HintName(NetworkPlan plan, string concern) =>
        ((plan.Namespace.Length == 0 ? "" : plan.Namespace + ".") + plan.ClassName + ".SeDsl." + concern + ".g.cs").Replace("@", "");

    public static string EmitModule(NetworkPlan plan)
    {
        var w = Header(plan);
        using (w.Block($"partial class {plan.ClassName} : {Code.Module}"))
        {
            w.Line($"/// <summary>Learnable parameters, counted at compile time: {Code.Grouped(plan.Parameters)}.</summary>");
            w.Line(GeneratedCode);
            w.Line($"public const long ParameterCount = {Code.Literal(plan.Parameters)};");
            w.Line();
            w.Line($"/// <summary>Multiply-adds for one {plan.Input} sample, counted at compile time: {Code.Grouped(plan.MultiplyAdds)} (convention: docs/dsl.md).</summary>");
            w.Line(GeneratedCode);
            w.Line($"public const long MultiplyAdds = {Code.Literal(plan.MultiplyAdds)};");
            w.Line();
            w.Line("/// <summary>Creates the network with freshly initialised weights; submodules are registered in declaration order.</summary>");
            w.Line(GeneratedCode);
            w.Line($"public {plan.ClassName}()");
            w.Line($"    : base(nameof({plan.ClassName}))");
            using (w.Block(""))
            {
                foreach (var layer in plan.Layers)
                {
                    w.Line($"{layer.Spec.Identifier} = {Factory(layer)};");
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

            w.Line();
            w.Line($"/// <summary>Runs the network on a batch of shape [N, {ShapeText(plan)}].</summary>");
            w.Line($"/// <exception cref=\"global::System.ArgumentException\">The input is not of that shape.</exception>");
            w.Line(GeneratedCode);
            using (w.Block($"public override {Code.Tensor} forward({Code.Tensor} input)"))
            {
                string first = Code.Literal(plan.Layers.Count > 0 ? plan.Layers[0].Spec.Name : "input");
                long height = plan.RequiresInputSize ? plan.Input.Height : 0;
                long width = plan.RequiresInputSize ? plan.Input.Width : 0;
                w.Line($"{Code.InputCheck}.Require(input, nameof({plan.ClassName}), {first}, channels: {Code.Literal(plan.Input.Channels)}, height: {Code.Literal(height)}, width: {Code.Literal(width)});");
                if (plan.Layers.Count == 0)
                {
                    w.Line("return input.alias();");
                }
                else
                {
                    w.Line($"using var scope = {Code.Torch}.NewDisposeScope();");
                    for (int i = 0; i < plan.Layers.Count; i++)
                    {
                        string name = plan.Layers[i].Spec.Identifier;
                        // "this." because a layer may be named like a local (x, input, scope).
                        w.Line(i == 0 ? $"var x = this.{name}.forward(input);" : $"x = this.{name}.forward(x);");
                    }

                    w.Line("return x.MoveToOuterDisposeScope();");
                }
            }
        }

        return w.ToString();
    }

    public static string EmitSummary(NetworkPlan plan)
    {
        var w = Header(plan);
        using (w.Block($"partial class {plan.ClassName}"))
        {
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

            w.Line("    });");
        }

        return w.ToString();
    }

    private static SourceWriter Header(NetworkPlan plan)
    {
        var w = new SourceWriter()
            .Line("// <auto-generated/>")
            .Line("// Generated by SeDsl.Generator from the [Network] declaration of " + plan.ClassName + ". Do not edit.")
            .Line("#nullable enable")
            .Line();
        if (plan.Namespace.Length > 0)
        {
            w.Line($"namespace {plan.Namespace};").Line();
        }

        return w;
    }

    private static string ShapeText(NetworkPlan plan) => plan.RequiresInputSize
        ? $"{plan.Input.Channels}, {plan.Input.Height}, {plan.Input.Width}"
        : $"{plan.Input.Channels}, H, W";

    private static string Dims(Shape shape) => shape.Flat
        ? Code.Literal(shape.Channels)
        : string.Join(", ", new[] { shape.Channels, shape.Height, shape.Width }.Select(Code.Literal));

    /// <summary>The expression that creates a layer's module, with every argument named. Enum values were range-checked by the analysis.</summary>
    private static string Factory(LayerPlan layer)
    {
        var input = layer.Input;
        switch (layer.Spec)
        {
            case ConvSpec c:
                // A literal 0 also converts to the Padding enum, which makes "padding: 0" ambiguous; 0 is the default anyway.
                string padding = layer.Padding == 0 ? "" : $"padding: {layer.Padding}, ";
                return $"{Code.Nn}.Conv2d(in_channels: {input.Channels}, out_channels: {layer.Output.Channels}, kernel_size: {c.Kernel}, stride: {c.Stride}, {padding}dilation: {c.Dilation}, groups: {layer.Groups}, bias: {Code.Literal(c.Bias)})";
            case BatchNormSpec bn:
                return $"{Code.Nn}.BatchNorm2d(num_features: {input.Channels}, eps: {Code.Literal(bn.Eps)}, momentum: {Code.Literal(bn.Momentum)})";
            case ActivationSpec a:
                return a.Activation switch
                {
                    ActivationKind.ReLU => $"{Code.Nn}.ReLU()",
                    ActivationKind.ReLU6 => $"{Code.Nn}.ReLU6()",
                    ActivationKind.Sigmoid => $"{Code.Nn}.Sigmoid()",
                    ActivationKind.Tanh => $"{Code.Nn}.Tanh()",
                    ActivationKind.HardSigmoid => $"{Code.Nn}.Hardsigmoid()",
                    _ => $"{Code.Nn}.SiLU()",
                };
            case PoolSpec p:
                string pool = p.Max ? "MaxPool2d" : "AvgPool2d";
                return $"{Code.Nn}.{pool}(kernel_size: {p.Kernel}, stride: {(p.Stride == 0 ? p.Kernel : p.Stride)}, padding: {p.Padding}, ceil_mode: {Code.Literal(p.CeilMode)})";
            case GlobalPoolSpec g:
                return g.Max ? $"{Code.Nn}.AdaptiveMaxPool2d(new long[] {{ 1, 1 }})" : $"{Code.Nn}.AdaptiveAvgPool2d(1)";
            case FlattenSpec:
                return $"{Code.Nn}.Flatten()";
            case LinearSpec l:
                return $"{Code.Nn}.Linear(inputSize: {input.Channels}, outputSize: {l.OutFeatures}, hasBias: {Code.Literal(l.Bias)})";
            case DropoutSpec d:
                return $"{Code.Nn}.Dropout(p: {Code.Literal(d.P)})";
            case ChannelShuffleSpec s:
                return $"{Code.Nn}.ChannelShuffle(groups: {s.Groups})";
            case SqueezeExciteSpec se:
                return $"new {Code.SqueezeExcitation}(channels: {input.Channels}, reducedChannels: {layer.ReducedChannels}, squeeze: {Code.SqueezeOperator}.{se.Squeeze}, gate: {Code.ExcitationGate}.{se.Gate}, bias: {Code.Literal(se.Bias)})";
            default:
                return $"{Code.Nn}.Identity()";
        }
    }
}
