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
    /// <param name="options">The options some stage or use sets for the block: its module takes them, so a block that may be made residual is analysed with its shortcut.</param>
    public static AnalysisResult<BlockPlan> Analyze(BlockSpec block, BlockTable blocks, CancellationToken cancellationToken, UseSiteOption options = UseSiteOption.None)
    {
        // An option whose parameter name a block member has is refused at its use (SEDSL037), so the module does not take it.
        options &= ~BlockOptions.Taken(block);
        var findings = new List<Finding>();
        var scope = Scope.Symbolic(block, blocks, BlockComposer.Instance, new Work(block.Type.Name, cancellationToken));
        var input = Dims.Spatial(new Expr.Name(Scope.InChannels), Expr.Unknown.Instance, Expr.Unknown.Instance);
        BodyResult? body;
        try
        {
            body = BlockBody.Apply((options & UseSiteOption.Residual) != 0 ? block with { Residual = true } : block, input, scope, i => new FindingSink(findings, i));
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
        var plan = body is null ? null : new BlockPlan(block, body.Layers, body.Projection, body.ProjectionWhenChannelsDiffer) { Options = options };
        return new AnalysisResult<BlockPlan>(findings.Any(f => !DiagnosticIds.IsWarning(f.Id)) ? null : plan, findings.ToEquatableArray());
    }
}
