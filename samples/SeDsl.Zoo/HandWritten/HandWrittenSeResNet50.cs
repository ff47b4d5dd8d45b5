using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Zoo.HandWritten;

/// <summary>
/// SE-ResNet-50 written by hand the way TorchSharp's examples write models: module fields, <c>RegisterComponents()</c>,
/// module calls and separate multiply, add and ReLU. The baseline of the <c>bench</c> command and of the tests that
/// compare gradients. Same architecture, parameter count (28,088,024) and state_dict keys as the generated
/// <see cref="SeResNet50"/>, so weights load from one into the other.
/// </summary>
public sealed class HandWrittenSeResNet50 : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>Creates the network with freshly initialised weights.</summary>
    public HandWrittenSeResNet50()
        : base(nameof(HandWrittenSeResNet50))
    {
        conv1 = nn.Conv2d(3, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = nn.ReLU();
        maxpool = nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        long inplanes = 64;
        layer1 = MakeLayer(ref inplanes, 64, 3, 1);
        layer2 = MakeLayer(ref inplanes, 128, 4, 2);
        layer3 = MakeLayer(ref inplanes, 256, 6, 2);
        layer4 = MakeLayer(ref inplanes, 512, 3, 2);
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(2048, 1000);
        RegisterComponents();
    }

    private static Sequential MakeLayer(ref long inplanes, long planes, int blocks, long stride)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < blocks; i++)
        {
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), new Bottleneck(inplanes, planes, i == 0 ? stride : 1)));
            inplanes = planes * 4;
        }

        return nn.Sequential(modules);
    }

    /// <summary>Runs the network on a batch of shape [N, 3, H, W].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = relu.forward(bn1.forward(conv1.forward(input)));
        x = maxpool.forward(x);
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        x = avgpool.forward(x).flatten(1);
        return fc.forward(x).MoveToOuterDisposeScope();
    }

    private sealed class Bottleneck : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Conv2d conv3;
        private readonly BatchNorm2d bn3;
        private readonly SqueezeExcite se;
        private readonly ReLU relu;
        private readonly Sequential? downsample;

        public Bottleneck(long inplanes, long planes, long stride)
            : base(nameof(Bottleneck))
        {
            conv1 = nn.Conv2d(inplanes, planes, kernel_size: 1, bias: false);
            bn1 = nn.BatchNorm2d(planes);
            conv2 = nn.Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(planes);
            conv3 = nn.Conv2d(planes, planes * 4, kernel_size: 1, bias: false);
            bn3 = nn.BatchNorm2d(planes * 4);
            // timm's seresnet50: r = 16, the reduced width rounded to a multiple of 8.
            se = new SqueezeExcite(planes * 4, System.Math.Max(8, (planes * 4 / 16 + 4) / 8 * 8));
            relu = nn.ReLU();
            if (stride != 1 || inplanes != planes * 4)
            {
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, planes * 4, kernel_size: 1, stride: stride, bias: false),
                    nn.BatchNorm2d(planes * 4));
            }

            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var identity = downsample is null ? input : downsample.forward(input);
            var x = relu.forward(bn1.forward(conv1.forward(input)));
            x = relu.forward(bn2.forward(conv2.forward(x)));
            x = bn3.forward(conv3.forward(x));
            x = se.forward(x);
            x = x + identity;
            return relu.forward(x).MoveToOuterDisposeScope();
        }
    }

    /// <summary>The SE block: only its two 1x1 convolutions are modules; the pool, ReLU and sigmoid are function calls.</summary>
    private sealed class SqueezeExcite : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d fc1;
        private readonly Conv2d fc2;

        public SqueezeExcite(long channels, long reduced)
            : base(nameof(SqueezeExcite))
        {
            fc1 = nn.Conv2d(channels, reduced, kernel_size: 1);
            fc2 = nn.Conv2d(reduced, channels, kernel_size: 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var squeezed = nn.functional.adaptive_avg_pool2d(input, 1);
            var s = torch.sigmoid(fc2.forward(nn.functional.relu(fc1.forward(squeezed))));
            return (input * s).MoveToOuterDisposeScope();
        }
    }
}
