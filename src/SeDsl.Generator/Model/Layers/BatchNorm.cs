using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[BatchNorm2d]</c>: 2 C parameters (weight and bias); running statistics are buffers. On the fused path a batch
/// norm that directly follows a convolution is folded into it.
/// </summary>
internal sealed record BatchNormSpec(string Name, double Eps, double Momentum) : LayerSpec(Name)
{
    public static readonly LayerKind Kind2d = new("SeDsl.BatchNorm2dAttribute", "TorchSharp.Modules.BatchNorm2d", (n, a) =>
        new BatchNormSpec(n, a.Double("Eps", 1e-5), a.Double("Momentum", 0.1)));

    public override string Kind => "BatchNorm2d";

    public override bool KeepsNoOutputForBackward => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;

        // Written as negated ranges so that NaN fails them too.
        if (!(Eps > 0 && Eps < double.PositiveInfinity))
        {
            sink.Add(DiagnosticIds.InvalidArgument, "Eps", name, "Eps", "a finite value greater than 0", Eps.ToString("R", CultureInfo.InvariantCulture), "Layer");
        }

        if (!(Momentum >= 0 && Momentum <= 1))
        {
            sink.Add(DiagnosticIds.InvalidArgument, "Momentum", name, "Momentum", "between 0 and 1", Momentum.ToString("R", CultureInfo.InvariantCulture), "Layer");
        }

        if (sink.Count != before)
        {
            return null;
        }

        var create = Make.Call(Make.Nn + ".BatchNorm2d", Make.Arg("num_features", input.Channels), Make.Arg("eps", Eps), Make.Arg("momentum", Momentum));
        return new LayerResult(input, input.Channels * 2, Expr.Zero, create) { Buffers = BufferCount(input.Channels) };
    }

    /// <summary>Buffer elements of a batch norm over <paramref name="channels"/>: running mean and variance (C each) and num_batches_tracked (1).</summary>
    public static Expr BufferCount(Expr channels) => (channels * 2) + 1;
}
