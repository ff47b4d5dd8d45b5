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
    /// Writes <c>[{ name, family, input, output, parameters, macs, flops, paper, difference, layers: [{ name, type,
    /// output, parameters, macs }] }]</c>; integers are exact, shapes are arrays of integers.
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
                writer.WriteStartArray("layers");
                foreach (LayerSummary layer in summary.Layers)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", layer.Name);
                    writer.WriteString("type", layer.Kind);
                    WriteShape(writer, "output", layer.OutputShape);
                    writer.WriteNumber("parameters", layer.Parameters);
                    writer.WriteNumber("macs", layer.MultiplyAdds);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
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
