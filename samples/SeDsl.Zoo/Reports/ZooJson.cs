using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace SeDsl.Zoo.Reports;

/// <summary>
/// The zoo's summaries as JSON: the stable interface of <c>summary --json</c>, from which docs/zoo.md is rendered.
/// Field names and meanings never change; new fields may be added.
/// </summary>
public static class ZooJson
{
    /// <summary>
    /// Writes <c>[{ name, family, input, output, parameters, macs, flops, paper, difference, diagram, overview,
    /// trainableParameters, nonTrainableParameters, buffers, batchNorms, parameterBytes, bufferBytes, activationElements,
    /// activationBytesPerSample: { inference, training }, layers: [{ name, type, output, parameters, macs, ... }] }]</c>;
    /// integers are exact, shapes are arrays of integers, the layers nest (see <c>WriteLayers</c>).
    /// </summary>
    public static void Write(IEnumerable<ZooModel> models, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (ZooModel model in models)
            {
                NetworkSummary summary = model.Summary;
                writer.WriteStartObject();
                writer.WriteString("name", model.Name);
                writer.WriteString("family", model.Family);
                WriteShape(writer, "input", summary.Input);
                WriteShape(writer, "output", summary.Output);
                writer.WriteNumber("parameters", summary.Parameters);
                writer.WriteNumber("macs", summary.MultiplyAdds);
                writer.WriteNumber("flops", checked(2 * summary.MultiplyAdds));
                if (model.Paper is { } paper)
                {
                    writer.WriteStartObject("paper");
                    WriteOptional(writer, "parametersMillions", paper.ParametersMillions);
                    WriteOptional(writer, "gflops", paper.GigaFlops);
                    writer.WriteString("source", paper.Source);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNull("paper");
                }

                writer.WriteString("difference", model.Difference);
                writer.WriteString("diagram", summary.Diagram);
                writer.WriteString("overview", summary.ToMermaid(2));
                writer.WriteNumber("trainableParameters", summary.TrainableParameters);
                writer.WriteNumber("nonTrainableParameters", summary.NonTrainableParameters);
                writer.WriteNumber("buffers", summary.Buffers);
                writer.WriteNumber("batchNorms", summary.BatchNorms);
                writer.WriteNumber("parameterBytes", summary.ParameterBytes);
                writer.WriteNumber("bufferBytes", summary.BufferBytes);
                writer.WriteNumber("activationElements", summary.ActivationElements);
                writer.WriteStartObject("activationBytesPerSample");
                writer.WriteNumber("inference", summary.InferenceActivationBytes(1));
                writer.WriteNumber("training", summary.TrainingActivationBytes(1));
                writer.WriteEndObject();
                WriteLayers(writer, summary.Layers);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>
    /// <c>layers: [{ name, type, output, parameters, macs, buffers, seWidth, placement, shortcut, parallel, children }]</c>:
    /// <c>seWidth</c> is null except on SE layers, <c>shortcut</c> ("none", "identity", "projection") and <c>parallel</c>
    /// are null except on blocks, <c>children</c> holds a stage's blocks and a block's layers.
    /// </summary>
    private static void WriteLayers(Utf8JsonWriter writer, IReadOnlyList<LayerSummary> layers)
    {
        writer.WriteStartArray("layers");
        foreach (LayerSummary layer in layers)
        {
            writer.WriteStartObject();
            writer.WriteString("name", layer.Name);
            writer.WriteString("type", layer.Kind);
            WriteShape(writer, "output", layer.OutputShape);
            writer.WriteNumber("parameters", layer.Parameters);
            writer.WriteNumber("macs", layer.MultiplyAdds);
            writer.WriteNumber("buffers", layer.Buffers);
            WriteOptional(writer, "seWidth", layer.ReducedChannels > 0 ? layer.ReducedChannels : null);
            writer.WriteString("placement", layer.Placement switch
            {
                LayerPlacement.Shortcut => "shortcut",
                LayerPlacement.AfterAddition => "afterAddition",
                LayerPlacement.AfterConcatenation => "afterConcatenation",
                _ => "body",
            });
            if (layer.Block is { } block)
            {
                writer.WriteString("shortcut", block.Shortcut.ToString().ToLowerInvariant());
                writer.WriteBoolean("parallel", block.Parallel);
            }
            else
            {
                writer.WriteNull("shortcut");
                writer.WriteNull("parallel");
            }

            if (layer.Children.Count > 0)
            {
                WriteLayers(writer, layer.Children);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteShape(Utf8JsonWriter writer, string property, IReadOnlyList<long> shape)
    {
        writer.WriteStartArray(property);
        foreach (long dimension in shape)
        {
            writer.WriteNumberValue(dimension);
        }

        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string property, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(property, v);
        }
        else
        {
            writer.WriteNull(property);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string property, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(property, v);
        }
        else
        {
            writer.WriteNull(property);
        }
    }
}
