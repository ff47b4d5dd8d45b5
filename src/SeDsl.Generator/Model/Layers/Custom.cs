using System.Linq;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[Custom(typeof(M), arguments...)]</c>: a user's own <c>Module&lt;Tensor, Tensor&gt;</c>, created as
/// <c>new M(inChannels, arguments...)</c>, with a declared rule: output channels, stride, parameters and multiply-adds,
/// each an expression over the layer's input channels (<c>inChannels</c>), in a block its parameters, and for the
/// multiply-adds the input's <c>height</c> and <c>width</c>. The output's height and width are the input's divided by
/// the stride, rounded up. The generated constructor checks the real parameter count against the declared one, and
/// forward checks the output's channels (and, with a fixed stride, its height and width).
/// </summary>
/// <param name="Module">The module's full type name, without <c>global::</c>.</param>
internal sealed record CustomSpec(string Name, string Module, EquatableArray<Expr> Arguments, Expr OutChannels, Stride Stride, Expr Parameters, Expr MultiplyAdds) : LayerSpec(Name)
{
    public const string Height = "height";
    public const string Width = "width";

    /// <summary>The names a custom layer's rules may use besides a block's parameters.</summary>
    public static readonly string[] RuleNames = [Scope.InChannels, Height, Width];

    /// <summary>Read by <c>LayerReader</c>, which knows the module type; this kind's reader gives nothing on its own.</summary>
    public static readonly LayerKind Kind1 = new("SeDsl.CustomAttribute", "TorchSharp.torch+nn+Module`2", (_, _) => null);

    public override string Kind => "Custom";

    // A user's module may return its input or a view of it.
    public override bool MayReturnInput => true;

    /// <summary>Reads the rule once the module type and the constructor arguments are known.</summary>
    public static CustomSpec? Read(string name, string module, EquatableArray<Expr> arguments, IAttributeArguments a) =>
        a.Size("Parameters", 0) is { } parameters && a.Size("MultiplyAdds", 0) is { } multiplyAdds
        && (a.Has("OutChannels") ? a.Size("OutChannels", 0) : new Expr.Name(Scope.InChannels)) is { } outChannels
            ? new CustomSpec(name, module, arguments, outChannels, a.Stride("Stride", 1), parameters, multiplyAdds)
            : null;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;
        var outChannels = Rule(OutChannels, "OutChannels", input, scope, name, sink, fitsInt: true);
        var parameters = Rule(Parameters, "Parameters", input, scope, name, sink, fitsInt: false);
        var multiplyAdds = Rule(MultiplyAdds, "MultiplyAdds", input, scope, name, sink, fitsInt: false);
        var arguments = Arguments.Select(a => Rule(a, "arguments", input, scope, name, sink, fitsInt: true)).ToList();
        var stride = scope.Stride(Stride, name, sink);
        if (outChannels is not null)
        {
            sink.Require(outChannels, v => v >= 1, name, "OutChannels", "at least 1");
        }

        if (parameters is not null)
        {
            sink.Require(parameters, v => v >= 0, name, "Parameters", "at least 0");
        }

        if (multiplyAdds is not null)
        {
            sink.Require(multiplyAdds, v => v >= 0, name, "MultiplyAdds", "at least 0");
        }

        if (sink.Count != before || outChannels is null || parameters is null || multiplyAdds is null || stride is null || arguments.Any(a => a is null))
        {
            return null;
        }

        var created = new Construction(Module, true, new[] { new ConstructionArgument(null, new ArgumentValue.Size(input.Channels)) }
            .Concat(arguments.Select(a => new ConstructionArgument(null, new ArgumentValue.Size(a!)))).ToEquatableArray());
        var create = Make.Call("SeDsl.Layers.CustomLayer.Created",
            new ConstructionArgument(null, ArgumentValue.Owner.Instance),
            new ConstructionArgument(null, new ArgumentValue.Created(created)),
            new ConstructionArgument(null, new ArgumentValue.Text(Name)),
            new ConstructionArgument(null, new ArgumentValue.Size(parameters)));
        var output = Dims.Spatial(outChannels, Divided(input.Height, stride), Divided(input.Width, stride));
        return new LayerResult(output, parameters, multiplyAdds, create);
    }

    /// <summary>A size divided by the stride, rounded up: what a convolution padded by kernel / 2 gives.</summary>
    private static Expr Divided(Expr size, Expr stride) =>
        size.Constant is { } n && stride.Constant is { } s && s >= 1 ? (n + s - 1) / s : Expr.Unknown.Instance;

    /// <summary>A declared rule in this scope: <c>inChannels</c>, <c>height</c> and <c>width</c> the layer's input, then the block's parameters.</summary>
    private static Expr? Rule(Expr declared, string argument, Dims input, Scope scope, string name, FindingSink sink, bool fitsInt)
    {
        if (argument != "MultiplyAdds" && declared.Names().FirstOrDefault(n => n is Height or Width) is { } spatial)
        {
            sink.Add(DiagnosticIds.CustomRuleUsesSpatialSize, argument, name, argument, declared.ToString(), spatial);
            return null;
        }

        Expr local;
        try
        {
            local = declared.Substitute(n => n switch
            {
                Scope.InChannels => input.Channels,
                Height => input.Height,
                Width => input.Width,
                _ => null,
            });
        }
        catch (SizeException e)
        {
            sink.Add(DiagnosticIds.InvalidExpression, argument, name, declared.ToString(), "it " + e.Reason);
            return null;
        }

        return local is Expr.Unknown ? local : scope.Size(local, name, argument, sink, fitsInt);
    }
}
