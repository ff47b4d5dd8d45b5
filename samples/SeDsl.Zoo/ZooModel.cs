using System;
using TorchSharp;

namespace SeDsl.Zoo;

/// <summary>What the SE paper prints for a model, for comparison with the compile-time counts.</summary>
/// <param name="ParametersMillions">Parameters in millions, or <see langword="null"/> where the paper prints none.</param>
/// <param name="GigaFlops">The paper's "GFLOPs" (which count multiply-adds), or <see langword="null"/> where it prints none.</param>
/// <param name="Source">Where in the paper the figures are printed.</param>
public sealed record PaperFigures(double? ParametersMillions, double? GigaFlops, string Source);

/// <summary>One model of the zoo: its compile-time summary, a factory, and what to compare it with.</summary>
/// <param name="Name">The model's name as users type it (<c>summary NAME</c>): the class name.</param>
/// <param name="Family">The paper's family, e.g. <c>ResNet</c>.</param>
/// <param name="Summary">The compile-time summary generated for the class.</param>
/// <param name="Create">Creates the TorchSharp module with fresh weights.</param>
/// <param name="Paper">The paper's figures, where it prints them.</param>
/// <param name="Difference">Why the compile-time figures differ from the paper's, where they do.</param>
public sealed record ZooModel(
    string Name,
    string Family,
    NetworkSummary Summary,
    Func<torch.nn.Module<torch.Tensor, torch.Tensor>> Create,
    PaperFigures? Paper,
    string Difference);
