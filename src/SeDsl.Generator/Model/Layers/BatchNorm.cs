using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[BatchNorm2d]</c>: 2 C parameters (weight and bias); running statistics are buffers. On the fused path a batch
/// norm that directly follows a convolution is folded into it.
/// </summary>
internal sealed record BatchNormSpec(string Name, Expr Eps, Expr Momentum) : LayerSpec(Name)
{
    public static readonly LayerKind Kind2d = new("SeDsl.BatchNorm2dAttribute", "TorchSharp.Modules.BatchNorm2d", (n, a) =>
        a.Value("Eps", new Expr.Real(1e-5), DslType.Real) is { } eps && a.Value("Momentum", new Expr.Real(0.1), DslType.Real) is { } momentum
            ? new BatchNormSpec(n, eps, momentum)
            : null);

    public override string Kind => "BatchNorm2d";

    public override bool KeepsNoOutputForBackward => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;

        var eps = scope.Size(Eps, name, "Eps", sink);
        var momentum = scope.Size(Momentum, name, "Momentum", sink);

        // Written as negated ranges so that NaN fails them too; a parameter's value is checked where the block is used.
        if (eps is Expr.Real { Value: var e } && !(e > 0 && e < double.PositiveInfinity))
        {
            sink.Add(DiagnosticIds.InvalidArgument, "Eps", name, "Eps", "a finite value greater than 0", e.ToString("R", CultureInfo.InvariantCulture), "Layer");
        }

        if (momentum is Expr.Real { Value: var m } && !(m >= 0 && m <= 1))
        {
            sink.Add(DiagnosticIds.InvalidArgument, "Momentum", name, "Momentum", "between 0 and 1", m.ToString("R", CultureInfo.InvariantCulture), "Layer");
        }

        if (sink.Count != before || eps is null || momentum is null)
        {
            return null;
        }

        var create = Make.Call(Make.Nn + ".BatchNorm2d", Make.Arg("num_features", input.Channels), Make.Arg("eps", ArgumentValue.Of(eps)), Make.Arg("momentum", ArgumentValue.Of(momentum)));
        return new LayerResult(input, input.Channels * 2, Expr.Zero, create) { Buffers = BufferCount(input.Channels) };
    }

    /// <summary>Buffer elements of a batch norm over <paramref name="channels"/>: running mean and variance (C each) and num_batches_tracked (1).</summary>
    public static Expr BufferCount(Expr channels) => (channels * 2) + 1;
}
