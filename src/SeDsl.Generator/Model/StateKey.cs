using System.Collections.Generic;

namespace SeDsl.Generator.Model;

/// <summary>
/// A layer's path in the state_dict when it is not the field name (<c>Key = "features.0"</c>): the segments, checked when
/// parsed. Every segment but the last names a container (a <c>ModuleGroup</c> the constructor creates); the last names
/// the layer in it, or is <see cref="Append"/>: the container's next index at construction.
/// </summary>
internal sealed record StateKey(EquatableArray<string> Segments)
{
    /// <summary>The segment that appends: the number of children the container has when the layer is registered.</summary>
    public const string Append = "#";

    /// <summary>The segments before the last: the containers, outermost first.</summary>
    public IEnumerable<string> Containers
    {
        get
        {
            for (int i = 0; i < Segments.Count - 1; i++)
            {
                yield return Segments[i];
            }
        }
    }

    public string Leaf => Segments[Segments.Count - 1];

    /// <summary>The dotted text as written.</summary>
    public override string ToString() => string.Join(".", Segments);

    /// <summary>
    /// Every layer's state_dict path in declaration order: the field name, or its key with each <see cref="Append"/>
    /// numbered as construction numbers it (the children the container holds before it). The summary's layer names.
    /// </summary>
    public static IReadOnlyList<string> Paths(IEnumerable<LayerSpec> layers)
    {
        var children = new Dictionary<string, int>();
        var paths = new List<string>();
        foreach (var layer in layers)
        {
            if (layer.Key is not { } key)
            {
                paths.Add(layer.Name);
                continue;
            }

            string container = string.Join(".", key.Containers);
            children.TryGetValue(container, out int index);
            children[container] = index + 1;
            string leaf = key.Leaf == Append ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : key.Leaf;
            paths.Add(container.Length == 0 ? leaf : container + "." + leaf);
        }

        return paths;
    }
}
