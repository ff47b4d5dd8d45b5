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
        var input = InputShape(spec.Type.Name, spec.Input, findings);

        // The check on an unknown input expands nothing; the layer limit counts the layers of the shape inference.
        var arguments = Scope.Network(blocks, BlockComposer.Instance, new Work(spec.Type.Name, cancellationToken));
        var scope = Scope.Network(blocks, BlockComposer.Instance, new Work(spec.Type.Name, cancellationToken));

        var failed = new bool[spec.Layers.Count];
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            int before = findings.Count;
            LayerRunner.Apply(spec.Layers[i], Dims.Unknown, arguments, new FindingSink(findings, i));
            failed[i] = findings.Count != before;
        }

        if (spec.Layers.Count == 0)
        {
            findings.Add(new Finding(DiagnosticIds.NoLayers, -1, null, EquatableArray.Of("Network", spec.Type.Name)));
        }

        var plans = new List<LayerPlan>();
        var current = input;
        for (int i = 0; i < spec.Layers.Count && current is not null && !failed[i]; i++)
        {
            var result = LayerRunner.Apply(spec.Layers[i], current.ToDims(), scope, new FindingSink(findings, i), out bool absent);
            if (absent)
            {
                continue;
            }

            var output = result?.Output.Known;
            var parameters = result?.Parameters.Constant;
            var multiplyAdds = result?.MultiplyAdds.Constant;
            if (result is not null && (output is null || parameters is null || multiplyAdds is null))
            {
                findings.Add(new Finding(DiagnosticIds.InternalError, i, null, EquatableArray.Of(spec.Type.Name, $"layer '{spec.Layers[i].Name}' has no numeric shape")));
            }

            if (output is null || parameters is null || multiplyAdds is null)
            {
                break;
            }

            plans.Add(new LayerPlan(spec.Layers[i], current, output, parameters.Value, multiplyAdds.Value, result!));
            current = output;
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
        var networkPlan = new NetworkPlan(spec.Type, input, plans.ToEquatableArray(), totalParameters.Constant!.Value, totalMultiplyAdds.Constant!.Value, requiresInputSize);
        return new AnalysisResult<NetworkPlan>(networkPlan, findings.ToEquatableArray());
    }

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
