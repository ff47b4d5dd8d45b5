using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Diagnostics;

/// <summary>The one catalogue of SeDsl diagnostics: title, message and severity per id.</summary>
internal static class DiagnosticCatalogue
{
    private const string Usage = "SeDsl.Usage";
    private const string Arguments = "SeDsl.Arguments";
    private const string Shapes = "SeDsl.Shapes";
    private const string Counts = "SeDsl.Counting";
    private const string Internal = "SeDsl.Internal";

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
    {
        Make(DiagnosticIds.ClassNotPartial, "Network or block class not partial", "Class '{0}' must be declared partial so that the generator can add its module code", Usage),
        Make(DiagnosticIds.MissingInputShape, "Missing input shape", "Network '{0}' has no input shape: write [Network(channels, height, width)]", Usage),
        Make(DiagnosticIds.BaseClassNotAllowed, "Base class on a network or block", "Class '{0}' must not declare a base class: the generated part derives it from Module<Tensor, Tensor>", Usage),
        Make(DiagnosticIds.UnsupportedClassShape, "Unsupported network or block class", "'{0}' must be a non-generic, non-file-local class without a primary constructor, declared directly in a namespace", Usage),
        Make(DiagnosticIds.FieldTypeMismatch, "Layer field of the wrong type", "Layer '{0}' is a {1} layer, so its field type must be assignable from {2}, not {3}", Usage),
        Make(DiagnosticIds.MultipleLayerAttributes, "More than one layer attribute on a field", "Field '{0}' has more than one layer attribute; declare each layer in a field of its own", Usage),
        Make(DiagnosticIds.InvalidLayerField, "Invalid layer field", "Layer field '{0}' {1}", Usage),
        Make(DiagnosticIds.NoLayers, "Network without layers", "Network '{0}' declares no layers; its forward pass returns its input", Usage),
        Make(DiagnosticIds.UnknownLayerAttribute, "Unknown layer attribute", "Field '{0}' uses layer attribute '{1}', which this version of the SeDsl generator does not know", Usage),
        Make(DiagnosticIds.NamesDifferOnlyInCase, "Network names differ only in case", "Networks '{0}' and '{1}' in one namespace differ only in case; their generated files would clash on case-insensitive file systems, so rename one", Usage),
        Make(DiagnosticIds.NotABlock, "Stage or use of a class that is not a block", "Layer '{0}' uses '{1}', which is not a [Block] class", Usage),
        Make(DiagnosticIds.RecursiveBlock, "Recursive block", "Block '{0}' contains itself through '{1}'; blocks may contain other blocks but not themselves", Usage),
        Make(DiagnosticIds.StageArgumentCount, "Wrong number of block arguments", "Layer '{0}': block '{1}' takes {2} argument(s) ({3}), but {4} are given", Usage),
        Make(DiagnosticIds.LayerNotAllowedInBlock, "Layer not allowed in a block", "Layer '{0}' ({1}) cannot be part of a block: a linear layer's size depends on the spatial size, which a block does not know, and stages belong in networks (use [Use] inside blocks)", Usage),
        Make(DiagnosticIds.InvalidBlockParameter, "Invalid block parameter", "Block parameter '{0}' {1}", Usage),
        Make(DiagnosticIds.PlacementOutsideResidual, "Placement outside a residual block", "Layer '{0}' is marked [{1}], which only a [Block(Residual = true)] class has", Usage),
        Make(DiagnosticIds.NetworkAndBlock, "Class is both a network and a block", "'{0}' is marked both [Network] and [Block]; a class is one or the other", Usage),
        Make(DiagnosticIds.BlockHasErrors, "Block with errors", "Block '{0}', used by '{1}', has errors (reported at its declaration), so this network or block is not generated", Usage),
        Make(DiagnosticIds.InvalidInputShape, "Invalid input shape", "Network '{0}' has input shape {1}: write three positive values, channels, height and width", Arguments),
        Make(DiagnosticIds.InvalidArgument, "Invalid layer argument", "Layer '{0}': {1} must be {2}, but is {3}", Arguments),
        Make(DiagnosticIds.ReductionLeavesNoChannels, "Reduction ratio leaves no channels", "Layer '{0}': reduction ratio r = {1} leaves no excitation channels for {2} input channels; r must be at most {2}", Arguments),
        Make(DiagnosticIds.ReductionNotExact, "Reduction ratio does not divide the channels", "Layer '{0}': reduction ratio r = {1} does not divide {2} channels; the excitation bottleneck is rounded down to {3}", Arguments),
        Make(DiagnosticIds.SamePaddingImpossible, "\"Same\" padding not possible", "Layer '{0}': \"same\" padding is not possible: {1}", Arguments),
        Make(DiagnosticIds.InvalidExpression, "Invalid channel expression", "Layer '{0}': expression \"{1}\" is invalid: {2}", Arguments),
        Make(DiagnosticIds.SpatialSizeVanishes, "Spatial size shrinks to zero", "Layer '{0}': input {1} leaves an output of {2}; height and width must stay at least 1", Shapes),
        Make(DiagnosticIds.GroupsDoNotDivide, "Groups do not divide channels", "Layer '{0}': {1} groups do not divide the {2} channel count {3}", Shapes),
        Make(DiagnosticIds.NeedsSpatialInput, "Layer needs spatial input", "Layer '{0}' ({1}) needs a C x H x W input, but follows a flatten and receives {2} features", Shapes),
        Make(DiagnosticIds.NeedsFlatInput, "Linear layer needs flat input", "Layer '{0}' (Linear) needs a flat input, but receives {1}; add [Flatten] (after [GlobalAvgPool]) before it", Shapes),
        Make(DiagnosticIds.ResidualShapeMismatch, "Residual shapes differ", "Block '{0}': the body's output {1} cannot be added to the shortcut's {2}", Shapes),
        Make(DiagnosticIds.BranchSizeMismatch, "Branch sizes differ at a concatenation", "Block '{0}': branch '{1}' outputs {2}, but branch '{3}' outputs {4}; concatenated branches must agree in height and width", Shapes),
        Make(DiagnosticIds.CountOverflow, "Count overflows", "'{0}': the {1} overflow a 64-bit integer", Counts),
        Make(DiagnosticIds.InternalError, "Internal generator error", "The SeDsl generator failed on '{0}': {1}. This is a bug in SeDsl; please report it with the declaration", Internal),
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor Get(string id) => ById[id];

    /// <summary>Relative to the repository root; each page explains the cause and the fix.</summary>
    public static string HelpLink(string id) => $"docs/diagnostics/{id}.md";

    /// <summary>
    /// The diagnostic for <paramref name="info"/> at <paramref name="location"/>. Its message arguments also travel as properties
    /// (<see cref="DiagnosticIds.ArgumentProperty"/>), so that code fixes read values such as a channel count
    /// without parsing the message.
    /// </summary>
    public static Diagnostic Create(DiagnosticInfo info, Location? location)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        for (int i = 0; i < info.MessageArgs.Count; i++)
        {
            properties.Add(DiagnosticIds.ArgumentProperty(i), info.MessageArgs[i]);
        }

        return Diagnostic.Create(Get(info.Id), location, properties.ToImmutable(), [.. info.MessageArgs]);
    }

    private static DiagnosticDescriptor Make(string id, string title, string message, string category) =>
        new(id, title, message, category,
            DiagnosticIds.IsWarning(id) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
