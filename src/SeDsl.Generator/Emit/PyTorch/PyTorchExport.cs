using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>A network's plan with the plans of every block it reaches (dependencies first): what its PyTorch export reads.</summary>
/// <param name="Disambiguate">The network's hint names need a hash (see <c>HintNames</c>).</param>
internal sealed record PyTorchExportInput(NetworkPlan Network, EquatableArray<BlockPlan> Blocks, bool Disambiguate);

/// <summary>
/// Writes a network as PyTorch source: one <c>nn.Module</c> per block (constructor <c>in_channels, stride</c> and the
/// block's parameters) and one for the network, each assigning its submodules under the declared names in declaration
/// order, so that <c>state_dict()</c> lists the TorchSharp module's keys in PyTorch's order. The forward methods have
/// the generated training path's data flow. The source reaches C# as the constant <c>PyTorchSource</c>.
/// </summary>
internal static class PyTorchExport
{
    /// <summary>The export's input: <paramref name="plan"/> with the blocks it reaches, in the order they are defined.</summary>
    public static PyTorchExportInput? Select(NetworkPlan? plan, bool disambiguate, IEnumerable<BlockPlan?> blocks)
    {
        if (plan is null)
        {
            return null;
        }

        var table = new Dictionary<string, BlockPlan>(System.StringComparer.Ordinal);
        foreach (var block in blocks)
        {
            if (block is not null && !table.ContainsKey(block.Type.MetadataName))
            {
                table.Add(block.Type.MetadataName, block);
            }
        }

        var order = new List<BlockPlan>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var layer in plan.Layers)
        {
            Visit(layer.Result);
        }

        return new PyTorchExportInput(plan, order.ToEquatableArray(), disambiguate);

        void Visit(LayerResult result)
        {
            foreach (var instance in result.Instances)
            {
                if (seen.Add(instance.Block.MetadataName) && table.TryGetValue(instance.Block.MetadataName, out var block))
                {
                    foreach (var inner in block.Layers)
                    {
                        Visit(inner.Result);
                    }

                    order.Add(block);
                }
            }
        }
    }

    /// <summary>The C# file adding <c>PyTorchSource</c> to the network class, one Python line per C# line.</summary>
    public static string EmitConstant(PyTorchExportInput input, bool fileScopedNamespace)
    {
        var type = input.Network.Type;
        var lines = new PythonSource(input).Write().Lines();
        var w = new SourceWriter();
        using (ModuleSkeleton.Header(w, type.Namespace, type.Name, "Network", fileScopedNamespace))
        using (w.Block($"partial class {type.Name}"))
        {
            w.Line("/// <summary>");
            w.Line("/// This network as PyTorch source (Python): one <c>nn.Module</c> class per block and one for the network, which");
            w.Line("/// assign the submodules of this class under the same names in the same order, so that <c>state_dict()</c> has");
            w.Line("/// the same keys, shapes and order and weights move both ways (docs/pytorch-export.md).");
            w.Line("/// </summary>");
            w.Line(Code.GeneratedCode);
            w.Line("public const string PyTorchSource =");
            for (int i = 0; i < lines.Count; i++)
            {
                w.Line("    " + Code.Literal(lines[i]) + (i == lines.Count - 1 ? ";" : " +"));
            }
        }

        return w.ToString();
    }

    /// <summary>The Python text alone.</summary>
    public static string Python(PyTorchExportInput input) => new PythonSource(input).Write().ToString();
}
