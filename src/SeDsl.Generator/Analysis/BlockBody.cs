using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>A block's body applied to one input: its layers, totals, output, and the residual shortcut's projection.</summary>
internal sealed record BodyResult(Dims Output, Expr Parameters, Expr MultiplyAdds, bool FlattensSpatialInput, EquatableArray<BlockLayerPlan> Layers, Expr? Projection, bool ProjectionWhenChannelsDiffer)
{
    /// <summary>The projection made for this input, when it is known to be one (a network's instance).</summary>
    public ProjectionPlan? Projected { get; init; }
}

/// <summary>
/// The layers of a block in sequence (or as parallel branches concatenated on channels, then the layers after the
/// concatenation), with a residual block's shortcut around them: identity when nothing changes, else torchvision's
/// projection (a k x k convolution with the block's stride and (k - 1) / 2 padding, no bias, then batch norm). Sizes
/// may be numbers or expressions.
/// </summary>
internal static class BlockBody
{
    /// <param name="sinkFor">Where findings of the layer at an index of the block's layers go (-1: the block itself).</param>
    public static BodyResult? Apply(BlockSpec block, Dims input, Scope scope, System.Func<int, FindingSink> sinkFor)
    {
        var layers = new List<BlockLayerPlan>();
        Expr parameters = 0, multiplyAdds = 0;
        bool flattens = false;

        // The layer at index i of the block's layers, whose findings go where sinkFor(i) says.
        Dims? Step(int i, Dims current)
        {
            var layer = block.Layers[i];
            var result = LayerRunner.Apply(layer, current, scope, sinkFor(i), out bool absent);
            if (result is null)
            {
                return absent ? current : null;
            }

            layers.Add(new BlockLayerPlan(layer, current, result));
            parameters += result.Parameters;
            multiplyAdds += result.MultiplyAdds;
            flattens |= result.FlattensSpatialInput;
            return result.Output;
        }

        Dims? Run(Placement placement, Dims start)
        {
            Dims? current = start;
            foreach (int i in Indices(block, placement))
            {
                current = Step(i, current);
                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }

        var sink = sinkFor(-1);
        // A parallel block's [AfterConcatenation] layers run on the concatenated branches, before any residual addition.
        var body = block.Parallel ? Branches(block, input, scope, Step, layers, sink) : Run(Placement.Body, input);
        body = body is not null && block.Parallel ? Run(Placement.AfterConcatenation, body) : body;
        if (body is null || !block.Residual)
        {
            return body is null ? null : new BodyResult(body, parameters, multiplyAdds, flattens, layers.ToEquatableArray(), null, false);
        }

        var stride = scope.BlockStride ?? Expr.One;
        bool channelsDiffer = !body.Channels.Equals(input.Channels);
        if (block.ShortcutIdentityOrNone)
        {
            return IdentityOrNone(input, body, stride, channelsDiffer, new BodyResult(body, parameters, multiplyAdds, flattens, layers.ToEquatableArray(), null, false));
        }

        // Known when the stride and the channel comparison are numbers (a network's instance); else decided at run time.
        bool? project = stride.Constant is { } s && (!channelsDiffer || (input.Channels.Constant is not null && body.Channels.Constant is not null))
            ? s != 1 || channelsDiffer
            : null;
        var projected = input;
        ProjectionPlan? made = null;
        if (project != false)
        {
            long k = block.ShortcutKernel;
            var h = Window.Output(input.Height, k, stride, (k - 1) / 2, 1, ceil: false);
            var w = Window.Output(input.Width, k, stride, (k - 1) / 2, 1, ceil: false);
            projected = Dims.Spatial(body.Channels, h, w);
            if (project == true)
            {
                var weights = input.Channels * body.Channels * k * k;
                parameters += weights + (body.Channels * 2);
                multiplyAdds += weights * h * w;
                made = new ProjectionPlan(projected, weights, weights * h * w, body.Channels * 2, BatchNormSpec.BufferCount(body.Channels));
            }
        }

        var shortcut = Run(Placement.Shortcut, projected);
        if (shortcut is null)
        {
            return null;
        }

        if (shortcut.Known is { } a && body.Known is { } b && a != b)
        {
            sink.Add(DiagnosticIds.ResidualShapeMismatch, null, scope.Prefix.TrimEnd('.') + " (" + block.Type.Name + ")", body.ToString(), shortcut.ToString());
            return null;
        }

        var output = Run(Placement.AfterAddition, body);
        return output is null ? null : new BodyResult(output, parameters, multiplyAdds, flattens, layers.ToEquatableArray(), body.Channels, channelsDiffer) { Projected = made };
    }

    /// <summary>
    /// An inverted residual's shortcut: the identity when stride and channels are unchanged, else none; known in a
    /// network's instance, decided at construction in the block's own module (<see cref="BodyResult.Projection"/> null).
    /// </summary>
    private static BodyResult IdentityOrNone(Dims input, Dims body, Expr stride, bool channelsDiffer, BodyResult plain)
    {
        bool known = stride.Constant is not null && (!channelsDiffer || (input.Channels.Constant is not null && body.Channels.Constant is not null));
        // Such blocks have body layers only (checked at parse), so the output is the body's either way.
        return known && (stride.Constant != 1 || channelsDiffer) ? plain : plain with { Projection = body.Channels, ProjectionWhenChannelsDiffer = channelsDiffer };
    }

    /// <summary>Parallel body layers on the same input, concatenated on channels; heights and widths must agree.</summary>
    private static Dims? Branches(BlockSpec block, Dims input, Scope scope, System.Func<int, Dims, Dims?> step, List<BlockLayerPlan> layers, FindingSink sink)
    {
        Dims? first = null;
        string firstName = "";
        Expr channels = 0;
        foreach (int i in Indices(block, Placement.Body))
        {
            var layer = block.Layers[i];
            int planned = layers.Count;
            var output = step(i, input);
            if (output is null)
            {
                return null;
            }

            if (layers.Count == planned)
            {
                // The branch does not exist here (its When is false).
                continue;
            }

            if (first is not null && (output.Flat != first.Flat || !output.Height.Equals(first.Height) || !output.Width.Equals(first.Width)))
            {
                sink.Add(DiagnosticIds.BranchSizeMismatch, null, scope.Prefix.TrimEnd('.') + " (" + block.Type.Name + ")", scope.Prefix + layer.Name, output.ToString(), firstName, first.ToString());
                return null;
            }

            if (first is null)
            {
                first = output;
                firstName = scope.Prefix + layer.Name;
            }

            // A branch decided at run time adds its channels where it exists and none where it does not (the output of an
            // absent layer is its input, which is right in a sequence but not in a concatenation).
            var result = layers[planned].Result;
            var present = output.Channels is Expr.Choose c && c.Test.Equals(result.Condition) ? c.Then : output.Channels;
            channels += result.Optional ? Expr.Select(result.Condition, present, 0) : output.Channels;
        }

        return first is null ? input : first.Flat ? Dims.Features(channels) : Dims.Spatial(channels, first.Height, first.Width);
    }

    /// <summary>The indices of the block's layers at <paramref name="placement"/>, in declaration order.</summary>
    private static IEnumerable<int> Indices(BlockSpec block, Placement placement)
    {
        for (int i = 0; i < block.Layers.Count; i++)
        {
            if (block.Layers[i].Placement == placement)
            {
                yield return i;
            }
        }
    }
}
