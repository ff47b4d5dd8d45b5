using System;
using System.Linq;

namespace SeDsl.Generator.Model;

/// <summary>The block options a <c>[Stage]</c> or <c>[Use]</c> may set for its block, as flags (which a use overrides, which a block's module takes).</summary>
[Flags]
internal enum UseSiteOption
{
    None = 0,
    Residual = 1,
    Shortcut = 2,
    ShortcutKernel = 4,
    AfterAddition = 8,
    ResidualScale = 16,
}

/// <summary>
/// The residual options a <c>[Stage]</c> or <c>[Use]</c> gives its block for that use only; a null option is the
/// block's own (<c>[Block(...)]</c>). Parsed once, typed.
/// </summary>
internal sealed record BlockOptions(bool? Residual, bool? IdentityOrNone, int? ShortcutKernel, bool? ReluAfterAddition, double? ResidualScale)
{
    public static readonly BlockOptions None = new(null, null, null, null, null);

    /// <summary>Each option's attribute argument and the name the block's generated constructor gives it (<c>residual: false</c>).</summary>
    public static readonly (UseSiteOption Option, string Argument, string Parameter)[] Names =
    [
        (UseSiteOption.Residual, "Residual", "residual"),
        (UseSiteOption.Shortcut, "Shortcut", "shortcut"),
        (UseSiteOption.ShortcutKernel, "ShortcutKernel", "shortcutKernel"),
        (UseSiteOption.AfterAddition, "AfterAddition", "afterAddition"),
        (UseSiteOption.ResidualScale, "ResidualScale", "residualScale"),
    ];

    /// <summary>The options whose constructor parameter name a parameter or layer of <paramref name="block"/> already has (SEDSL037 where a use sets one).</summary>
    public static UseSiteOption Taken(BlockSpec block)
    {
        var taken = UseSiteOption.None;
        foreach (var (option, _, parameter) in Names)
        {
            if (block.Parameters.Any(p => p.Name == parameter) || block.Layers.Any(l => l.Identifier == parameter || l.Name == parameter))
            {
                taken |= option;
            }
        }

        return taken;
    }

    /// <summary>The options this use sets.</summary>
    public UseSiteOption Set =>
        (Residual is null ? 0 : UseSiteOption.Residual) | (IdentityOrNone is null ? 0 : UseSiteOption.Shortcut)
        | (ShortcutKernel is null ? 0 : UseSiteOption.ShortcutKernel) | (ReluAfterAddition is null ? 0 : UseSiteOption.AfterAddition)
        | (ResidualScale is null ? 0 : UseSiteOption.ResidualScale);

    /// <summary>The block as this use makes it: each option set here replaces the block's.</summary>
    public BlockSpec ApplyTo(BlockSpec block) => Set == UseSiteOption.None ? block : block with
    {
        Residual = Residual ?? block.Residual,
        ShortcutIdentityOrNone = IdentityOrNone ?? block.ShortcutIdentityOrNone,
        ShortcutKernel = ShortcutKernel ?? block.ShortcutKernel,
        ReluAfterAddition = ReluAfterAddition ?? block.ReluAfterAddition,
        ResidualScale = ResidualScale ?? block.ResidualScale,
    };
}

/// <summary>For each block, the options some <c>[Stage]</c> or <c>[Use]</c> of the compilation sets: the block's module takes those as constructor parameters.</summary>
internal sealed record UseSiteTable(EquatableArray<UseSiteEntry> Entries)
{
    public UseSiteOption For(string metadataName)
    {
        var found = UseSiteOption.None;
        foreach (var entry in Entries)
        {
            if (entry.Block == metadataName)
            {
                found |= entry.Options;
            }
        }

        return found;
    }
}

/// <summary>One block and the options one class's uses set for it.</summary>
internal sealed record UseSiteEntry(string Block, UseSiteOption Options);
