using System;

namespace SeDsl.Generator.Analysis;

/// <summary>Raised by checked arithmetic in the analysis; becomes SEDSL301 on the layer being counted.</summary>
internal sealed class CountOverflowException(string what) : Exception(what)
{
    public string What { get; } = what;
}

/// <summary>Checked products and sums for shapes and counts.</summary>
internal static class Counting
{
    public static long Product(string what, params long[] factors)
    {
        long result = 1;
        try
        {
            foreach (long f in factors)
            {
                result = checked(result * f);
            }
        }
        catch (OverflowException)
        {
            throw new CountOverflowException(what);
        }

        return result;
    }

    public static long Sum(string what, long a, long b)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            throw new CountOverflowException(what);
        }
    }

    /// <summary>
    /// Output length of a convolution or pooling window along one axis, as PyTorch computes it
    /// (floor, or ceil with the rule that the last window must start inside the input or left padding).
    /// Returns 0 or less when no window fits.
    /// </summary>
    public static long WindowOutput(long size, long kernel, long stride, long padding, long dilation, bool ceil)
    {
        long span = Sum("spatial size", size, Product("padding", 2, padding)) - (dilation * (kernel - 1)) - 1;
        if (span < 0)
        {
            return 0;
        }

        long output = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (output - 1) * stride >= size + padding)
        {
            output--;
        }

        return output;
    }
}
