namespace SeDsl.Generator.Model;

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
/// Locations of a network declaration, kept beside (never inside) the <see cref="NetworkSpec"/> so that moving
/// code around re-reports diagnostics without regenerating source.
/// </summary>
internal sealed record SourceMap(LocationInfo? Class, LocationInfo? NetworkAttribute, LocationInfo? InputArgument, EquatableArray<LayerSource> Layers);

/// <summary>The parse step's output: the spec (null when the declaration cannot be generated), its locations, and parse diagnostics.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, SourceMap Map, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The check step's output: the plan to emit (null on errors) and every located diagnostic.</summary>
internal sealed record CheckResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The block parse step's output: the block (null when it cannot be generated) and its diagnostics.</summary>
internal sealed record BlockResult(BlockSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
