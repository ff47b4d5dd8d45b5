using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Analysis;

/// <summary>
/// Applies one layer of any kind: the spatial-input rule shared by all kinds, overflow as SEDSL301, and the count of
/// layers (stages and used blocks count the layers they expand to, not themselves).
/// </summary>
internal static class LayerRunner
{
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
