using System.Collections.Generic;
using static TorchSharp.torch;

namespace SeDsl;

/// <summary>
/// A module's state in the order PyTorch's <c>state_dict()</c> lists it: module by module in registration order
/// (depth first), each module's own parameters and then its own persistent buffers. TorchSharp's
/// <c>state_dict()</c> lists every parameter first and every buffer after them.
/// </summary>
internal static class StateDictOrder
{
    public static List<KeyValuePair<string, Tensor>> Of(nn.Module module)
    {
        Dictionary<string, Tensor> state = module.state_dict();
        var order = new List<string>(state.Count);
        Walk(module, "", order);
        var result = new List<KeyValuePair<string, Tensor>>(state.Count);
        var seen = new HashSet<string>(state.Count);
        foreach (string key in order)
        {
            if (state.TryGetValue(key, out Tensor? tensor) && seen.Add(key))
            {
                result.Add(new(key, tensor));
            }
        }

        // Anything the walk did not reach keeps TorchSharp's order, after the rest.
        foreach (var (key, tensor) in state)
        {
            if (seen.Add(key))
            {
                result.Add(new(key, tensor));
            }
        }

        return result;
    }

    private static void Walk(nn.Module module, string prefix, List<string> order)
    {
        foreach (var (name, _) in module.named_parameters(recurse: false))
        {
            order.Add(prefix + name);
        }

        foreach (var (name, _) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            order.Add(prefix + name);
        }

        foreach (var (name, child) in module.named_children())
        {
            Walk(child, prefix + name + ".", order);
        }
    }
}
