namespace SeDsl.Generator.Model;

/// <summary>
/// A source location as plain values (path, character span, zero-based line and column of both ends), so that
/// diagnostics travel through the cached pipeline; Parsing makes them and Diagnostics turns them back into locations.
/// </summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public int End => Start + Length;
}

/// <summary>A diagnostic as plain values: catalogue id, location, message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    /// <summary>Further places the diagnostic concerns, such as the stage that uses a block whose layer it is located on.</summary>
    public EquatableArray<LocationInfo> AdditionalLocations { get; init; } = EquatableArray<LocationInfo>.Empty;
}

/// <summary>Where one attribute argument was written.</summary>
internal sealed record ArgumentLocation(string Argument, LocationInfo Location);

/// <summary>Where a layer was declared: its attribute, and each argument the user wrote.</summary>
internal sealed record LayerSource(LocationInfo? Attribute, EquatableArray<ArgumentLocation> Arguments)
{
    /// <summary>The argument's location if the user wrote it, else the attribute's.</summary>
    public LocationInfo? Find(string? argument)
    {
        if (argument is not null)
        {
            foreach (var a in Arguments)
            {
                if (string.Equals(a.Argument, argument, System.StringComparison.OrdinalIgnoreCase))
                {
                    return a.Location;
                }
            }
        }

        return Attribute;
    }
}

/// <summary>
/// Locations of a network or block declaration, kept beside (never inside) its spec, so that moving code around
/// re-reports diagnostics without regenerating source.
/// </summary>
internal sealed record SourceMap(LocationInfo? Class, LocationInfo? ClassAttribute, LocationInfo? InputArgument, EquatableArray<LayerSource> Layers)
{
    /// <summary>The class attribute's arguments, where findings on them are located (a network of a family's <c>family</c> and <c>arguments#i</c>).</summary>
    public LayerSource? Attribute { get; init; }

    public static SourceMap Of(LocationInfo? location) => new(location, null, null, EquatableArray<LayerSource>.Empty);
}
