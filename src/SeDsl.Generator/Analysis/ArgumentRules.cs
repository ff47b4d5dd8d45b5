using System.Globalization;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>Range checks on each attribute's own values, independent of the layer's input.</summary>
internal static class ArgumentRules
{
    public static void Check(LayerSpec layer, FindingSink sink)
    {
        string name = layer.Name;
        switch (layer)
        {
            case ConvSpec conv:
                if (conv.Depthwise)
                {
                    sink.Require(conv.Multiplier >= 1, name, "Multiplier", "at least 1", conv.Multiplier);
                }
                else
                {
                    sink.Require(conv.OutChannels >= 1, name, "OutChannels", "at least 1", conv.OutChannels);
                    sink.Require(conv.Groups >= 1, name, "Groups", "at least 1", conv.Groups);
                }

                sink.Require(conv.Kernel >= 1, name, "Kernel", "at least 1", conv.Kernel);
                sink.Require(conv.Width >= 1, name, "KernelWidth", "at least 1", conv.Width);
                sink.Require(conv.Stride >= 1, name, "Stride", "at least 1 (Strides.OfBlock only inside a block)", conv.Stride);
                sink.Require(conv.Dilation >= 1, name, "Dilation", "at least 1", conv.Dilation);
                if (conv.Padding != Padding.Same)
                {
                    sink.Require(conv.Padding >= 0, name, "Padding", "at least 0 (or Pad.Same)", conv.Padding);
                }
                else if (conv.Kernel >= 1 && conv.Width >= 1 && conv.Dilation >= 1)
                {
                    if (conv.Stride != 1)
                    {
                        sink.Add(DiagnosticIds.SamePaddingImpossible, "Padding", name, $"stride is {conv.Stride.ToString(CultureInfo.InvariantCulture)}; \"same\" padding needs stride 1");
                    }
                    else if ((long)conv.Dilation * (conv.Kernel - 1) % 2 != 0 || (long)conv.Dilation * (conv.Width - 1) % 2 != 0)
                    {
                        long even = (long)conv.Dilation * (conv.Kernel - 1) % 2 != 0 ? conv.Kernel : conv.Width;
                        sink.Add(DiagnosticIds.SamePaddingImpossible, "Padding", name, $"the effective kernel {((long)conv.Dilation * (even - 1) + 1).ToString(CultureInfo.InvariantCulture)} is even, which needs asymmetric padding");
                    }
                }

                break;

            case PoolSpec pool:
                if (sink.Require(pool.Kernel >= 1, name, "Kernel", "at least 1", pool.Kernel))
                {
                    sink.Require(pool.Padding >= 0 && pool.Padding <= pool.Kernel / 2, name, "Padding",
                        $"between 0 and half the kernel ({(pool.Kernel / 2).ToString(CultureInfo.InvariantCulture)})", pool.Padding);
                }

                sink.Require(pool.Stride >= 0, name, "Stride", "at least 1 (or 0 for the kernel size; Strides.OfBlock only inside a block)", pool.Stride);
                break;

            case LinearSpec linear:
                sink.Require(linear.OutFeatures >= 1, name, "OutFeatures", "at least 1", linear.OutFeatures);
                break;

            case DropoutSpec dropout when !(dropout.P >= 0 && dropout.P <= 1):
                sink.Add(DiagnosticIds.InvalidArgument, "P", name, "P", "between 0 and 1", dropout.P.ToString("R", CultureInfo.InvariantCulture));
                break;

            case ChannelShuffleSpec shuffle:
                sink.Require(shuffle.Groups >= 1, name, "Groups", "at least 1", shuffle.Groups);
                break;

            case SqueezeExciteSpec se:
                sink.Require(se.R >= 1, name, "R", "at least 1", se.R);
                sink.Require(se.Divisor >= 1, name, "Divisor", "at least 1", se.Divisor);
                sink.Require(se.Squeeze is SqueezeKind.Average or SqueezeKind.Max, name, "Squeeze", "a named SqueezeOperator value", (int)se.Squeeze);
                sink.Require(se.Gate is >= GateKind.Sigmoid and <= GateKind.HardSigmoid, name, "Gate", "a named ExcitationGate value", (int)se.Gate);
                break;

            case StageSpec stage:
                sink.Require(stage.Blocks >= 1, name, "Blocks", "at least 1", stage.Blocks);
                sink.Require(stage.Stride >= 1, name, "Stride", "at least 1", stage.Stride);
                if (stage.Arguments.Count != stage.Block.Parameters.Count)
                {
                    sink.Add(DiagnosticIds.StageArgumentCount, null, name, stage.Block.ClassName,
                        stage.Block.Parameters.Count.ToString(CultureInfo.InvariantCulture),
                        string.Join(", ", stage.Block.Parameters), stage.Arguments.Count.ToString(CultureInfo.InvariantCulture));
                }

                break;

            case UseSpec use:
                // The argument count was checked while parsing: block emission depends on it.
                sink.Require(use.Stride >= 1, name, "Stride", "at least 1 (Strides.OfBlock only inside a block)", use.Stride);
                break;

            case BatchNormSpec bn:
                // Written as negated ranges so that NaN fails them too.
                if (!(bn.Eps > 0 && bn.Eps < double.PositiveInfinity))
                {
                    sink.Add(DiagnosticIds.InvalidArgument, "Eps", name, "Eps", "a finite value greater than 0", bn.Eps.ToString("R", CultureInfo.InvariantCulture));
                }

                if (!(bn.Momentum >= 0 && bn.Momentum <= 1))
                {
                    sink.Add(DiagnosticIds.InvalidArgument, "Momentum", name, "Momentum", "between 0 and 1", bn.Momentum.ToString("R", CultureInfo.InvariantCulture));
                }

                break;
        }
    }
}

/// <summary>The generator's copy of <c>SeDsl.Pad</c> constants (a test guards them against drift).</summary>
internal static class Padding
{
    public const int Same = -1;
}

/// <summary>The generator's copy of <c>SeDsl.Strides</c> constants (a test guards them against drift).</summary>
internal static class Strides
{
    public const int OfBlock = -2;
}
