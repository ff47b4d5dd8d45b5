using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// Pure analysis of a <see cref="NetworkSpec"/>: validates every argument, infers shapes layer by layer, and counts
/// parameters and multiply-adds exactly (checked <see cref="long"/> arithmetic). No Roslyn types.
/// </summary>
/// <remarks>
/// Argument checks run on every layer, so one build reports every bad value. Shape inference stops at the first layer
/// whose output cannot be known, because every later finding would only repeat the first.
/// </remarks>
internal static class NetworkAnalyzer
{
    public static AnalysisResult Analyze(NetworkSpec spec)
    {
        var findings = new List<Finding>();
        var input = InputShape(spec.ClassName, spec.Input, findings);

        var layers = new LayerSpec?[spec.Layers.Count];
        var noParameters = new Dictionary<string, long>();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            int before = findings.Count;
            var sink = new FindingSink(findings, i);
            layers[i] = BlockRules.Resolve(spec.Layers[i], noParameters, null, sink);
            if (layers[i] is { } layer)
            {
                ArgumentRules.Check(layer, sink);
            }

            if (findings.Count != before)
            {
                layers[i] = null;
            }
        }

        if (spec.Layers.Count == 0)
        {
            findings.Add(Network(DiagnosticIds.NoLayers, spec.ClassName));
        }

        var plans = new List<LayerPlan>();
        var current = input;
        for (int i = 0; i < layers.Length && current is not null && layers[i] is not null; i++)
        {
            var sink = new FindingSink(findings, i);
            try
            {
                var plan = ShapeRules.Propagate(layers[i]!, current, sink);
                if (plan is not null)
                {
                    plans.Add(plan);
                }

                current = plan?.Output;
            }
            catch (CountOverflowException overflow)
            {
                sink.Add(DiagnosticIds.CountOverflow, null, spec.Layers[i].Name, overflow.What);
                current = null;
            }
        }

        if (input is null || findings.Any(f => !DiagnosticIds.IsWarning(f.Id)))
        {
            return new AnalysisResult(null, findings.ToEquatableArray());
        }

        long parameters = 0, multiplyAdds = 0;
        try
        {
            foreach (var plan in plans)
            {
                parameters = Counting.Sum("total parameters", parameters, plan.Parameters);
                multiplyAdds = Counting.Sum("total multiply-adds", multiplyAdds, plan.MultiplyAdds);
            }

            Counting.Product("total FLOPs", 2, multiplyAdds);   // FLOPs = 2 x MACs must fit too
        }
        catch (CountOverflowException overflow)
        {
            findings.Add(new Finding(DiagnosticIds.CountOverflow, -1, null, new[] { spec.ClassName, overflow.What }.ToEquatableArray()));
            return new AnalysisResult(null, findings.ToEquatableArray());
        }

        bool requiresInputSize = plans.Any(p => p.Spec is FlattenSpec && p.Input.Height * p.Input.Width > 1);
        var networkPlan = new NetworkPlan(spec.Namespace, spec.ClassName, input,
            plans.ToEquatableArray(), parameters, multiplyAdds, requiresInputSize);
        return new AnalysisResult(networkPlan, findings.ToEquatableArray());
    }

    private static Shape? InputShape(string className, EquatableArray<int> input, List<Finding> findings)
    {
        if (input.Count == 0)
        {
            findings.Add(Network(DiagnosticIds.MissingInputShape, className));
            return null;
        }

        if (input.Count != 3 || input.Any(d => d < 1))
        {
            string written = "[" + string.Join(", ", input.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
            findings.Add(new Finding(DiagnosticIds.InvalidInputShape, -1, "Input", new[] { className, written }.ToEquatableArray()));
            return null;
        }

        return Shape.Spatial(input[0], input[1], input[2]);
    }

    private static Finding Network(string id, params string[] args) => new(id, -1, null, args.ToEquatableArray());
}

/// <summary>Collects findings for one layer.</summary>
internal readonly struct FindingSink(List<Finding> findings, int layer)
{
    public int Count => findings.Count;

    public void Add(string id, string? argument, params string[] messageArgs) =>
        findings.Add(new Finding(id, layer, argument, messageArgs.ToEquatableArray()));

    /// <summary>Reports SEDSL102 unless <paramref name="ok"/>.</summary>
    public bool Require(bool ok, string layer, string argument, string rule, long actual)
    {
        if (!ok)
        {
            Add(DiagnosticIds.InvalidArgument, argument, layer, argument, rule, actual.ToString(CultureInfo.InvariantCulture));
        }

        return ok;
    }
}
