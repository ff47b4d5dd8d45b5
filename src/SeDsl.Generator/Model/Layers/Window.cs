namespace SeDsl.Generator.Model;

/// <summary>The sliding-window arithmetic of convolutions and pooling, as PyTorch computes it.</summary>
internal static class Window
{
    /// <summary>
    /// Output length along one axis: floor((size + 2 padding - dilation (kernel - 1) - 1) / stride) + 1, or in ceil
    /// mode rounded up, where the last window must also start inside the input or its left padding. 0 or less when no
    /// window fits; unknown when the size is (a block's height and width).
    /// </summary>
    public static Expr Output(Expr size, Expr kernelSize, Expr stride, Expr paddingSize, Expr dilationSize, bool ceil)
    {
        if (size.Constant is not { } n || stride.Constant is not { } s || kernelSize.Constant is not { } kernel || paddingSize.Constant is not { } padding
            || dilationSize.Constant is not { } dilation)
        {
            return Expr.Unknown.Instance;
        }

        // Checked through Expr's arithmetic: an absurd size overflows into SEDSL301, never wraps.
        long span = ((Expr)n + (2 * (Expr)padding) - ((Expr)dilation * (kernel - 1)) - 1).Constant ?? 0;
        if (span < 0)
        {
            return 0;
        }

        long output = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (output - 1) * s >= n + padding)
        {
            output--;
        }

        return output;
    }

    /// <summary>"1x1" or "?" for sizes in findings.</summary>
    public static string Text(Expr h, Expr w) => $"{h}x{w}";
}
