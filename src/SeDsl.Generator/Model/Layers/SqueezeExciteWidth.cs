namespace SeDsl.Layers;

/// <summary>
/// The width of the excitation bottleneck, defined once: this file is compiled into the runtime library (which
/// generated blocks call at construction) and into the generator (which applies it at compile time).
/// </summary>
internal static class SqueezeExciteWidth
{
    /// <summary>
    /// <c>C / r</c> when <paramref name="divisor"/> is 1 (the paper), else timm's <c>make_divisible</c>:
    /// <c>max(d, floor(C/r + d/2)</c> rounded down to a multiple of d<c>)</c>, computed exactly in integers. Checked:
    /// sizes that overflow throw rather than wrap.
    /// </summary>
    public static long Reduced(long channels, long r, long divisor)
    {
        if (divisor <= 1)
        {
            return channels / r;
        }

        long rounded = checked((2 * channels) + (r * divisor)) / checked(2 * r) / divisor * divisor;
        return rounded < divisor ? divisor : rounded;
    }

    /// <summary>
    /// torchvision's <c>_make_divisible(v, d)</c> for an integer <paramref name="value"/>: <c>max(d, floor(v + d/2)</c>
    /// rounded down to a multiple of d<c>)</c>, plus d when that is below 0.9 v; exact in integers, checked.
    /// </summary>
    public static long MakeDivisible(long value, long divisor)
    {
        if (divisor < 1)
        {
            throw new System.DivideByZeroException();
        }

        long rounded = checked(value + (divisor / 2)) / divisor * divisor;
        if (rounded < divisor)
        {
            rounded = divisor;
        }

        return checked(10 * rounded) < checked(9 * value) ? checked(rounded + divisor) : rounded;
    }
}
