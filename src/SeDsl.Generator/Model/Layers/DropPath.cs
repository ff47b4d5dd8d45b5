using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[DropPath(p)]</c>: stochastic depth in row mode (torchvision's <c>StochasticDepth(p, "row")</c>). While training,
/// each sample is kept with probability 1 - p and scaled by 1 / (1 - p); in eval mode it returns its input, and the
/// fused path leaves it out. Shape unchanged, no parameters, no multiply-adds. As the last layer of a residual body it
/// applies to the body's output before the addition.
/// </summary>
internal sealed record DropPathSpec(string Name, double P) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.DropPathAttribute", "SeDsl.Layers.DropPath", (n, a) => new DropPathSpec(n, Probability(a)));

    public override string Kind => "DropPath";

    public override bool NeedsSpatialInput => false;

    // Identity in eval mode: the result may be the input itself.
    public override bool MayReturnInput => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        // The one place that gives the probability its value in a scope: when block parameters may be doubles, a
        // parameter named here is looked up in the scope, and this check applies to the number it has there.
        if (!(P >= 0 && P < 1))
        {
            sink.Add(DiagnosticIds.InvalidArgument, "P", scope.Prefix + Name, "P", "in [0, 1)", P.ToString("R", CultureInfo.InvariantCulture), "Layer");
            return null;
        }

        return Free(input, Make.New("SeDsl.Layers.DropPath", Make.Arg("p", P)));
    }

    /// <summary>The probability as written: a double constant (the attribute's only form today).</summary>
    private static double Probability(IAttributeArguments arguments) => arguments.Double("P", 0);
}
