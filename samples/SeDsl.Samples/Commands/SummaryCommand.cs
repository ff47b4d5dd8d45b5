using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using SeDsl.Zoo;
using SeDsl.Zoo.Reports;

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
            ZooJson.Write(models, output);
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
}
