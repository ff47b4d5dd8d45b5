using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// A block for its own module: its layers applied symbolically (input channels, stride and parameters as names), which
/// gives every construction as an expression over the constructor's parameters, and resolves the blocks it uses.
/// </summary>
internal static class BlockAnalyzer
{
    public static AnalysisResult<BlockPlan> Analyze(BlockSpec block, BlockTable blocks, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var scope = Scope.Symbolic(block, blocks, BlockComposer.Instance, new Work(block.Type.Name, cancellationToken));
        var input = Dims.Spatial(new Expr.Name(Scope.InChannels), Expr.Unknown.Instance, Expr.Unknown.Instance);
        BodyResult? body;
        try
        {
            body = BlockBody.Apply(block, input, scope, i => new FindingSink(findings, i));
        }
        catch (SizeException)
        {
            body = null;
        }

        if (block.Layers.Count == 0)
        {
            findings.Add(new Finding(DiagnosticIds.NoLayers, -1, null, EquatableArray.Of("Block", block.Type.Name)));
        }

        // Warnings leave the plan; any error drops it.
        var plan = body is null ? null : new BlockPlan(block, body.Layers, body.Projection, body.ProjectionWhenChannelsDiffer);
        return new AnalysisResult<BlockPlan>(findings.Any(f => !DiagnosticIds.IsWarning(f.Id)) ? null : plan, findings.ToEquatableArray());
    }
}
