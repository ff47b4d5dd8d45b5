using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// Applies one layer of any kind: the spatial-input rule shared by all kinds, overflow as SEDSL301, and the count of
/// layers (stages and used blocks count the layers they expand to, not themselves).
/// </summary>
internal static class LayerRunner
{
    /// <summary>
    /// The layer with its <c>When</c> condition: <paramref name="absent"/> when the condition is false here; when it is
    /// decided only at run time (a block's own module), the result is the layer's output or its input, chosen by it.
    /// </summary>
    public static LayerResult? Apply(LayerSpec layer, Dims input, Scope scope, FindingSink sink, out bool absent)
    {
        absent = false;
        int before = sink.Count;
        var exists = scope.Exists(layer.When, scope.Prefix + layer.Name, sink, out var condition);
        if (exists == false)
        {
            absent = sink.Count == before;
            return null;
        }

        var result = Apply(layer, input, scope, sink);
        if (result is null || exists == true)
        {
            return result;
        }

        var output = result.Output;
        return result with
        {
            Output = new Dims(Expr.Select(condition, output.Channels, input.Channels), Expr.Select(condition, output.Height, input.Height),
                Expr.Select(condition, output.Width, input.Width), output.Flat),
            Parameters = Expr.Select(condition, result.Parameters, 0),
            MultiplyAdds = Expr.Select(condition, result.MultiplyAdds, 0),
            Condition = condition,
        };
    }

    public static LayerResult? Apply(LayerSpec layer, Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + layer.Name;
        if (input.Flat && layer.NeedsSpatialInput)
        {
            sink.Add(DiagnosticIds.NeedsSpatialInput, null, name, layer.Kind, input.ToString());
            return null;
        }

        if (layer is not (StageSpec or UseSpec) && !scope.Work.Take(sink))
        {
            return null;
        }

        try
        {
            return layer.Apply(input, scope, sink);
        }
        catch (SizeException)
        {
            sink.Add(DiagnosticIds.CountOverflow, null, name, "sizes and counts");
            return null;
        }
    }
}
