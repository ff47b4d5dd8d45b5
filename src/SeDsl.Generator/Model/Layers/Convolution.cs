using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[Conv2d]</c>, or <c>[DepthwiseConv2d]</c> when <see cref="Depthwise"/>: then groups equal the input channels and
/// the output has input channels x <see cref="Multiplier"/>; <see cref="OutChannels"/> and <see cref="Groups"/> are unused.
/// Parameters Cout (Cin / groups) k kw (+ Cout bias); multiply-adds Cout H' W' (Cin / groups) k kw.
/// </summary>
internal sealed record ConvSpec(string Name, bool Depthwise, Expr OutChannels, Expr Multiplier, Expr Kernel, Expr KernelWidth, Stride Stride, Padding Padding, Expr Dilation, Expr Groups, bool Bias)
    : LayerSpec(Name)
{
    public static readonly LayerKind Conv2d = new("SeDsl.Conv2dAttribute", "TorchSharp.Modules.Conv2d", (n, a) =>
        a.Size("OutChannels", 0) is { } outChannels && a.Size("Kernel", 0) is { } kernel && a.Size("Dilation", 1) is { } dilation && a.Size("Groups", 1) is { } groups
            && (a.Has("KernelWidth") ? a.Size("KernelWidth", 0) : kernel) is { } kernelWidth
            ? new ConvSpec(n, false, outChannels, Expr.One, kernel, kernelWidth, a.Stride("Stride", 1), a.Padding("Padding"), dilation, groups, a.Bool("Bias", true))
            : null);

    public static readonly LayerKind DepthwiseConv2d = new("SeDsl.DepthwiseConv2dAttribute", "TorchSharp.Modules.Conv2d", (n, a) =>
        a.Size("Multiplier", 1) is { } multiplier && a.Size("Kernel", 0) is { } kernel && a.Size("Dilation", 1) is { } dilation
            ? new ConvSpec(n, true, Expr.Zero, multiplier, kernel, kernel, a.Stride("Stride", 1), a.Padding("Padding"), dilation, Expr.Zero, a.Bool("Bias", true))
            : null);

    public override string Kind => Depthwise ? "DepthwiseConv2d" : "Conv2d";

    public override bool KeepsNoOutputForBackward => true;

    public override bool AppliesBlockStride => Stride.UsesBlockStride;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;
        var stride = scope.Stride(Stride, name, sink);
        var kernel = Positive(Kernel, "Kernel");
        var kernelWidth = KernelWidth.Equals(Kernel) ? kernel : Positive(KernelWidth, "KernelWidth");
        var dilation = Positive(Dilation, "Dilation");
        var outChannels = Depthwise ? Positive(Multiplier, "Multiplier") is { } m ? input.Channels * m : null : Positive(OutChannels, "OutChannels");
        var groups = Depthwise ? input.Channels : Positive(Groups, "Groups");
        var padH = Pad(kernel, dilation, name, scope, sink);
        var padW = Pad(kernelWidth, dilation, name, scope, sink);
        if (sink.Count != before || stride is null || outChannels is null || kernel is null || kernelWidth is null || dilation is null || groups is null || padH is null || padW is null)
        {
            return null;
        }

        CheckSame(name, stride, kernel, kernelWidth, dilation, sink);
        if (sink.Count != before
            || !Depthwise && !Divides(groups, input.Channels, name, "input", sink) || !Depthwise && !Divides(groups, outChannels, name, "output", sink))
        {
            return null;
        }

        var h = Window.Output(input.Height, kernel, stride, padH, dilation, ceil: false);
        var w = Window.Output(input.Width, kernelWidth, stride, padW, dilation, ceil: false);
        if (h.Constant < 1 || w.Constant < 1)
        {
            // When the kernel itself fits, the dilation is what makes it too large: say so, at the dilation.
            long k = kernel.Constant ?? 1, kw = kernelWidth.Constant ?? 1, d = dilation.Constant ?? 1;
            bool dilated = d > 1 && Window.Output(input.Height, kernel, stride, padH, Expr.One, ceil: false).Constant >= 1
                && Window.Output(input.Width, kernelWidth, stride, padW, Expr.One, ceil: false).Constant >= 1;
            string output = dilated
                ? $"{Window.Text(h, w)} (dilation {FindingSink.Text(d)} spreads the {FindingSink.Text(k)}x{FindingSink.Text(kw)} kernel over "
                    + $"{FindingSink.Text((d * (k - 1)) + 1)}x{FindingSink.Text((d * (kw - 1)) + 1)})"
                : Window.Text(h, w);
            sink.Add(DiagnosticIds.SpatialSizeVanishes, dilated ? "Dilation" : "Kernel", name, input.ToString(), output);
            return null;
        }

        var perOutput = input.Channels / groups * kernel * kernelWidth;
        var weights = outChannels * perOutput;
        var create = !kernelWidth.Equals(kernel) || !padW.Equals(padH)
            ? Make.Call(Make.Nn + ".Conv2d",
                Make.Arg("in_channels", input.Channels),
                Make.Arg("out_channels", outChannels),
                Make.Arg("kernel_size", new ArgumentValue.Pair(kernel, kernelWidth)),
                Make.Arg("stride", new ArgumentValue.Pair(stride, stride)),
                Make.Arg("padding", new ArgumentValue.Pair(padH, padW)),
                Make.Arg("dilation", new ArgumentValue.Pair(dilation, dilation)),
                Make.Arg("groups", groups),
                Make.Arg("bias", Bias))
            : padH.Constant == 0
                // A literal 0 also converts to TorchSharp's Padding enum, which makes "padding: 0" ambiguous; 0 is the default.
                ? Make.Call(Make.Nn + ".Conv2d", Make.Arg("in_channels", input.Channels), Make.Arg("out_channels", outChannels), Make.Arg("kernel_size", kernel),
                    Make.Arg("stride", stride), Make.Arg("dilation", dilation), Make.Arg("groups", groups), Make.Arg("bias", Bias))
                : Make.Call(Make.Nn + ".Conv2d", Make.Arg("in_channels", input.Channels), Make.Arg("out_channels", outChannels), Make.Arg("kernel_size", kernel),
                    Make.Arg("stride", stride), Make.Arg("padding", padH), Make.Arg("dilation", dilation), Make.Arg("groups", groups), Make.Arg("bias", Bias));
        return new LayerResult(Dims.Spatial(outChannels, h, w), Bias ? weights + outChannels : weights, outChannels * h * w * perOutput, create);

        Expr? Positive(Expr declared, string argument) =>
            scope.Size(declared, name, argument, sink) is { } value && sink.Require(value, v => v >= 1, name, argument, "at least 1") ? value : null;
    }

    /// <summary>Zero padding of one dimension: the declared value, or "same" resolved as dilation x (kernel - 1) / 2.</summary>
    private Expr? Pad(Expr? kernel, Expr? dilation, string name, Scope scope, FindingSink sink)
    {
        if (Padding is Padding.Explicit e)
        {
            return scope.Checked(e.Value, name, "Padding", sink, v => v >= 0, "at least 0 (or Pad.Same)");
        }

        return kernel is null || dilation is null ? null : dilation * (kernel - 1) / 2;
    }

    /// <summary>"Same" padding needs stride 1 and an odd effective kernel in both dimensions (known only with numbers).</summary>
    private void CheckSame(string name, Expr stride, Expr kernel, Expr kernelWidth, Expr dilation, FindingSink sink)
    {
        if (Padding is not Padding.Same || dilation.Constant is not { } d || kernel.Constant is not { } k || kernelWidth.Constant is not { } kw)
        {
            return;
        }

        if (stride.Constant is { } s && s != 1)
        {
            sink.Add(DiagnosticIds.SamePaddingImpossible, "Padding", name, $"stride is {FindingSink.Text(s)}; \"same\" padding needs stride 1");
        }
        else if (d * (k - 1) % 2 != 0 || d * (kw - 1) % 2 != 0)
        {
            long even = d * (k - 1) % 2 != 0 ? k : kw;
            sink.Add(DiagnosticIds.SamePaddingImpossible, "Padding", name, $"the effective kernel {FindingSink.Text((d * (even - 1)) + 1)} is even, which needs asymmetric padding");
        }
    }

    /// <summary>Whether <paramref name="groups"/> divides a channel count (true while the count is not yet known).</summary>
    internal static bool Divides(Expr groups, Expr channels, string name, string which, FindingSink sink)
    {
        if (channels.Constant is { } c && groups.Constant is { } g && c % g != 0)
        {
            sink.Add(DiagnosticIds.GroupsDoNotDivide, "Groups", name, FindingSink.Text(groups.Constant ?? 0), which, c.ToString(CultureInfo.InvariantCulture));
            return false;
        }

        return true;
    }
}
