using System.Collections.Generic;
using System.Text;

namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>
/// Names in the exported Python: submodule names stay exactly as declared (they are the state_dict keys); class and
/// parameter names are kept clear of Python's keywords and of each other.
/// </summary>
internal static class PythonNames
{
    private static readonly HashSet<string> Keywords = new()
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    };

    /// <summary>
    /// Attributes of <c>torch.nn.Module</c> (PyTorch 1.13, public and private) that a submodule may not be named after:
    /// <c>self.forward = ...</c> would shadow nothing and call the method instead, so such names go through
    /// <c>add_module</c>, which refuses them with PyTorch's own message.
    /// </summary>
    private static readonly HashSet<string> ModuleAttributes = new()
    {
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "children", "cpu", "cuda", "double", "dump_patches",
        "eval", "extra_repr", "float", "forward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "half",
        "ipu", "load_state_dict", "modules", "named_buffers", "named_children", "named_modules", "named_parameters",
        "parameters", "register_backward_hook", "register_buffer", "register_forward_hook", "register_forward_pre_hook",
        "register_full_backward_hook", "register_load_state_dict_post_hook", "register_module", "register_parameter",
        "requires_grad_", "set_extra_state", "share_memory", "state_dict", "to", "to_empty", "train", "training", "type",
        "xpu", "zero_grad",
    };

    /// <summary>Whether <c>self.NAME = module</c> and <c>self.NAME(x)</c> register and call the submodule NAME.</summary>
    public static bool IsPlainAttribute(string name) =>
        IsIdentifier(name) && !Keywords.Contains(name) && !ModuleAttributes.Contains(name) && !name.StartsWith("_", System.StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> is an ASCII Python identifier (state keys such as <c>0</c> or <c>block1-0</c> are not).</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>planesPerGroup</c> becomes <c>planes_per_group</c>; <c>inChannels</c> becomes <c>in_channels</c>.</summary>
    public static string Snake(string name)
    {
        var b = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool previousLower = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                bool nextLower = i > 0 && i + 1 < name.Length && char.IsUpper(name[i - 1]) && char.IsLower(name[i + 1]);
                if (previousLower || nextLower)
                {
                    b.Append('_');
                }

                b.Append(char.ToLowerInvariant(c));
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    /// <summary>An enum member as a Python <c>IntEnum</c> member: upper case (<c>HardSigmoid</c> becomes <c>HARDSIGMOID</c>, <c>None</c> <c>NONE</c>).</summary>
    public static string EnumMember(string name) => name.ToUpperInvariant();

    /// <summary><paramref name="wanted"/>, or with trailing underscores until it is no keyword and not in <paramref name="taken"/>; then taken.</summary>
    public static string Unique(string wanted, ISet<string> taken)
    {
        string name = wanted;
        while (Keywords.Contains(name) || taken.Contains(name))
        {
            name += "_";
        }

        taken.Add(name);
        return name;
    }
}
