using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// The architecture as a Mermaid flowchart. One node per layer that changes the data (convolutions, pools, SE, linear
/// layers, stages and used blocks, each with its output shape); batch norm, activations, dropout, identity and flatten
/// are folded into the node before them, so a ResNet reads as stem, four stages and head.
/// </summary>
internal static class MermaidDiagram
{
    public static string Text(NetworkPlan plan)
    {
        var lines = new List<string> { "flowchart TD", $"    n0([\"input {plan.Input}\"])" };
        var nodes = new List<(string Label, Shape Output)>();
        foreach (var layer in plan.Layers)
        {
            if (nodes.Count > 0 && Folds(layer.Spec))
            {
                var last = nodes[nodes.Count - 1];
                nodes[nodes.Count - 1] = (last.Label + " + " + layer.Spec.Kind, layer.Output);
            }
            else
            {
                nodes.Add(($"{layer.Spec.Name}: {layer.Spec.Kind}", layer.Output));
            }
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            lines.Add($"    n{i + 1}[\"{nodes[i].Label}<br/>{nodes[i].Output}\"]");
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            lines.Add($"    n{i} --> n{i + 1}");
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The diagram as a C# string literal.</summary>
    public static string Literal(NetworkPlan plan) => Code.Literal(Text(plan));

    private static bool Folds(LayerSpec layer) =>
        layer is BatchNormSpec or ActivationSpec or DropoutSpec or IdentitySpec or FlattenSpec;
}
