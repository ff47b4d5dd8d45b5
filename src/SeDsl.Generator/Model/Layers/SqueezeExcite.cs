using System.Collections.Generic;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[SqueezeExcite]</c>: shape unchanged; two 1x1 excitation layers C -> width -> C, so 2 C width weights
/// (+ C + width biases) and as many multiply-adds. The width is stated (<see cref="Width"/>, an expression that may use
/// the block's parameters, <c>inChannels</c> and <c>makeDivisible</c>), or derived from the ratio by the runtime's rule
/// (<c>SqueezeExcitation.ReducedWidth</c>, one file shared by both sides). The squeeze, the gate and the inner activation
/// are enum values or, in a block, expressions. On the fast paths the gate runs as tensor operations (<c>Scale</c>,
/// <c>ScaleInPlace</c>, and <c>ScaleAdd</c> at the end of a residual body).
/// </summary>
internal sealed record SqueezeExciteSpec(string Name, Expr R, Expr? Width, Expr Squeeze, Expr Gate, Expr InnerActivation, Expr Divisor, bool Bias) : LayerSpec(Name)
{
    /// <summary>The runtime's <c>SeDsl.SqueezeOperator</c> and <c>SeDsl.ExcitationGate</c> as the model types them (a test guards them against drift).</summary>
    public static readonly DslType SqueezeType = DslType.Enum("SeDsl.SqueezeOperator", EquatableArray.Of(new EnumMember("Average", 0), new EnumMember("Max", 1)));
    public static readonly DslType GateType = DslType.Enum("SeDsl.ExcitationGate", EquatableArray.Of(
        new EnumMember("Sigmoid", 0), new EnumMember("ReLU", 1), new EnumMember("Tanh", 2), new EnumMember("HardSigmoid", 3)));

    public static readonly LayerKind Kind1 = new("SeDsl.SqueezeExciteAttribute", "SeDsl.Layers.SqueezeExcitation", Read);

    public override string Kind => "SqueezeExcite";

    public override bool KeepsNoOutputForBackward => true;

    private static SqueezeExciteSpec? Read(string name, IAttributeArguments a)
    {
        var r = a.Size("R", 16);
        var width = a.Has("Width") ? a.Size("Width", 0) : null;
        var squeeze = a.Value("Squeeze", new Expr.Member(SqueezeType.EnumType, "Average", 0), SqueezeType);
        var gate = a.Value("Gate", new Expr.Member(GateType.EnumType, "Sigmoid", 0), GateType);
        var activation = a.Value("InnerActivation", new Expr.Member(ChosenActivationSpec.EnumType, "ReLU", 0), ChosenActivationSpec.Type);
        var divisor = a.Size("Divisor", 1);
        if (width is not null && (a.Has("R") || a.Has("Divisor")))
        {
            // Wrong for every use, so reported here once rather than for each instance of the block.
            a.Refuse("Width", "given without R or Divisor (the width replaces the ratio rule)", width.ToString());
            return null;
        }

        return r is null || (a.Has("Width") && width is null) || squeeze is null || gate is null || activation is null || divisor is null
            ? null
            : new SqueezeExciteSpec(name, r, width, squeeze, gate, activation, divisor, a.Bool("Bias", true));
    }

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;
        var squeeze = Named(Squeeze, SqueezeType, "Squeeze", "a named SqueezeOperator value");
        var gate = Named(Gate, GateType, "Gate", "a named ExcitationGate value");
        var activation = Named(InnerActivation, ChosenActivationSpec.Type, "InnerActivation", "a named SeDsl.Activation value");
        Expr? width = null;
        if (Width is not null)
        {
            width = scope.Size(Width, name, "Width", sink);
            if (width is not null && width.Constant < 1)
            {
                sink.Add(DiagnosticIds.ReductionLeavesNoChannels, "Width", name, "Width = " + Width, input.Channels.ToString());
                return null;
            }
        }

        if (sink.Count != before || squeeze is null || gate is null || activation is null || (Width is not null && width is null))
        {
            return null;
        }

        // After the other checks, so that SEDSL104 (a warning) does not stop the layer.
        width ??= RatioWidth(input, scope, name, sink);
        if (width is null)
        {
            return null;
        }

        var weights = input.Channels * width * 2;
        var arguments = new List<ConstructionArgument>
        {
            Make.Arg("channels", input.Channels),
            Make.Arg("reducedChannels", width),
            Make.Arg("squeeze", ArgumentValue.Of(squeeze)),
            Make.Arg("gate", ArgumentValue.Of(gate)),
            Make.Arg("bias", Bias),
        };
        if (activation is not Expr.Member { Value: 0 })
        {
            arguments.Add(Make.Arg("activation", ArgumentValue.Of(activation)));
        }

        var create = new Construction("SeDsl.Layers.SqueezeExcitation", true, arguments.ToEquatableArray());
        return new LayerResult(input, Bias ? weights + input.Channels + width : weights, weights, create) { ReducedChannels = width };

        Expr? Named(Expr declared, DslType type, string argument, string rule)
        {
            var value = scope.Size(declared, name, argument, sink);
            if (value is Expr.Member m && type.MemberOf(m.Value) is null)
            {
                sink.Add(DiagnosticIds.InvalidArgument, argument, name, argument, rule, m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "Layer");
                return null;
            }

            return value;
        }
    }

    /// <summary>The width from the ratio: C / r, or timm's rounding to a multiple of the divisor; SEDSL104 when C / r is inexact.</summary>
    private Expr? RatioWidth(Dims input, Scope scope, string name, FindingSink sink)
    {
        var r = scope.Checked(R, name, "R", sink, v => v >= 1, "at least 1");
        var divisor = scope.Checked(Divisor, name, "Divisor", sink, v => v >= 1, "at least 1");
        if (r is null || divisor is null)
        {
            return null;
        }

        var width = Expr.Apply(SizeFunction.ReducedWidth, EquatableArray.Of(input.Channels, r, divisor));
        if (width.Constant < 1)
        {
            sink.Add(DiagnosticIds.ReductionLeavesNoChannels, "R", name, r.ToString(), input.Channels.ToString());
            return null;
        }

        if (divisor.Constant == 1 && input.Channels.Constant is { } c && r.Constant is { } rv && c % rv != 0)
        {
            sink.Add(DiagnosticIds.ReductionNotExact, "R", name, r.ToString(), input.Channels.ToString(), width.ToString());
        }

        return width;
    }
}
