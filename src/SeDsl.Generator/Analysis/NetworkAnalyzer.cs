using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>The analysis outcome: a plan when there is no error, and every finding (errors and warnings).</summary>
internal sealed record AnalysisResult<TPlan>(TPlan? Plan, EquatableArray<Finding> Findings)
    where TPlan : class;

/// <summary>
/// Pure analysis of a <see cref="NetworkSpec"/> against the block table: validates every argument, infers shapes layer by
/// layer, and counts parameters and multiply-adds exactly (checked <see cref="long"/> arithmetic). No Roslyn types.
/// </summary>
/// <remarks>
/// Every layer's own arguments are checked first (on an unknown input), so one build reports every bad value. Shape
/// inference then stops at the first layer whose output cannot be known, because every later finding would repeat it.
/// </remarks>
internal static class NetworkAnalyzer
{
    public static AnalysisResult<NetworkPlan> Analyze(NetworkSpec spec, BlockTable blocks, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var inlined = new List<InlineGroup>();

        // The check on an unknown input expands nothing; the layer limit counts the layers of the shape inference.
        var arguments = Scope.Network(blocks, BlockComposer.Instance, new Work(spec.Type.Name, cancellationToken));
        var scope = Scope.Network(blocks, BlockComposer.Instance, new Work(spec.Type.Name, cancellationToken));
        Shape? input;
        List<LayerPlan> plans;
        TypeName? layersFamily = null;
        if (spec.Family is { } member)
        {
            // A network of a family: the family's layers with its parameters set, findings located in the family.
            var family = Family(spec, member, scope, findings);
            layersFamily = family?.Type;
            input = family is null ? null : InputShape(spec.Type.Name, family.Value.Input, findings);
            var inner = new List<Finding>();
            plans = family is { } f ? Layers(spec.Type.Name, f.Block.Layers, input, arguments.Family(f.Block, f.Values), scope.Family(f.Block, f.Values), inner, inlined) : [];
            var sink = new FindingSink(findings, -1);
            foreach (var finding in inner)
            {
                sink.Forward(finding, null, family?.Type ?? member.Family.Type);
            }

            // The generated part declares a field per layer; a member of the class by that name would clash with it.
            foreach (string identifier in plans.Select(p => p.Spec.Identifier).Concat(inlined.Select(g => g.Identifier)).Where(member.Declared.Contains))
            {
                sink.Add(DiagnosticIds.MemberNamedLikeGenerated, null, spec.Type.Name, "a member", identifier, "network (a layer of its family)");
            }
        }
        else
        {
            input = InputShape(spec.Type.Name, spec.Input, findings);
            plans = Layers(spec.Type.Name, spec.Layers, input, arguments, scope, findings, inlined);

            // The generated part declares the fields of inlined layers; a layer field or other member of the class by that
            // name would clash.
            var declared = new HashSet<string>(spec.Layers.Select(l => l.Identifier));
            foreach (var plan in plans.Where(p => p.Spec.Inlined && (declared.Contains(p.Spec.Identifier) || spec.Declared.Contains(p.Spec.Identifier))))
            {
                findings.Add(new Finding(DiagnosticIds.MemberNamedLikeGenerated, -1, null,
                    EquatableArray.Of(spec.Type.Name, declared.Contains(plan.Spec.Identifier) ? "a layer field" : "a member", plan.Spec.Identifier, "network (a layer of an inline stage or use)")));
            }
        }

        if (input is null || findings.Any(f => !DiagnosticIds.IsWarning(f.Id)))
        {
            return new AnalysisResult<NetworkPlan>(null, findings.ToEquatableArray());
        }

        Expr totalParameters = 0, totalMultiplyAdds = 0;
        try
        {
            foreach (var plan in plans)
            {
                totalParameters += plan.Parameters;
                totalMultiplyAdds += plan.MultiplyAdds;
            }

            _ = totalMultiplyAdds * 2;   // FLOPs = 2 x MACs must fit too
        }
        catch (SizeException)
        {
            findings.Add(new Finding(DiagnosticIds.CountOverflow, -1, null, EquatableArray.Of(spec.Type.Name, "total parameters or multiply-adds")));
            return new AnalysisResult<NetworkPlan>(null, findings.ToEquatableArray());
        }

        bool requiresInputSize = plans.Any(p => p.Result.FlattensSpatialInput);
        var networkPlan = new NetworkPlan(spec.Type, input, plans.ToEquatableArray(), totalParameters.Constant!.Value, totalMultiplyAdds.Constant!.Value, requiresInputSize)
        {
            Family = spec.Family is null ? null : layersFamily,
            Inlined = inlined.ToEquatableArray(),
        };
        return new AnalysisResult<NetworkPlan>(networkPlan, findings.ToEquatableArray());
    }

