using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using SeDsl.Zoo;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>summary [NAME] [--json]</c>: the compile-time summary of every zoo model (or those whose name contains NAME),
/// as tables or as one JSON array. The JSON shape is a stable interface (docs/zoo.md is generated from it).
/// </summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name")
        {
            Description = "Only the models whose name contains this text (case-insensitive).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Option<bool>("--json") { Description = "Write one JSON array to stdout instead of tables." };
        var command = new Command("summary", "Print the compile-time summary (shapes, parameters, multiply-adds) of the zoo's models.")
        {
            name,
            json,
        };
        command.SetAction(result => Run(result.GetValue(name), result.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? filter, bool json, TextWriter output, TextWriter error)
    {
        IReadOnlyList<ZooModel> models = Catalogue.Find(filter);
        if (models.Count == 0)
        {
            error.WriteLine($"No zoo model's name contains '{filter}'. Models: {string.Join(", ", Catalogue.Models.Select(m => m.Name))}.");
            return 2;
        }

        if (json)
        {
            WriteJson(models, output);
        }
        else
        {
            foreach (ZooModel model in models)
            {
                output.WriteLine(model.Summary);
            }
        }

        return 0;
    }

    /// <summary>
    /// Writes <c>[{ name, family, input, output, parameters, macs, flops, paper, difference, layers: [{ name, type,
    /// output, parameters, macs }] }]</c>; integers are exact, shapes are arrays of integers.
    /// </summary>
    public static void WriteJson(IEnumerable<ZooModel> models, TextWriter output)
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
