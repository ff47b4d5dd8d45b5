using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[MaxPool2d]</c> or <c>[AvgPool2d]</c>: channels unchanged, no parameters, no multiply-adds counted.
/// <see cref="Stride"/> is null for "equal to the kernel", as in PyTorch.
/// </summary>
internal sealed record PoolSpec(string Name, bool Max, int Kernel, Stride? Stride, int Padding, bool CeilMode, bool CountIncludePad) : LayerSpec(Name)
{
    public static readonly LayerKind MaxPool2d = new("SeDsl.MaxPool2dAttribute", "TorchSharp.Modules.MaxPool2d", (n, a) =>
        new PoolSpec(n, true, a.Int("Kernel", 0), StrideOf(a), a.Int("Padding", 0), a.Bool("CeilMode", false), true));

    public static readonly LayerKind AvgPool2d = new("SeDsl.AvgPool2dAttribute", "TorchSharp.Modules.AvgPool2d", (n, a) =>
        new PoolSpec(n, false, a.Int("Kernel", 0), StrideOf(a), a.Int("Padding", 0), a.Bool("CeilMode", false), a.Bool("CountIncludePad", true)));

    public override string Kind => Max ? "MaxPool2d" : "AvgPool2d";

    public override bool AppliesBlockStride => Stride is Stride.OfBlock;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;
        if (sink.Require(Kernel >= 1, name, "Kernel", "at least 1", Kernel))
        {
            sink.Require(Padding >= 0 && Padding <= Kernel / 2, name, "Padding", $"between 0 and half the kernel ({FindingSink.Text(Kernel / 2)})", Padding);
        }

        Expr? stride = Stride switch
        {
            null => Kernel,
            Stride.Fixed { Value: < 1 } f => Reject(f.Value, name, sink),
            _ => scope.Stride(Stride, name, sink),
        };
        if (sink.Count != before || stride is null)
        {
            return null;
        }

        var h = Window.Output(input.Height, Kernel, stride, Padding, 1, CeilMode);
        var w = Window.Output(input.Width, Kernel, stride, Padding, 1, CeilMode);
        if (h.Constant < 1 || w.Constant < 1)
        {
            sink.Add(DiagnosticIds.SpatialSizeVanishes, "Kernel", name, input.ToString(), Window.Text(h, w));
            return null;
        }

        var create = CountIncludePad
            ? Make.Call(Make.Nn + "." + Kind, Make.Arg("kernel_size", Kernel), Make.Arg("stride", stride), Make.Arg("padding", Padding), Make.Arg("ceil_mode", CeilMode))
            : Make.Call(Make.Nn + "." + Kind, Make.Arg("kernel_size", Kernel), Make.Arg("stride", stride), Make.Arg("padding", Padding), Make.Arg("ceil_mode", CeilMode), Make.Arg("count_include_pad", false));
        return Free(Dims.Spatial(input.Channels, h, w), create);
    }

    // 0 is "the kernel", as in PyTorch's attribute default.
    private static Stride? StrideOf(IAttributeArguments a) => a.Stride("Stride", 0) is Stride.Fixed { Value: 0 } ? null : a.Stride("Stride", 0);

    private static Expr? Reject(int stride, string name, FindingSink sink)
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
