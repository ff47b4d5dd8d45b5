using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace SeDsl.Pickle;

/// <summary>A Python global (<c>module.name</c>) named by a pickle's GLOBAL opcode, not imported or called.</summary>
internal sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// A Python <c>dict</c> or <c>collections.OrderedDict</c>, its items in pickle order (Python 3.7 dicts keep insertion
/// order, and <c>state_dict()</c> returns an OrderedDict). Attributes set by BUILD (an OrderedDict's <c>_metadata</c>)
/// are kept apart from the items.
/// </summary>
internal sealed class PyDict
{
    private readonly List<KeyValuePair<object?, object?>> items = new();
    private readonly Dictionary<object, int> index = new();

    public PyDict(string type) => Type = type;

    /// <summary><c>dict</c> or <c>collections.OrderedDict</c>.</summary>
    public string Type { get; }

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => items;

    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);

    public int Count => items.Count;

    /// <summary>Sets a key as Python does: an existing key keeps its position and takes the new value.</summary>
    public void Set(object? key, object? value)
    {
        if (key is string or long or bool or double && index.TryGetValue(key, out int at))
        {
            items[at] = new(key, value);
            return;
        }

        if (key is string or long or bool or double)
        {
            index[key] = items.Count;
        }

        items.Add(new(key, value));
    }

    public bool TryGet(string key, out object? value)
    {
        if (index.TryGetValue(key, out int at))
        {
            value = items[at].Value;
            return true;
        }

        value = null;
        return false;
    }
}

/// <summary>An object the reader does not rebuild: the class (or function) that would have built it and its arguments.</summary>
internal sealed class PyObject(PyGlobal type, object?[] arguments)
{
    public PyGlobal Type { get; } = type;

    public object?[] Arguments { get; } = arguments;

    public object? State { get; set; }
}

/// <summary>A storage of a torch.save archive: the record <c>data/KEY</c> holds its elements.</summary>
internal sealed record StorageRef(string Key, ScalarType DType, long Elements, string Location, string TypeName);

/// <summary>
/// A tensor as <c>torch._utils._rebuild_tensor_v2</c> would build it: a strided view of a storage.
/// <see cref="IsParameter"/> is set when it came wrapped in <c>_rebuild_parameter</c>.
/// </summary>
internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride)
{
    public bool IsParameter { get; init; }

    public override string ToString() =>
        $"{Storage.DType} [{string.Join(", ", Size.Select(s => s.ToString(CultureInfo.InvariantCulture)))}]";
}

/// <summary>Names Python values the way a person who wrote the checkpoint would recognise them, for error messages.</summary>
internal static class PyDescribe
{
    public static string Of(object? value) => value switch
    {
        null => "None",
        bool => "a bool",
        long or System.Numerics.BigInteger => "an int",
        double => "a float",
        string => "a str",
        byte[] => "bytes",
        object?[] => "a tuple",
        List<object?> => "a list",
        PyDict d when d.Count > 0 && d.Items.All(i => i.Value is TensorRef) => $"{Article(d.Type)} {d.Type} of {d.Count} tensors",
        PyDict d => $"{Article(d.Type)} {d.Type} of {d.Count} entries",
        TensorRef t => $"a tensor {t}",
        PyObject o => $"a {o.Type} object",
        PyGlobal g => $"the global {g}",
        _ => value.GetType().Name,
    };

    private static string Article(string word) => "AEIOUaeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";
}
