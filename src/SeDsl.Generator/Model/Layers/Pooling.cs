using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[MaxPool2d]</c> or <c>[AvgPool2d]</c>: channels unchanged, no parameters, no multiply-adds counted.
/// <see cref="Stride"/> is null for "equal to the kernel", as in PyTorch.
/// </summary>
internal sealed record PoolSpec(string Name, bool Max, Expr Kernel, Stride? Stride, Expr Padding, bool CeilMode, bool CountIncludePad) : LayerSpec(Name)
{
    public static readonly LayerKind MaxPool2d = new("SeDsl.MaxPool2dAttribute", "TorchSharp.Modules.MaxPool2d", (n, a) =>
        a.Size("Kernel", 0) is { } kernel && a.Size("Padding", 0) is { } padding ? new PoolSpec(n, true, kernel, StrideOf(a), padding, a.Bool("CeilMode", false), true) : null);

    public static readonly LayerKind AvgPool2d = new("SeDsl.AvgPool2dAttribute", "TorchSharp.Modules.AvgPool2d", (n, a) =>
        a.Size("Kernel", 0) is { } kernel && a.Size("Padding", 0) is { } padding
            ? new PoolSpec(n, false, kernel, StrideOf(a), padding, a.Bool("CeilMode", false), a.Bool("CountIncludePad", true))
            : null);

    public override string Kind => Max ? "MaxPool2d" : "AvgPool2d";

    public override bool AppliesBlockStride => Stride?.UsesBlockStride == true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;
        var kernel = scope.Checked(Kernel, name, "Kernel", sink, v => v >= 1, "at least 1");
        var padding = scope.Size(Padding, name, "Padding", sink);
        if (kernel is not null && padding is not null && kernel.Constant is { } k)
        {
            sink.Require(padding, v => v >= 0 && v <= k / 2, name, "Padding", $"between 0 and half the kernel ({FindingSink.Text(k / 2)})");
        }

        Expr? stride = Stride switch
        {
            null => kernel,
            Stride.Fixed f when scope.Size(f.Value, name, "Stride", sink) is { Constant: < 1 } v => Reject(v.Constant!.Value, name, sink),
            _ => scope.Stride(Stride, name, sink),
        };
        if (sink.Count != before || stride is null || kernel is null || padding is null)
        {
            return null;
        }

        var h = Window.Output(input.Height, kernel, stride, padding, Expr.One, CeilMode);
        var w = Window.Output(input.Width, kernel, stride, padding, Expr.One, CeilMode);
        if (h.Constant < 1 || w.Constant < 1)
        {
            sink.Add(DiagnosticIds.SpatialSizeVanishes, "Kernel", name, input.ToString(), Window.Text(h, w));
            return null;
        }

        var create = CountIncludePad
            ? Make.Call(Make.Nn + "." + Kind, Make.Arg("kernel_size", kernel), Make.Arg("stride", stride), Make.Arg("padding", padding), Make.Arg("ceil_mode", CeilMode))
            : Make.Call(Make.Nn + "." + Kind, Make.Arg("kernel_size", kernel), Make.Arg("stride", stride), Make.Arg("padding", padding), Make.Arg("ceil_mode", CeilMode), Make.Arg("count_include_pad", false));
        return Free(Dims.Spatial(input.Channels, h, w), create);
    }

    // 0 is "the kernel", as in PyTorch's attribute default.
    private static Stride? StrideOf(IAttributeArguments a) => a.Stride("Stride", 0) is Stride.Fixed { Value: Expr.Number { Value: 0 } } ? null : a.Stride("Stride", 0);

    private static Expr? Reject(long stride, string name, FindingSink sink)
    {
        sink.Require(false, name, "Stride", "at least 1 (or 0 for the kernel size; Strides.OfBlock only inside a block)", stride);
        return null;
    }
}

/// <summary><c>[GlobalAvgPool]</c> or <c>[GlobalMaxPool]</c>: C x 1 x 1.</summary>
internal sealed record GlobalPoolSpec(string Name, bool Max) : LayerSpec(Name)
{
    public static readonly LayerKind Average = new("SeDsl.GlobalAvgPoolAttribute", "TorchSharp.Modules.AdaptiveAvgPool2d", (n, _) => new GlobalPoolSpec(n, false));

    public static readonly LayerKind Maximum = new("SeDsl.GlobalMaxPoolAttribute", "TorchSharp.Modules.AdaptiveMaxPool2d", (n, _) => new GlobalPoolSpec(n, true));

    public override string Kind => Max ? "GlobalMaxPool" : "GlobalAvgPool";

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink) =>
        Free(
            Dims.Spatial(input.Channels, 1, 1),
            Max
                ? Make.Call(Make.Nn + ".AdaptiveMaxPool2d", new ConstructionArgument(null, new ArgumentValue.Sizes(EquatableArray.Of(1L, 1L))))
                : Make.Call(Make.Nn + ".AdaptiveAvgPool2d", new ConstructionArgument(null, new ArgumentValue.Size(1))));
}
