using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>Mirrors <c>SeDsl.SqueezeOperator</c> (a test guards the two against drift).</summary>
internal enum SqueezeKind
{
    Average = 0,
    Max = 1,
}

/// <summary>Mirrors <c>SeDsl.ExcitationGate</c> (a test guards the two against drift).</summary>
internal enum GateKind
{
    Sigmoid = 0,
    ReLU = 1,
    Tanh = 2,
    HardSigmoid = 3,
}

/// <summary>
/// <c>[SqueezeExcite]</c>: shape unchanged; two 1x1 excitation layers C -> width -> C, so 2 C width weights
/// (+ C + width biases) and as many multiply-adds. The width is the runtime's rule (<c>SqueezeExcitation.ReducedWidth</c>,
/// one file shared by both sides). On the fast paths the gate runs as tensor operations (<c>Scale</c>, <c>ScaleInPlace</c>,
/// and <c>ScaleAdd</c> at the end of a residual body).
/// </summary>
internal sealed record SqueezeExciteSpec(string Name, Expr R, SqueezeKind Squeeze, GateKind Gate, int Divisor, bool Bias) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.SqueezeExciteAttribute", "SeDsl.Layers.SqueezeExcitation", (n, a) =>
        a.Size("R", 16) is { } r ? new SqueezeExciteSpec(n, r, (SqueezeKind)a.Int("Squeeze", 0), (GateKind)a.Int("Gate", 0), a.Int("Divisor", 1), a.Bool("Bias", true)) : null);

    public override string Kind => "SqueezeExcite";

    public override bool KeepsNoOutputForBackward => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;
        var r = scope.Size(R, name, "R", sink);
        if (r is not null)
        {
            sink.Require(r, v => v >= 1, name, "R", "at least 1");
        }

        sink.Require(Divisor >= 1, name, "Divisor", "at least 1", Divisor);
        sink.Require(Squeeze is SqueezeKind.Average or SqueezeKind.Max, name, "Squeeze", "a named SqueezeOperator value", (int)Squeeze);
        sink.Require(Gate is >= GateKind.Sigmoid and <= GateKind.HardSigmoid, name, "Gate", "a named ExcitationGate value", (int)Gate);
        if (sink.Count != before || r is null)
        {
            return null;
        }

        var width = Expr.Apply(SizeFunction.ReducedWidth, EquatableArray.Of(input.Channels, r, (Expr)Divisor));
        if (width.Constant < 1)
        {
            sink.Add(DiagnosticIds.ReductionLeavesNoChannels, "R", name, r.ToString(), input.Channels.ToString());
            return null;
        }

        if (Divisor == 1 && input.Channels.Constant is { } c && r.Constant is { } rv && c % rv != 0)
        {
            sink.Add(DiagnosticIds.ReductionNotExact, "R", name, r.ToString(), input.Channels.ToString(), width.ToString());
        }

        var weights = input.Channels * width * 2;
        var create = Make.New("SeDsl.Layers.SqueezeExcitation",
            Make.Arg("channels", input.Channels),
            Make.Arg("reducedChannels", width),
            Make.Arg("squeeze", new ArgumentValue.Member("SeDsl.SqueezeOperator", Squeeze.ToString())),
            Make.Arg("gate", new ArgumentValue.Member("SeDsl.ExcitationGate", Gate.ToString())),
            Make.Arg("bias", Bias));
        return new LayerResult(input, Bias ? weights + input.Channels + width : weights, weights, create) { ReducedChannels = width };
    }
}
