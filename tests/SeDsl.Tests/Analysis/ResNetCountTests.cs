using SeDsl.Tests.Networks;
using SeDsl.Zoo;
using Xunit;

namespace SeDsl.Tests.Analysis;

/// <summary>
/// The generated constants of the ResNet family against an independent count written out here by hand from the
/// architecture (widths 64/128/256/512 x 4, blocks 3/4/6/3), under the convention of docs/dsl.md.
/// </summary>
public class ResNetCountTests
{
    private static long Conv(long cin, long cout, long k, long hout) => cout * hout * hout * cin * k * k;

    /// <summary>Multiply-adds of ResNet-50 at 224x224, with the block stride on the 3x3 or on the first 1x1.</summary>
    private static long ResNet50Macs(bool strideOnFirst1x1, bool squeezeExcite)
    {
        long macs = Conv(3, 64, 7, 112);
        long channels = 64, size = 56;
        (long planes, long blocks, long stride)[] stages = { (64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2) };
        foreach (var (planes, blocks, stride) in stages)
        {
            for (long b = 0; b < blocks; b++)
            {
                long s = b == 0 ? stride : 1;
                long outSize = size / s;
                long firstSize = strideOnFirst1x1 ? outSize : size;
                macs += Conv(channels, planes, 1, firstSize) + Conv(planes, planes, 3, outSize) + Conv(planes, planes * 4, 1, outSize);
                if (b == 0)
                {
                    macs += Conv(channels, planes * 4, 1, outSize);   // projection shortcut
                }

                if (squeezeExcite)
                {
                    macs += 2 * (planes * 4) * (planes * 4 / 16);
                }

                channels = planes * 4;
                size = outSize;
            }
        }

        return macs + (2048 * 1000);
    }

    [Fact]
    public void ResNet_50_multiply_adds_match_the_hand_count_of_about_4_09_G()
    {
        Assert.Equal(ResNet50.MultiplyAdds, ResNet50Macs(strideOnFirst1x1: false, squeezeExcite: false));
        Assert.InRange(ResNet50.MultiplyAdds, 4_085_000_000, 4_095_000_000);
    }

    [Fact]
    public void Stride_on_the_first_1x1_gives_the_papers_3_86_G()
    {
        Assert.Equal(ResNet50Caffe.MultiplyAdds, ResNet50Macs(strideOnFirst1x1: true, squeezeExcite: false));
        Assert.InRange(ResNet50Caffe.MultiplyAdds, 3_855_000_000, 3_865_000_000);
        Assert.Equal(ResNet50.ParameterCount, ResNet50Caffe.ParameterCount);
    }

    [Fact]
    public void SE_adds_only_its_two_fully_connected_layers()
    {
        Assert.Equal(SeResNet50.MultiplyAdds, ResNet50Macs(strideOnFirst1x1: false, squeezeExcite: true));
        Assert.Equal(2_514_944, SeResNet50.MultiplyAdds - ResNet50.MultiplyAdds);
    }
}
