using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[DropPath(p)]</c>, p a double or a <c>double</c> block parameter: stochastic depth in row mode (torchvision's <c>StochasticDepth(p, "row")</c>). While training,
/// each sample is kept with probability 1 - p and scaled by 1 / (1 - p); in eval mode it returns its input, and the
/// fused path leaves it out. Shape unchanged, no parameters, no multiply-adds. As the last layer of a residual body it
/// applies to the body's output before the addition.
/// </summary>
internal sealed record DropPathSpec(string Name, Expr P) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.DropPathAttribute", "SeDsl.Layers.DropPath", (n, a) =>
        a.Value("P", new Expr.Real(0), DslType.Real) is { } p ? new DropPathSpec(n, p) : null);

    public override string Kind => "DropPath";

    public override bool NeedsSpatialInput => false;

    // Identity in eval mode: the result may be the input itself.
    public override bool MayReturnInput => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        // A double parameter's value is known in each of the block's instances and checked there; in the block's own
        // module the runtime's DropPath checks it when the module is created.
        if (scope.Size(P, scope.Prefix + Name, "P", sink) is not { } p)
        {
            return null;
        }

        if (p is Expr.Real { Value: var v } && !(v >= 0 && v < 1))
        {
            sink.Add(DiagnosticIds.InvalidArgument, "P", scope.Prefix + Name, "P", "in [0, 1)", v.ToString("R", CultureInfo.InvariantCulture), "Layer");
            return null;
        }

        return Free(input, Make.New("SeDsl.Layers.DropPath", Make.Arg("p", ArgumentValue.Of(p))));
    }
}
