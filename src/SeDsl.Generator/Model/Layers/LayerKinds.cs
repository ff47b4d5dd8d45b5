using System;
using System.Collections.Generic;

namespace SeDsl.Generator.Model;

/// <summary>A layer attribute the generator understands: its metadata name, the module type its field holds, and its reader.</summary>
/// <param name="Read">Reads the attribute into a spec named after the field; null when a size did not parse (already reported).</param>
internal sealed record LayerKind(string AttributeName, string ModuleType, Func<string, IAttributeArguments, LayerSpec?> Read)
{
    /// <summary>The attribute's simple name without "Attribute", as users write it.</summary>
    public string Written => AttributeName.Substring(AttributeName.LastIndexOf('.') + 1).Replace("Attribute", "");
}

/// <summary>Every layer kind, in the order of docs/dsl.md's table. Adding a kind: its attribute, its file, one row here.</summary>
internal static class LayerKinds
{
    public const string LayerAttributeBase = "SeDsl.LayerAttribute";

    public static readonly IReadOnlyList<LayerKind> All = new[]
    {
        ConvSpec.Conv2d,
        ConvSpec.DepthwiseConv2d,
        BatchNormSpec.Kind2d,
        ActivationSpec.ReLU,
        ActivationSpec.ReLU6,
        ActivationSpec.Sigmoid,
        ActivationSpec.Tanh,
        ActivationSpec.HardSigmoid,
        ActivationSpec.SiLU,
        ActivationSpec.Hardswish,
        ActivationSpec.GELU,
        ChosenActivationSpec.Kind1,
        PoolSpec.MaxPool2d,
        PoolSpec.AvgPool2d,
        GlobalPoolSpec.Average,
        GlobalPoolSpec.Maximum,
        FlattenSpec.Kind1,
        LinearSpec.Kind1,
        DropoutSpec.Kind1,
        DropPathSpec.Kind1,
        IdentitySpec.Kind1,
        ChannelShuffleSpec.Kind1,
        SqueezeExciteSpec.Kind1,
        CustomSpec.Kind1,
    };

    private static readonly Dictionary<string, LayerKind> BySimpleName = Index();

    /// <summary>The kind whose attribute has this metadata name (without namespace), to be confirmed against the full name.</summary>
    public static LayerKind? BySimple(string metadataName) => BySimpleName.TryGetValue(metadataName, out var kind) ? kind : null;

    private static Dictionary<string, LayerKind> Index()
    {
        var map = new Dictionary<string, LayerKind>(StringComparer.Ordinal);
        foreach (var kind in All)
        {
            map[kind.AttributeName.Substring(kind.AttributeName.LastIndexOf('.') + 1)] = kind;
        }

        return map;
    }
}
