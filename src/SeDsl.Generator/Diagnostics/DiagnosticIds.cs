namespace SeDsl.Generator.Diagnostics;

/// <summary>
/// Every diagnostic id. Ranges: 0xx usage, 1xx attribute arguments, 2xx shapes, 3xx counting, 9xx internal.
/// Ids are never reused. Each has a page in docs/diagnostics and a descriptor in <see cref="DiagnosticCatalogue"/>, whose
/// id, category and severity Roslyn's release tracking checks against a row in src/SeDsl.Generator/AnalyzerReleases.Unshipped.md
/// (AnalyzerReleases.Shipped.md once a release has shipped it).
/// This file is Roslyn-free so that the analysis can name ids; <see cref="DiagnosticCatalogue"/> adds titles and messages.
/// The code-fix assembly (src/SeDsl.CodeFixes) compiles this same file, so both name the ids through these constants.
/// </summary>
internal static class DiagnosticIds
{
    public const string ClassNotPartial = "SEDSL001";
    public const string MissingInputShape = "SEDSL002";
    public const string BaseClassNotAllowed = "SEDSL003";
    public const string UnsupportedClassShape = "SEDSL004";
    public const string FieldTypeMismatch = "SEDSL005";
    public const string MultipleLayerAttributes = "SEDSL006";
    public const string InvalidLayerField = "SEDSL007";
    public const string NoLayers = "SEDSL008";
    public const string UnknownLayerAttribute = "SEDSL009";
    public const string NamesDifferOnlyInCase = "SEDSL010";
    public const string NotABlock = "SEDSL011";
    public const string RecursiveBlock = "SEDSL012";
    public const string StageArgumentCount = "SEDSL013";
    public const string LayerNotAllowedInBlock = "SEDSL014";
    public const string InvalidBlockParameter = "SEDSL015";
    public const string PlacementOutsideResidual = "SEDSL016";
    public const string NetworkAndBlock = "SEDSL017";
    public const string BlockHasErrors = "SEDSL018";
    public const string LayersInSeveralParts = "SEDSL019";
    public const string BlockFromOtherAssembly = "SEDSL020";
    public const string MemberNamedLikeGenerated = "SEDSL021";
    public const string LanguageVersionTooOld = "SEDSL022";
    public const string FieldInFamilyNetwork = "SEDSL023";
    public const string LayerOutsideNetwork = "SEDSL024";
    public const string DuplicateStateKey = "SEDSL030";
    public const string StateKeyLayerAndContainer = "SEDSL031";
    public const string StateKeyMixesAppendedAndNamed = "SEDSL032";
    public const string CustomModuleNotCreatable = "SEDSL033";
    public const string CustomTypeNotAModule = "SEDSL034";
    public const string NotAFamily = "SEDSL035";
    public const string FamilyHasErrors = "SEDSL036";
    public const string UseSiteOptionNameTaken = "SEDSL037";
    public const string FirstArgumentCount = "SEDSL038";
    public const string CannotInline = "SEDSL039";
    public const string InlineInBlock = "SEDSL040";
    public const string PlacementOutsideParallel = "SEDSL041";
    public const string BranchAfterConcatenation = "SEDSL042";
    public const string FamilyCycle = "SEDSL043";

    public const string InvalidInputShape = "SEDSL101";
    public const string InvalidArgument = "SEDSL102";
    public const string ReductionLeavesNoChannels = "SEDSL103";
    public const string ReductionNotExact = "SEDSL104";
    public const string SamePaddingImpossible = "SEDSL105";
    public const string InvalidExpression = "SEDSL106";
    public const string StageTooLong = "SEDSL107";
    public const string StrideHasNoEffect = "SEDSL108";
    public const string InvalidStateKey = "SEDSL115";
    public const string InvalidChildKey = "SEDSL116";
    public const string FamilyArgumentCount = "SEDSL117";
    public const string CustomRuleUsesSpatialSize = "SEDSL119";
    public const string UseSiteOptionConflict = "SEDSL120";
    public const string UseSiteOptionHasNoEffect = "SEDSL121";

    public const string SpatialSizeVanishes = "SEDSL201";
    public const string GroupsDoNotDivide = "SEDSL202";
    public const string NeedsSpatialInput = "SEDSL203";
    public const string NeedsFlatInput = "SEDSL204";
    public const string ResidualShapeMismatch = "SEDSL205";
    public const string BranchSizeMismatch = "SEDSL206";

    public const string CountOverflow = "SEDSL301";
    public const string NetworkTooLarge = "SEDSL302";

    public const string InternalError = "SEDSL901";

    /// <summary>
    /// The property under which a diagnostic carries its message argument number <paramref name="index"/>, in the
    /// order of the catalogue's message (for SEDSL104: layer, r, channels, rounded width).
    /// </summary>
    public static string ArgumentProperty(int index) => "Arg" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ids reported as warnings; every other id is an error and stops generation for its network.</summary>
    public static bool IsWarning(string id) => id is ReductionNotExact or NoLayers or LayerOutsideNetwork or StrideHasNoEffect or UseSiteOptionHasNoEffect;
}