    /// <summary>
    /// The layers applied in turn to <paramref name="input"/>: each one's own arguments checked first (in
    /// <paramref name="arguments"/>, on an unknown input), then shapes and counts inferred up to the first that fails.
    /// Findings name the layer by its index in <paramref name="layers"/>.
    /// </summary>
    /// <param name="inlined">Where the inline stages and uses go, each with the layers written in its place.</param>
    private static List<LayerPlan> Layers(string network, EquatableArray<LayerSpec> layers, Shape? input, Scope arguments, Scope scope, List<Finding> findings, List<InlineGroup> inlined)
    {
        var failed = new bool[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            int before = findings.Count;
            LayerRunner.Apply(layers[i], Dims.Unknown, arguments, new FindingSink(findings, i));
            failed[i] = findings.Count != before;
        }

        if (layers.Count == 0)
        {
            findings.Add(new Finding(DiagnosticIds.NoLayers, -1, null, EquatableArray.Of("Network", network)));
        }

        var plans = new List<LayerPlan>();
        var owners = new List<int>();   // the index in layers of each plan's declaration (an inline stage for its layers)
        var current = input;
        for (int i = 0; i < layers.Count && current is not null && !failed[i]; i++)
        {
            var result = LayerRunner.Apply(layers[i], current.ToDims(), scope, new FindingSink(findings, i), out bool absent);
            if (absent)
            {
                continue;
            }

            var output = result?.Output.Known;
            var parameters = result?.Parameters.Constant;
            var multiplyAdds = result?.MultiplyAdds.Constant;
            if (result is not null && (output is null || parameters is null || multiplyAdds is null))
            {
                findings.Add(new Finding(DiagnosticIds.InternalError, i, null, EquatableArray.Of(network, $"layer '{layers[i].Name}' has no numeric shape")));
            }

            if (output is null || parameters is null || multiplyAdds is null)
            {
                break;
            }

            if (layers[i] is StageSpec { Inline: true } or UseSpec { Inline: true })
            {
                int before = plans.Count;
                Inline(layers[i], result!, plans);
                owners.AddRange(Enumerable.Repeat(i, plans.Count - before));
                inlined.Add(new InlineGroup(layers[i].Identifier, layers[i].FieldType, plans.Skip(before).Select(p => p.Spec.Identifier).ToEquatableArray()));
                current = output;
                continue;
            }

            // A family's stage count is a value of its parameters; the plan holds the number (the summary's "x4").
            var layer = layers[i] is StageSpec stage ? stage with { Blocks = result!.Instances.Count } : layers[i];
            plans.Add(new LayerPlan(layer, current, output, parameters.Value, multiplyAdds.Value, result!));
            owners.Add(i);
            current = output;
        }

        if (plans.Any(p => p.Spec.Inlined))
        {
            CheckInlinedKeys(plans, owners, findings);
        }

        return plans;
    }

    /// <summary>
    /// The state_dict paths that only meet once inlined layers join the network's (the parse checked each class's own):
    /// no two equal (SEDSL030), no container with both appended and named children (SEDSL032). Reported on the inline
    /// stage or use whose layer comes second, once.
    /// </summary>
    private static void CheckInlinedKeys(List<LayerPlan> plans, List<int> owners, List<Finding> findings)
    {
        var paths = StateKey.Paths(plans.Select(p => p.Spec));
        var seen = new Dictionary<string, int>(System.StringComparer.Ordinal);
        var firstChild = new Dictionary<string, (bool Appended, int Plan)>(System.StringComparer.Ordinal);
        string Written(int j) => plans[j].Spec.Key?.ToString() ?? plans[j].Spec.Name;
        for (int j = 0; j < plans.Count; j++)
        {
            var spec = plans[j].Spec;
            string path = paths[j];
            bool appended = spec.Key?.Leaf == StateKey.Append;
            string container = spec.Key is { } key ? string.Join(".", key.Containers) : "";
            if (seen.TryGetValue(path, out int other) && (spec.Inlined || plans[other].Spec.Inlined))
            {
                findings.Add(new Finding(DiagnosticIds.DuplicateStateKey, owners[j], null, EquatableArray.Of(spec.Name, path, plans[other].Spec.Name)));
                return;
            }

            if (container.Length > 0 && firstChild.TryGetValue(container, out var first) && first.Appended != appended && (spec.Inlined || plans[first.Plan].Spec.Inlined))
            {
                findings.Add(new Finding(DiagnosticIds.StateKeyMixesAppendedAndNamed, owners[j], null,
                    EquatableArray.Of(spec.Name, Written(j), plans[first.Plan].Spec.Name, Written(first.Plan), container)));
                return;
            }

            seen[path] = j;
            if (container.Length > 0 && !firstChild.ContainsKey(container))
            {
                firstChild[container] = (appended, j);
            }
        }
    }

