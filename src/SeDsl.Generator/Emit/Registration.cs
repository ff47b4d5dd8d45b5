using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// The constructor's <c>register_module</c> calls, in declaration order: a layer without a key under its field name; a
/// layer with a key (<c>features.0</c>, <c>block.#</c>) in <c>ModuleGroup</c> containers, each created and registered
/// where its first layer is, so that state_dict lists the entries in PyTorch's order (depth first, by registration).
/// </summary>
internal static class Registration
{
    // C#'s reserved keywords: a container's local variable must not be one.
    private static readonly HashSet<string> Keywords = new(
        "abstract as base bool break byte case catch char checked class const continue decimal default delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface internal is lock long namespace new null object operator out override params private protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using virtual void volatile while"
            .Split(' '));

    /// <param name="taken">Names the constructor already uses unqualified (layer fields, parameters), which a container's local must not hide.</param>
    /// <param name="optional">Layers that exist only under their condition: registered when their field is not null.</param>
    public static void Write(SourceWriter w, IReadOnlyList<LayerSpec> layers, IEnumerable<string> taken, ISet<LayerSpec>? optional = null)
    {
        optional ??= new HashSet<LayerSpec>();
        var used = new HashSet<string>(taken.Concat(layers.Select(l => l.Identifier.TrimStart('@'))));
        var locals = new Dictionary<string, string>();
        foreach (var layer in layers)
        {
            string when = optional.Contains(layer) ? $"if ({layer.Identifier} is not null) " : "";
            if (layer.Key is not { } key)
            {
                w.Line($"{when}register_module(nameof({layer.Identifier}), {layer.Identifier});");
                continue;
            }

            string path = "";
            string? parent = null;
            foreach (string segment in key.Containers)
            {
                path = path.Length == 0 ? segment : path + "." + segment;
                if (!locals.TryGetValue(path, out string? local))
                {
                    local = LocalFor(path, used);
                    locals[path] = local;
                    w.Line($"var {local} = new {Code.ModuleGroup}();");
                    w.Line(parent is null ? $"register_module({Code.Literal(segment)}, {local});" : $"{parent}.Add({Code.Literal(segment)}, {local});");
                }

                parent = local;
            }

            w.Line(when + (parent is null ? $"register_module({Code.Literal(key.Leaf)}, {layer.Identifier});"
                : key.Leaf == StateKey.Append ? $"{parent}.Append({layer.Identifier});"
                : $"{parent}.Add({Code.Literal(key.Leaf)}, {layer.Identifier});"));
        }
    }

    /// <summary>
    /// With keys, <c>RegisterComponents</c> (which TorchSharp calls when a module is registered in another) does nothing:
    /// its reflection over fields would register every keyed layer a second time under its field name.
    /// </summary>
    /// <param name="renamedShortcut">Whether the projection shortcut is registered under another name than its field's (<c>ShortcutName</c>).</param>
    public static void WriteRegisterComponents(SourceWriter w, IReadOnlyList<LayerSpec> layers, bool renamedShortcut = false)
    {
        if (layers.All(l => l.Key is null) && !renamedShortcut)
        {
            return;
        }

        w.Line("/// <summary>Does nothing: the constructor registers every submodule under its state_dict key, and TorchSharp's registration by field name would add each renamed module a second time.</summary>");
        w.Line(Code.GeneratedCode);
        w.Line("protected override void RegisterComponents()");
        w.Line("{");
        w.Line("}");
        w.Line();
    }

    /// <summary>A local variable for the container at <paramref name="path"/>: the path in C#'s letters (<c>features_3</c>), unique.</summary>
    private static string LocalFor(string path, HashSet<string> used)
    {
        string name = new(path.Select(c => c is '.' or '-' ? '_' : c).ToArray());
        if (char.IsDigit(name[0]))
        {
            name = "_" + name;
        }

        while (Keywords.Contains(name) || !used.Add(name))
        {
            name += "_";
        }

        return name;
    }
}
