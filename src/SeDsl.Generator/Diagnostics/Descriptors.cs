using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace SeDsl.Generator.Diagnostics;

/// <summary>
/// Every SeDsl diagnostic descriptor: title, message, category and severity per id. Each is a field of its own with a
/// constant id, category and severity, so that Roslyn's release tracking (RS2000-RS2008) reads them and checks them
/// against AnalyzerReleases.Shipped.md and AnalyzerReleases.Unshipped.md. <see cref="DiagnosticCatalogue"/> looks them
/// up and reports them.
/// </summary>
internal static class Descriptors
{
    private const string Usage = "SeDsl.Usage";
    private const string Arguments = "SeDsl.Arguments";
    private const string Shapes = "SeDsl.Shapes";
    private const string Counts = "SeDsl.Counting";
    private const string Internal = "SeDsl.Internal";

    public static readonly DiagnosticDescriptor ClassNotPartial = new(
        DiagnosticIds.ClassNotPartial, "Network or block class not partial",
        "Class '{0}' must be declared partial so that the generator can add its module code",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingInputShape = new(
        DiagnosticIds.MissingInputShape, "Missing input shape",
        "Network '{0}' has no input shape: write [Network(channels, height, width)]",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BaseClassNotAllowed = new(
        DiagnosticIds.BaseClassNotAllowed, "Base class on a network or block",
        "Class '{0}' must not declare a base class: the generated part derives it from Module<Tensor, Tensor>",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedClassShape = new(
        DiagnosticIds.UnsupportedClassShape, "Unsupported network or block class",
        "'{0}' must be a non-static, non-generic, non-file-local class without a primary constructor, declared directly in a namespace",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FieldTypeMismatch = new(
        DiagnosticIds.FieldTypeMismatch, "Layer field of the wrong type",
        "Layer '{0}' is a {1} layer, so its field type must be assignable from {2}, not {3}",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MultipleLayerAttributes = new(
        DiagnosticIds.MultipleLayerAttributes, "More than one layer attribute on a field",
        "Field '{0}' has more than one layer attribute; declare each layer in a field of its own",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidLayerField = new(
        DiagnosticIds.InvalidLayerField, "Invalid layer field",
        "Layer field '{0}' {1}",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoLayers = new(
        DiagnosticIds.NoLayers, "Network or block without layers",
        "{0} '{1}' declares no layers; its forward pass returns its input",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownLayerAttribute = new(
        DiagnosticIds.UnknownLayerAttribute, "Unknown layer attribute",
        "Field '{0}' uses layer attribute '{1}', which this version of the SeDsl generator does not know",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NamesDifferOnlyInCase = new(
        DiagnosticIds.NamesDifferOnlyInCase, "Network names differ only in case",
        "Networks '{0}' and '{1}' in one namespace differ only in case; their generated files would clash on case-insensitive file systems, so rename one",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotABlock = new(
        DiagnosticIds.NotABlock, "Stage or use of a class that is not a block",
        "Layer '{0}' uses '{1}', which is not a [Block] class",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RecursiveBlock = new(
        DiagnosticIds.RecursiveBlock, "Recursive block",
        "Block '{0}' contains itself through '{1}'; blocks may contain other blocks but not themselves",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StageArgumentCount = new(
        DiagnosticIds.StageArgumentCount, "Wrong number of block arguments",
        "Layer '{0}': block '{1}' takes {2} argument(s) ({3}), but {4} are given",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FamilyArgumentCount = new(
        DiagnosticIds.FamilyArgumentCount, "Wrong number of family arguments",
        "Network '{0}': family '{1}' takes {2} argument(s) ({3}), but {4} are given",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayerNotAllowedInBlock = new(
        DiagnosticIds.LayerNotAllowedInBlock, "Layer not allowed in a block",
        "Layer '{0}' ({1}) cannot be part of a block: a linear layer's size depends on the spatial size, which a block does not know, and stages belong in networks (use [Use] inside blocks)",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidBlockParameter = new(
        DiagnosticIds.InvalidBlockParameter, "Invalid block parameter",
        "Block parameter '{0}' {1}",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PlacementOutsideResidual = new(
        DiagnosticIds.PlacementOutsideResidual, "Placement outside a residual block",
        "Layer '{0}' is marked [{1}], which only a [Block(Residual = true)] class has",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkAndBlock = new(
        DiagnosticIds.NetworkAndBlock, "Class is both a network and a block",
        "'{0}' is marked both [Network] and [Block]; a class is one or the other",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BlockHasErrors = new(
        DiagnosticIds.BlockHasErrors, "Block with errors",
        "Block '{0}', used by '{1}', has errors (reported at its declaration), so this network or block is not generated",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayersInSeveralParts = new(
        DiagnosticIds.LayersInSeveralParts, "Layer fields in several parts of a partial class",
        "'{0}' declares layer or parameter fields in {1} parts of its partial class ({2}); the data flow would follow the order of the files, so declare them all in one part",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BlockFromOtherAssembly = new(
        DiagnosticIds.BlockFromOtherAssembly, "Block from another assembly",
        "Layer '{0}' uses block '{1}' from assembly '{2}'; blocks can only be used in the project that declares them",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberNamedLikeGenerated = new(
        DiagnosticIds.MemberNamedLikeGenerated, "Member named like a generated member",
        "'{0}' declares {1} '{2}', which the generated code of the {3} declares too; rename or remove it",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LanguageVersionTooOld = new(
        DiagnosticIds.LanguageVersionTooOld, "C# version too old for the generated code",
        "'{0}' needs C# 9 or later for its generated code, but the project compiles as C# {1}; set <LangVersion> to 9 or later",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FieldInFamilyNetwork = new(
        DiagnosticIds.FieldInFamilyNetwork, "Field in a network of a family",
        "Network '{0}' takes every layer from its family '{1}', so it cannot declare the layer field '{2}'; declare it in the family",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayerOutsideNetwork = new(
        DiagnosticIds.LayerOutsideNetwork, "Layer field outside a network or block",
        "Field '{0}' has layer attribute [{1}], but class '{2}' is neither a [Network] nor a [Block], so no layer is created",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateStateKey = new(
        DiagnosticIds.DuplicateStateKey, "Duplicate state-dict key",
        "Layer '{0}' has the state_dict key '{1}', which layer '{2}' has already; keys must be unique",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StateKeyLayerAndContainer = new(
        DiagnosticIds.StateKeyLayerAndContainer, "State-dict key both a layer and a container",
        "Layer '{0}' with key '{1}' and layer '{2}' with key '{3}' make '{4}' both a layer and a container of layers; a layer cannot hold other layers",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StateKeyMixesAppendedAndNamed = new(
        DiagnosticIds.StateKeyMixesAppendedAndNamed, "State-dict container with appended and named children",
        "Layer '{0}' with key '{1}' and layer '{2}' with key '{3}' give container '{4}' both appended ('#') and named children; use '#' for all of its children or for none",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CustomModuleNotCreatable = new(
        DiagnosticIds.CustomModuleNotCreatable, "Custom layer module without a matching constructor",
        "Layer '{0}': {1} has no accessible constructor taking ({2}); [Custom] creates it as new {1}(inChannels, arguments...)",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CustomTypeNotAModule = new(
        DiagnosticIds.CustomTypeNotAModule, "Custom layer type that is not a module",
        "Layer '{0}': {1} {2}; [Custom] needs a non-abstract class deriving from Module<Tensor, Tensor>",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotAFamily = new(
        DiagnosticIds.NotAFamily, "Network of a class that is not a network family",
        "Network '{0}' names '{1}' as its family, which is not a [Network] class with [Param] fields in this compilation",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FamilyHasErrors = new(
        DiagnosticIds.FamilyHasErrors, "Network family with errors",
        "Family '{0}' of network '{1}' has errors (reported at its declaration), so this network is not generated",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FamilyCycle = new(
        DiagnosticIds.FamilyCycle, "Network family of itself",
        "Family '{0}' is a network of itself ({1}); a family may bind another family's arguments, not its own",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UseSiteOptionNameTaken = new(
        DiagnosticIds.UseSiteOptionNameTaken, "Block member named like a use-site option's parameter",
        "Layer '{0}': {1} cannot be set for block '{2}', whose parameter or layer '{3}' has the name its constructor gives that option; rename the member",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FirstArgumentCount = new(
        DiagnosticIds.FirstArgumentCount, "Wrong number of first-block arguments",
        "Layer '{0}': First gives the first block {4} argument(s), but block '{1}' takes {2} ({3})",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CannotInline = new(
        DiagnosticIds.CannotInline, "Block that cannot be inlined",
        "Layer '{0}': the [{1}] with Inline = true cannot write its block's layers here: {2}",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InlineInBlock = new(
        DiagnosticIds.InlineInBlock, "Inline use inside a block",
        "Layer '{0}': a [{1}] with Inline = true is only for a network's layers; inside a block, use the block without Inline (its module is then a layer of this block)",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PlacementOutsideParallel = new(
        DiagnosticIds.PlacementOutsideParallel, "Placement outside a parallel block",
        "Layer '{0}' is marked [AfterConcatenation], which only a [Block(Parallel = true)] class has: no other class concatenates branches",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BranchAfterConcatenation = new(
        DiagnosticIds.BranchAfterConcatenation, "Branch after a layer on the concatenation",
        "Layer '{0}' is a branch of parallel block '{2}' but follows '{1}', which runs after the concatenation; declare every branch before the [AfterConcatenation] layers",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidInputShape = new(
        DiagnosticIds.InvalidInputShape, "Invalid input shape",
        "Network '{0}' has input shape {1}: write three positive values, channels, height and width",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidArgument = new(
        DiagnosticIds.InvalidArgument, "Invalid layer or block argument",
        "{4} '{0}': {1} must be {2}, but is {3}",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ReductionLeavesNoChannels = new(
        DiagnosticIds.ReductionLeavesNoChannels, "Reduction ratio leaves no channels",
        "Layer '{0}': reduction ratio r = {1} leaves no excitation channels for {2} input channels; r must be at most {2}",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ReductionNotExact = new(
        DiagnosticIds.ReductionNotExact, "Reduction ratio does not divide the channels",
        "Layer '{0}': reduction ratio r = {1} does not divide {2} channels; the excitation bottleneck is rounded down to {3}",
        Arguments, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SamePaddingImpossible = new(
        DiagnosticIds.SamePaddingImpossible, "\"Same\" padding not possible",
        "Layer '{0}': \"same\" padding is not possible: {1}",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidExpression = new(
        DiagnosticIds.InvalidExpression, "Invalid channel expression",
        "Layer '{0}': expression \"{1}\" is invalid: {2}",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StageTooLong = new(
        DiagnosticIds.StageTooLong, "Stage too long",
        "Layer '{0}': a stage of {1} blocks exceeds the limit of {2}",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StrideHasNoEffect = new(
        DiagnosticIds.StrideHasNoEffect, "Block stride has no effect",
        "Layer '{0}': {1} has no effect, because block '{2}' applies its stride nowhere (no layer or use says Strides.OfBlock)",
        Arguments, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidStateKey = new(
        DiagnosticIds.InvalidStateKey, "Invalid state-dict key",
        "Layer '{0}': key \"{1}\" is invalid: {2}",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidChildKey = new(
        DiagnosticIds.InvalidChildKey, "Invalid stage child key",
        "Layer '{0}': ChildKey \"{1}\" is invalid: {2}",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CustomRuleUsesSpatialSize = new(
        DiagnosticIds.CustomRuleUsesSpatialSize, "Input height or width in a custom layer's rule",
        "Layer '{0}': {1} \"{2}\" uses '{3}', which only MultiplyAdds may use; output channels, parameters and constructor arguments cannot depend on the input's height and width",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UseSiteOptionConflict = new(
        DiagnosticIds.UseSiteOptionConflict, "Use-site option that removes a needed shortcut",
        "Layer '{0}': {1} is not possible for block '{2}', whose layers {3} are placed on its projection shortcut or after its addition",
        Arguments, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UseSiteOptionHasNoEffect = new(
        DiagnosticIds.UseSiteOptionHasNoEffect, "Use-site option has no effect",
        "Layer '{0}': {1} has no effect on block '{2}': {3}",
        Arguments, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SpatialSizeVanishes = new(
        DiagnosticIds.SpatialSizeVanishes, "Spatial size shrinks to zero",
        "Layer '{0}': input {1} leaves an output of {2}; height and width must stay at least 1",
        Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GroupsDoNotDivide = new(
        DiagnosticIds.GroupsDoNotDivide, "Groups do not divide channels",
        "Layer '{0}': {1} groups do not divide the {2} channel count {3}",
        Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NeedsSpatialInput = new(
        DiagnosticIds.NeedsSpatialInput, "Layer needs spatial input",
        "Layer '{0}' ({1}) needs a C x H x W input, but follows a flatten and receives {2} features",
        Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NeedsFlatInput = new(
        DiagnosticIds.NeedsFlatInput, "Linear layer needs flat input",
        "Layer '{0}' (Linear) needs a flat input, but receives {1}; add [Flatten] (after [GlobalAvgPool]) before it",
        Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ResidualShapeMismatch = new(
        DiagnosticIds.ResidualShapeMismatch, "Residual shapes differ",
        "Block '{0}': the body's output {1} cannot be added to the shortcut's {2}",
        Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BranchSizeMismatch = new(
        DiagnosticIds.BranchSizeMismatch, "Branch sizes differ at a concatenation",
        "Block '{0}': branch '{1}' outputs {2}, but branch '{3}' outputs {4}; concatenated branches must agree in height and width",
        Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CountOverflow = new(
        DiagnosticIds.CountOverflow, "Count overflows",
        "'{0}': the {1} overflow a 64-bit integer",
        Counts, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkTooLarge = new(
        DiagnosticIds.NetworkTooLarge, "Network too large",
        "'{0}': {1} layers after expanding stages and blocks exceed the limit of {2}",
        Counts, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InternalError = new(
        DiagnosticIds.InternalError, "Internal generator error",
        "The SeDsl generator failed on '{0}': {1}. This is a bug in SeDsl; please report it with the declaration.",
        Internal, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>Every descriptor, in id order.</summary>
    public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
    {
        ClassNotPartial,
        MissingInputShape,
        BaseClassNotAllowed,
        UnsupportedClassShape,
        FieldTypeMismatch,
        MultipleLayerAttributes,
        InvalidLayerField,
        NoLayers,
        UnknownLayerAttribute,
        NamesDifferOnlyInCase,
        NotABlock,
        RecursiveBlock,
        StageArgumentCount,
        FamilyArgumentCount,
        LayerNotAllowedInBlock,
        InvalidBlockParameter,
        PlacementOutsideResidual,
        NetworkAndBlock,
        BlockHasErrors,
        LayersInSeveralParts,
        BlockFromOtherAssembly,
        MemberNamedLikeGenerated,
        LanguageVersionTooOld,
        FieldInFamilyNetwork,
        LayerOutsideNetwork,
        DuplicateStateKey,
        StateKeyLayerAndContainer,
        StateKeyMixesAppendedAndNamed,
        CustomModuleNotCreatable,
        CustomTypeNotAModule,
        NotAFamily,
        FamilyHasErrors,
        FamilyCycle,
        UseSiteOptionNameTaken,
        FirstArgumentCount,
        CannotInline,
        InlineInBlock,
        PlacementOutsideParallel,
        BranchAfterConcatenation,
        InvalidInputShape,
        InvalidArgument,
        ReductionLeavesNoChannels,
        ReductionNotExact,
        SamePaddingImpossible,
        InvalidExpression,
        StageTooLong,
        StrideHasNoEffect,
        InvalidStateKey,
        InvalidChildKey,
        CustomRuleUsesSpatialSize,
        UseSiteOptionConflict,
        UseSiteOptionHasNoEffect,
        SpatialSizeVanishes,
        GroupsDoNotDivide,
        NeedsSpatialInput,
        NeedsFlatInput,
        ResidualShapeMismatch,
        BranchSizeMismatch,
        CountOverflow,
        NetworkTooLarge,
        InternalError,
    };
}
