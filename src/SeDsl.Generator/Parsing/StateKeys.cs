using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Reads and checks the state_dict keys of a class's layers (<c>Key</c> on every layer attribute, <c>ChildKey</c> on
/// <c>[Stage]</c>): each key on its own (SEDSL115, SEDSL116), then all of them together (SEDSL030-SEDSL032), every
/// finding on the <c>Key</c> argument of the layer that makes the conflict.
/// </summary>
internal static class StateKeys
{
    /// <summary>The name a residual block's generated projection shortcut is registered under.</summary>
    private const string Downsample = "downsample";

    /// <summary>The layer's key, null when it has none; reports SEDSL115 and returns null for an invalid one.</summary>
    public static StateKey? Read(AttributeReader reader, string layer, List<DiagnosticInfo> diagnostics)
    {
        if (reader.Text("Key") is not { } text)
        {
            return null;
        }

        var segments = text.Split('.');
        string? problem = text.Length == 0 ? "it is empty; leave Key out to use the field name"
            : segments.Any(s => s.Length == 0) ? "it has an empty segment (two dots, or a dot at an end)"
            : segments.Take(segments.Length - 1).Any(s => s == StateKey.Append) ? "'#' (the container's next index) may only be the last segment"
            : segments.Length == 1 && segments[0] == StateKey.Append ? "'#' needs a container to number the layer in, e.g. \"features.#\""
            : segments.Where(s => s != StateKey.Append).SelectMany(s => s).FirstOrDefault(c => !Allowed(c)) is var c and not '\0'
                ? $"'{c}' is not allowed: segments hold letters, digits, '_' and '-', or are '#'"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidStateKey, reader.Source.Find("Key"), EquatableArray.Of(layer, text, problem)));
            return null;
        }

        return new StateKey(segments.ToEquatableArray());
    }

    /// <summary>A stage's <c>ChildKey</c>; reports SEDSL116 and returns null for an invalid one.</summary>
    public static string? ReadChildKey(AttributeReader reader, string layer, List<DiagnosticInfo> diagnostics)
    {
        string text = reader.Text("ChildKey") ?? StateKey.Append;
        int marks = text.Count(c => c == '#');
        string? problem = marks == 0 ? "it must hold '#' once, where the block's index goes"
            : marks > 1 ? "it holds '#' more than once; one '#' is the block's index"
            : text.FirstOrDefault(c => c != '#' && !Allowed(c)) is var c and not '\0' ? $"'{c}' is not allowed: a child's name holds letters, digits, '_' and '-' around the '#'"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidChildKey, reader.Source.Find("ChildKey"), EquatableArray.Of(layer, text, problem)));
            return null;
        }

        return text;
    }

    /// <summary>
    /// The keys of all layers together, in declaration order (each layer without a key has its field name): no two equal
    /// (SEDSL030), no layer's path a container of another's (SEDSL031), no container with both appended and named
    /// children (SEDSL032). A residual block's <c>downsample</c> is taken.
    /// </summary>
    public static void Check(IReadOnlyList<LayerSpec> layers, IReadOnlyList<LayerSource> sources, bool residual, List<DiagnosticInfo> diagnostics)
    {
        if (layers.All(l => l.Key is null))
        {
            return;
        }

        var paths = StateKey.Paths(layers);
        var leaves = new Dictionary<string, int>();
        var containers = new Dictionary<string, int>();
        var appends = new Dictionary<string, (bool Appended, int Layer)>();
        var mixed = new HashSet<string>(System.StringComparer.Ordinal);
        const int Generated = -1;
        if (residual)
        {
            leaves[Downsample] = Generated;
        }

        string Written(int i) => i == Generated ? Downsample : layers[i].Key?.ToString() ?? layers[i].Name;
        string Layer(int i) => i == Generated ? "the projection shortcut" : layers[i].Name;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var location = sources[i].Find(layer.Key is null ? null : "Key");
            string path = paths[i];
            var segments = path.Split('.');
            string parent = string.Join(".", segments.Take(segments.Length - 1));
            bool appended = layer.Key?.Leaf == StateKey.Append;
            var prefixes = Enumerable.Range(1, segments.Length - 1).Select(n => string.Join(".", segments.Take(n))).ToList();

            string? leafPrefix = prefixes.FirstOrDefault(leaves.ContainsKey);
            if (leaves.TryGetValue(path, out int other))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.DuplicateStateKey, location, EquatableArray.Of(layer.Name, path, Layer(other))));
            }
            else if (containers.TryGetValue(path, out other) || (leafPrefix is not null && leaves.TryGetValue(leafPrefix, out other)))
            {
                string both = containers.ContainsKey(path) ? path : leafPrefix!;
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.StateKeyLayerAndContainer, location, EquatableArray.Of(layer.Name, Written(i), Layer(other), Written(other), both)));
            }
            else
            {
                // The layer adds children to containers: each container its path creates is a named child of the one
                // above it, and the layer itself a child of its parent, appended or named.
                var added = prefixes.Where(p => !containers.ContainsKey(p))
                    .Select(p => (Container: p.Contains('.') ? p.Substring(0, p.LastIndexOf('.')) : "", Appended: false))
                    .Concat(new[] { (Container: parent, Appended: appended) });
                foreach (var (container, isAppended) in added)
                {
                    if (appends.TryGetValue(container, out var seen) && seen.Appended != isAppended)
                    {
                        // Once per container: a named child first and ten appended after it is one mistake, not ten.
                        if (!mixed.Add(container))
                        {
                            break;
                        }

                        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.StateKeyMixesAppendedAndNamed, location,
                            EquatableArray.Of(layer.Name, Written(i), Layer(seen.Layer), Written(seen.Layer), container)));
                        break;
                    }

                    if (!appends.ContainsKey(container))
                    {
                        appends[container] = (isAppended, i);
                    }
                }
            }

            leaves[path] = i;
            foreach (string prefix in prefixes)
            {
                if (!containers.ContainsKey(prefix))
                {
                    containers[prefix] = i;
                }
            }
        }
    }

    private static bool Allowed(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-';
}
