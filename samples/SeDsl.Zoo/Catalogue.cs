using System;
using System.Collections.Generic;
using System.Linq;

namespace SeDsl.Zoo;

/// <summary>Every model of the zoo, in the order of the paper's tables.</summary>
public static class Catalogue
{
    /// <summary>All models.</summary>
    public static IReadOnlyList<ZooModel> Models { get; } = new ZooModel[]
    {
        new("TinySeNet", "Samples", TinySeNet.Summary, () => new TinySeNet(), null, "Not in the paper: the samples app's small network."),
        new("FashionResNet", "Samples", FashionResNet.Summary, () => new FashionResNet(), null, "Not in the paper: the plain twin the samples app trains on Fashion-MNIST."),
        new("FashionSeResNet", "Samples", FashionSeResNet.Summary, () => new FashionSeResNet(), null, "Not in the paper: the small SE-ResNet the samples app trains on Fashion-MNIST."),
        new("ResNet50", "ResNet", ResNet50.Summary, () => new ResNet50(), new(25.6, 3.86, "Table 2"), Differences.StrideOn3x3),
        new("SeResNet50", "ResNet", SeResNet50.Summary, () => new SeResNet50(), new(28.1, 3.87, "Tables 2 and 5"), Differences.StrideOn3x3),
    };

    /// <summary>The models whose name contains <paramref name="filter"/> (case-insensitive); all of them for an empty filter.</summary>
    public static IReadOnlyList<ZooModel> Find(string? filter) =>
        string.IsNullOrEmpty(filter)
            ? Models
            : Models.Where(m => m.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
}