    /// <summary>
    /// The layers of an inline stage's blocks (or an inline use's block), as applied with the use's arguments, written as
    /// the network's own: <c>conv1_2_bn</c> is layer <c>bn</c> of block 2 (from 1) of stage <c>conv1</c>, <c>stem_bn</c>
    /// layer <c>bn</c> of use <c>stem</c>. Keys stay the block layers' own, so <c>features.#</c> continues the network's
    /// numbering; a layer without a key is registered under its new name. Conditions are decided: absent layers are not there.
    /// </summary>
    private static void Inline(LayerSpec use, LayerResult result, List<LayerPlan> plans)
    {
        for (int b = 0; b < result.Expansions.Count; b++)
        {
            string prefix = use is StageSpec ? $"{use.Name}_{FindingSink.Text(b + 1)}_" : use.Name + "_";
            foreach (var layer in result.Expansions[b].Layers)
            {
                string name = prefix + layer.Spec.Name;
                var spec = layer.Spec with { Name = name, Identifier = name, When = Expr.Truth.True, Inlined = true };
                plans.Add(new LayerPlan(spec, layer.Input.Known!, layer.Result.Output.Known!, layer.Result.Parameters.Constant!.Value, layer.Result.MultiplyAdds.Constant!.Value, layer.Result));
            }
        }
    }

    /// <summary>
    /// The family whose layers a network of a family has, and its parameters' values; null after reporting why it cannot
    /// be used. A family may itself be a network of another family that binds some of its arguments: the chain is
    /// followed, each family's arguments computed from the values of the one before, to the family that has layers.
    /// </summary>
    private static (BlockSpec Block, TypeName Type, EquatableArray<int> Input, IReadOnlyDictionary<string, Expr> Values)? Family(NetworkSpec spec, FamilyRef member, Scope scope, List<Finding> findings)
    {
        var reference = member;
        var argumentScope = scope;
        string network = spec.Type.Name;
        var chain = new List<string>();
        while (true)
        {
            var entry = reference.Family.Assembly is null ? scope.Blocks.Find(reference.Family) : null;
            if (entry is null || !entry.IsFamily)
            {
                findings.Add(new Finding(DiagnosticIds.NotAFamily, -1, "family", EquatableArray.Of(network, reference.Family.Type.MetadataName)));
                return null;
            }

            if (chain.Contains(entry.MetadataName, System.StringComparer.Ordinal))
            {
                findings.Add(new Finding(DiagnosticIds.FamilyCycle, -1, "family", EquatableArray.Of(reference.Family.Name, string.Join(" -> ", chain.Select(Short).Append(reference.Family.Name)))));
                return null;
            }

            chain.Add(entry.MetadataName);
            if (entry.Spec is not { } family)
            {
                findings.Add(new Finding(DiagnosticIds.FamilyHasErrors, -1, "family", EquatableArray.Of(reference.Family.Name, network)));
                return null;
            }

            if (!BlockComposer.Accepts(family, reference.Arguments.Count))
            {
                findings.Add(new Finding(DiagnosticIds.FamilyArgumentCount, -1, null, EquatableArray.Of(network, family.Type.Name, BlockComposer.ArgumentCount(family),
                    string.Join(", ", family.Parameters.Select(p => p.Name)), FindingSink.Text(reference.Arguments.Count))));
                return null;
            }

            // A family's own arguments are the network's, located on them; a family of a family's are written in that
            // family, so they are reported on the typeof(...) that names it, naming it.
            var found = new List<Finding>();
            var values = BlockComposer.Arguments(family, reference.Arguments, "arguments", argumentScope, network, new FindingSink(found, -1));
            findings.AddRange(reference == member ? found : found.Select(f => f with { Argument = "family" }));
            if (values is null)
            {
                return null;
            }

            var named = values.Value.ToDictionary(a => a.Name, a => a.Value);
            if (entry.Base is not { } next)
            {
                return (family, family.Type, entry.Input, named);
            }

            // The next family's arguments are this family's, written over its parameters.
            argumentScope = scope.Family(family, named);
            network = family.Type.Name;
            reference = next;
        }
    }

    private static string Short(string metadataName) => metadataName.Substring(metadataName.LastIndexOf('.') + 1);

    private static Shape? InputShape(string className, EquatableArray<int> input, List<Finding> findings)
    {
        if (input.Count == 0)
        {
            findings.Add(new Finding(DiagnosticIds.MissingInputShape, -1, null, EquatableArray.Of(className)));
            return null;
        }

        if (input.Count != 3 || input.Any(d => d < 1))
        {
            string written = "[" + string.Join(", ", input.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
            findings.Add(new Finding(DiagnosticIds.InvalidInputShape, -1, "Input", EquatableArray.Of(className, written)));
            return null;
        }

        return Shape.Spatial(input[0], input[1], input[2]);
    }
}
