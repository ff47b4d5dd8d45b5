using System;
using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Every layer attribute the generator understands: its metadata name in SeDsl.Runtime, the TorchSharp module type
/// the generated field holds, and how to read it into a <see cref="LayerSpec"/>. Defaults here mirror the attributes'
/// own defaults; a test guards the two against drift.
/// </summary>
internal static class LayerCatalogue
{
    public const string NetworkAttribute = "SeDsl.NetworkAttribute";
    public const string LayerAttributeBase = "SeDsl.LayerAttribute";

    public sealed record Entry(string AttributeName, string ModuleType, Func<string, AttributeReader, LayerSpec> Read);

    public static readonly IReadOnlyList<Entry> Entries = new Entry[]
    {
        new("SeDsl.Conv2dAttribute", "TorchSharp.Modules.Conv2d", (n, a) => new ConvSpec(n, false,
            a.Int("OutChannels", 0), 1, a.Int("Kernel", 0), a.Int("Stride", 1), a.Int("Padding", 0), a.Int("Dilation", 1), a.Int("Groups", 1), a.Bool("Bias", true))
            {
                OutChannelsExpression = a.String("OutChannels"),
                KernelWidth = a.Int("KernelWidth", a.Int("Kernel", 0)),
            }),
        new("SeDsl.DepthwiseConv2dAttribute", "TorchSharp.Modules.Conv2d", (n, a) => new ConvSpec(n, true,
            0, a.Int("Multiplier", 1), a.Int("Kernel", 0), a.Int("Stride", 1), a.Int("Padding", 0), a.Int("Dilation", 1), 0, a.Bool("Bias", true))),
        new("SeDsl.BatchNorm2dAttribute", "TorchSharp.Modules.BatchNorm2d", (n, a) => new BatchNormSpec(n, a.Double("Eps", 1e-5), a.Double("Momentum", 0.1))),
        new("SeDsl.ReLUAttribute", "TorchSharp.Modules.ReLU", (n, _) => new ActivationSpec(n, ActivationKind.ReLU)),
        new("SeDsl.ReLU6Attribute", "TorchSharp.Modules.ReLU6", (n, _) => new ActivationSpec(n, ActivationKind.ReLU6)),
        new("SeDsl.SigmoidAttribute", "TorchSharp.Modules.Sigmoid", (n, _) => new ActivationSpec(n, ActivationKind.Sigmoid)),
        new("SeDsl.TanhAttribute", "TorchSharp.Modules.Tanh", (n, _) => new ActivationSpec(n, ActivationKind.Tanh)),
        new("SeDsl.HardSigmoidAttribute", "TorchSharp.Modules.Hardsigmoid", (n, _) => new ActivationSpec(n, ActivationKind.HardSigmoid)),
        new("SeDsl.SiLUAttribute", "TorchSharp.Modules.SiLU", (n, _) => new ActivationSpec(n, ActivationKind.SiLU)),
        new("SeDsl.MaxPool2dAttribute", "TorchSharp.Modules.MaxPool2d", (n, a) => new PoolSpec(n, true,
            a.Int("Kernel", 0), a.Int("Stride", 0), a.Int("Padding", 0), a.Bool("CeilMode", false))),
        new("SeDsl.AvgPool2dAttribute", "TorchSharp.Modules.AvgPool2d", (n, a) => new PoolSpec(n, false,
            a.Int("Kernel", 0), a.Int("Stride", 0), a.Int("Padding", 0), a.Bool("CeilMode", false))
            {
                CountIncludePad = a.Bool("CountIncludePad", true),
            }),
        new("SeDsl.GlobalAvgPoolAttribute", "TorchSharp.Modules.AdaptiveAvgPool2d", (n, _) => new GlobalPoolSpec(n, false)),
        new("SeDsl.GlobalMaxPoolAttribute", "TorchSharp.Modules.AdaptiveMaxPool2d", (n, _) => new GlobalPoolSpec(n, true)),
        new("SeDsl.FlattenAttribute", "TorchSharp.Modules.Flatten", (n, _) => new FlattenSpec(n)),
        new("SeDsl.LinearAttribute", "TorchSharp.Modules.Linear", (n, a) => new LinearSpec(n, a.Int("OutFeatures", 0), a.Bool("Bias", true))),
        new("SeDsl.DropoutAttribute", "TorchSharp.Modules.Dropout", (n, a) => new DropoutSpec(n, a.Double("P", 0.5))),
        new("SeDsl.IdentityAttribute", "TorchSharp.Modules.Identity", (n, _) => new IdentitySpec(n)),
        new("SeDsl.ChannelShuffleAttribute", "TorchSharp.Modules.ChannelShuffle", (n, a) => new ChannelShuffleSpec(n, a.Int("Groups", 0))),
        new("SeDsl.SqueezeExciteAttribute", "SeDsl.Layers.SqueezeExcitation", (n, a) => new SqueezeExciteSpec(n,
            a.Int("R", 16), (SqueezeKind)a.Int("Squeeze", 0), (GateKind)a.Int("Gate", 0), a.Int("Divisor", 1), a.Bool("Bias", true))
            {
                RExpression = a.String("R"),
            }),
    };

    private static readonly Dictionary<string, Entry> ByAttribute = Entries.ToDictionary(e => e.AttributeName);

    // By simple name, checked against the full name on lookup: no string is built per attribute read.
    private static readonly Dictionary<string, Entry> BySimpleName = Entries.ToDictionary(e => e.AttributeName.Substring(e.AttributeName.LastIndexOf('.') + 1));

    public static Entry? Find(string attributeMetadataName) =>
        ByAttribute.TryGetValue(attributeMetadataName, out var entry) ? entry : null;

    public static Entry? Find(Microsoft.CodeAnalysis.INamedTypeSymbol attributeClass) =>
        BySimpleName.TryGetValue(attributeClass.MetadataName, out var entry) && TypeNames.Is(attributeClass, entry.AttributeName) ? entry : null;
}
