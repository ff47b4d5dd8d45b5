using System;
using System.Collections.Generic;
using System.Linq;

namespace SeDsl;

/// <summary>
/// Renames the keys of a weights file into the model's key names before they are compared: a prefix to strip
/// (<c>module.</c>, which <c>nn.DataParallel</c> and DistributedDataParallel add), a prefix to replace (a head named
/// <c>classifier.</c> in the file and <c>fc.</c> in the model), or one exact key. Rules apply in the order they were
/// added, each to the result of the ones before; a key no rule matches stays as it is. Immutable: every method
/// returns a new map.
/// </summary>
/// <example>
/// <code>
/// var map = WeightsKeyMap.StripPrefix("module.").RenamePrefix("classifier.", "fc.");
/// Weights.Load(model, "checkpoint.pth", new WeightsLoadOptions { KeyMap = map });
/// </code>
/// </example>
public sealed class WeightsKeyMap
{
    private readonly IReadOnlyList<Rule> rules;

    private WeightsKeyMap(IReadOnlyList<Rule> rules) => this.rules = rules;

    /// <summary>The map that keeps every key as it is.</summary>
    public static WeightsKeyMap Identity { get; } = new(Array.Empty<Rule>());

    /// <summary>A map that removes <paramref name="prefix"/> from the keys that start with it.</summary>
    public static WeightsKeyMap StripPrefix(string prefix) => Identity.ThenStripPrefix(prefix);

    /// <summary>A map that replaces the prefix <paramref name="from"/> by <paramref name="to"/> in the keys that start with it.</summary>
    public static WeightsKeyMap RenamePrefix(string from, string to) => Identity.ThenRenamePrefix(from, to);

    /// <summary>Whether the map changes no key.</summary>
    public bool IsIdentity => rules.Count == 0;

    /// <summary>This map, then removing <paramref name="prefix"/>.</summary>
    public WeightsKeyMap ThenStripPrefix(string prefix) => ThenRenamePrefix(prefix, "");

    /// <summary>This map, then replacing the prefix <paramref name="from"/> by <paramref name="to"/>.</summary>
    public WeightsKeyMap ThenRenamePrefix(string from, string to)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentNullException.ThrowIfNull(to);
        return new WeightsKeyMap(rules.Append(new Rule(from, to, Prefix: true)).ToList());
    }

    /// <summary>This map, then renaming the one key <paramref name="from"/> to <paramref name="to"/>.</summary>
    public WeightsKeyMap ThenRenameKey(string from, string to)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        return new WeightsKeyMap(rules.Append(new Rule(from, to, Prefix: false)).ToList());
    }

    /// <summary>The model key a file key maps to.</summary>
    public string Map(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var rule in rules)
        {
            if (rule.Prefix && key.StartsWith(rule.From, StringComparison.Ordinal))
            {
                key = rule.To + key[rule.From.Length..];
            }
            else if (!rule.Prefix && key == rule.From)
            {
                key = rule.To;
            }
        }

        return key;
    }

    /// <summary>The rules in order, e.g. <c>prefix 'module.' -&gt; '', prefix 'classifier.' -&gt; 'fc.'</c>; <c>identity</c> for none.</summary>
    public override string ToString() =>
        rules.Count == 0 ? "identity" : string.Join(", ", rules.Select(r => $"{(r.Prefix ? "prefix" : "key")} '{r.From}' -> '{r.To}'"));

    private sealed record Rule(string From, string To, bool Prefix);
}
