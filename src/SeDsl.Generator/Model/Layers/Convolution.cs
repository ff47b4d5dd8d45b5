using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary>
/// <c>[Conv2d]</c>, or <c>[DepthwiseConv2d]</c> when <see cref="Depthwise"/>: then groups equal the input channels and
/// the output has input channels x <see cref="Multiplier"/>; <see cref="OutChannels"/> and <see cref="Groups"/> are unused.
/// Parameters Cout (Cin / groups) k kw (+ Cout bias); multiply-adds Cout H' W' (Cin / groups) k kw.
/// </summary>
internal sealed record ConvSpec(string Name, bool Depthwise, Expr OutChannels, int Multiplier, int Kernel, int KernelWidth, Stride Stride, Padding Padding, int Dilation, int Groups, bool Bias)
    : LayerSpec(Name)
{
    public static readonly LayerKind Conv2d = new("SeDsl.Conv2dAttribute", "TorchSharp.Modules.Conv2d", (n, a) =>
        a.Size("OutChannels", 0) is { } outChannels
            ? new ConvSpec(n, false, outChannels, 1, a.Int("Kernel", 0), a.Int("KernelWidth", a.Int("Kernel", 0)), a.Stride("Stride", 1), a.Padding("Padding"), a.Int("Dilation", 1), a.Int("Groups", 1), a.Bool("Bias", true))
            : null);

    public static readonly LayerKind DepthwiseConv2d = new("SeDsl.DepthwiseConv2dAttribute", "TorchSharp.Modules.Conv2d", (n, a) =>
        new ConvSpec(n, true, Expr.Zero, a.Int("Multiplier", 1), a.Int("Kernel", 0), a.Int("Kernel", 0), a.Stride("Stride", 1), a.Padding("Padding"), a.Int("Dilation", 1), 0, a.Bool("Bias", true)));

    public override string Kind => Depthwise ? "DepthwiseConv2d" : "Conv2d";

    public override bool KeepsNoOutputForBackward => true;

    /// <summary>Whether height and width of the kernel differ.</summary>
    public bool Rectangular => KernelWidth != Kernel;

    /// <summary>Zero padding of the height (<paramref name="height"/>) or the width, with "same" resolved per dimension.</summary>
    public long PaddingOf(bool height) =>
        Padding is Padding.Explicit e ? e.Value : (long)Dilation * ((height ? Kernel : KernelWidth) - 1) / 2;

    public override bool AppliesBlockStride => Stride is Stride.OfBlock;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        int before = sink.Count;
        var stride = scope.Stride(Stride, name, sink);
        var outChannels = Depthwise ? input.Channels * Multiplier : scope.Size(OutChannels, name, "OutChannels", sink);
        if (Depthwise)
        {
            sink.Require(Multiplier >= 1, name, "Multiplier", "at least 1", Multiplier);
        }
        else
        {
            if (outChannels is not null)
            {
                sink.Require(outChannels, v => v >= 1, name, "OutChannels", "at least 1");
            }

            sink.Require(Groups >= 1, name, "Groups", "at least 1", Groups);
        }

        sink.Require(Kernel >= 1, name, "Kernel", "at least 1", Kernel);
        sink.Require(KernelWidth >= 1, name, "KernelWidth", "at least 1", KernelWidth);
        sink.Require(Dilation >= 1, name, "Dilation", "at least 1", Dilation);
        CheckPadding(name, stride, sink);
        if (sink.Count != before || stride is null || outChannels is null)
        {
            return null;
        }

        Expr groups = Depthwise ? input.Channels : Groups;
        if (!Depthwise && !Divides(Groups, input.Channels, name, "input", sink) || !Depthwise && !Divides(Groups, outChannels, name, "output", sink))
        {
            return null;
        }

        long padH = PaddingOf(height: true), padW = PaddingOf(height: false);
        var h = Window.Output(input.Height, Kernel, stride, padH, Dilation, ceil: false);
        var w = Window.Output(input.Width, KernelWidth, stride, padW, Dilation, ceil: false);
        if (h.Constant < 1 || w.Constant < 1)
        {
            // When the kernel itself fits, the dilation is what makes it too large: say so, at the dilation.
            bool dilated = Dilation > 1 && Window.Output(input.Height, Kernel, stride, padH, 1, ceil: false).Constant >= 1
                && Window.Output(input.Width, KernelWidth, stride, padW, 1, ceil: false).Constant >= 1;
            string output = dilated
                ? $"{Window.Text(h, w)} (dilation {FindingSink.Text(Dilation)} spreads the {FindingSink.Text(Kernel)}x{FindingSink.Text(KernelWidth)} kernel over "
                    + $"{FindingSink.Text(((long)Dilation * (Kernel - 1)) + 1)}x{FindingSink.Text(((long)Dilation * (KernelWidth - 1)) + 1)})"
                : Window.Text(h, w);
            sink.Add(DiagnosticIds.SpatialSizeVanishes, dilated ? "Dilation" : "Kernel", name, input.ToString(), output);
            return null;
        }

        var perOutput = input.Channels / groups * Kernel * KernelWidth;
        var weights = outChannels * perOutput;
        var create = Rectangular
            ? Make.Call(Make.Nn + ".Conv2d",
                Make.Arg("in_channels", input.Channels),
                Make.Arg("out_channels", outChannels),
                Make.Arg("kernel_size", new ArgumentValue.Pair(Kernel, KernelWidth)),
                Make.Arg("stride", new ArgumentValue.Pair(stride, stride)),
                Make.Arg("padding", new ArgumentValue.Pair(padH, padW)),
                Make.Arg("dilation", new ArgumentValue.Pair(Dilation, Dilation)),
                Make.Arg("groups", groups),
                Make.Arg("bias", Bias))
            : padH == 0
                // A literal 0 also converts to TorchSharp's Padding enum, which makes "padding: 0" ambiguous; 0 is the default.
                ? Make.Call(Make.Nn + ".Conv2d", Make.Arg("in_channels", input.Channels), Make.Arg("out_channels", outChannels), Make.Arg("kernel_size", Kernel),
                    Make.Arg("stride", stride), Make.Arg("dilation", Dilation), Make.Arg("groups", groups), Make.Arg("bias", Bias))
                : Make.Call(Make.Nn + ".Conv2d", Make.Arg("in_channels", input.Channels), Make.Arg("out_channels", outChannels), Make.Arg("kernel_size", Kernel),
                    Make.Arg("stride", stride), Make.Arg("padding", padH), Make.Arg("dilation", Dilation), Make.Arg("groups", groups), Make.Arg("bias", Bias));
        return new LayerResult(Dims.Spatial(outChannels, h, w), Bias ? weights + outChannels : weights, outChannels * h * w * perOutput, create);
    }

    private void CheckPadding(string name, Expr? stride, FindingSink sink)
    {
        if (Padding is Padding.Explicit e)
        {
            sink.Require(e.Value >= 0, name, "Padding", "at least 0 (or Pad.Same)", e.Value);
        }
        else if (Kernel >= 1 && KernelWidth >= 1 && Dilation >= 1)
        {
            if (stride?.Constant is { } s && s != 1)
            {
                sink.Add(DiagnosticIds.SamePaddingImpossible, "Padding", name, $"stride is {FindingSink.Text(s)}; \"same\" padding needs stride 1");
            }
            else if ((long)Dilation * (Kernel - 1) % 2 != 0 || (long)Dilation * (KernelWidth - 1) % 2 != 0)
            {
                long even = (long)Dilation * (Kernel - 1) % 2 != 0 ? Kernel : KernelWidth;
                sink.Add(DiagnosticIds.SamePaddingImpossible, "Padding", name, $"the effective kernel {FindingSink.Text(((long)Dilation * (even - 1)) + 1)} is even, which needs asymmetric padding");
            }
        }
    }

    /// <summary>Whether <paramref name="groups"/> divides a channel count (true while the count is not yet known).</summary>
    internal static bool Divides(long groups, Expr channels, string name, string which, FindingSink sink)
    {
        if (channels.Constant is { } c && c % groups != 0)
        {
            sink.Add(DiagnosticIds.GroupsDoNotDivide, "Groups", name, FindingSink.Text(groups), which, c.ToString(CultureInfo.InvariantCulture));
            return false;
        }

        return true;
    }
}
