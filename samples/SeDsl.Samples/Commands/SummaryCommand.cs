using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using SeDsl.Zoo;
using SeDsl.Zoo.Reports;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>summary [NAME | PATTERN | --all] [--depth N] [--batch-size N] [--json] [--mermaid]</c>: the compile-time summary of
/// zoo models as tables, diagrams or one JSON array. A name selects the one model of that name (case-insensitive); a
/// pattern with <c>*</c> or <c>?</c> selects those it matches; <c>--all</c> or no name selects every model. The JSON shape
/// is a stable interface (docs/zoo.md is generated from it).
/// </summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name")
        {
            Description = "A model's name (exact, case-insensitive), or a pattern with * and ? (e.g. 'SeResNet*').",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var all = new Option<bool>("--all") { Description = "Every model of the zoo (the same as no name)." };
        var depth = new Option<int>("--depth") { Description = "1: the network's own layers; 2: stages open into their blocks; 3: blocks into their layers.", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "The batch size of the memory estimates.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Write one JSON array to stdout instead of tables." };
        var mermaid = new Option<bool>("--mermaid") { Description = "Also print each model's architecture diagram (Mermaid) to the same depth." };
        var command = new Command("summary", "Print the compile-time summary (shapes, parameters, buffers, multiply-adds, memory) of zoo models.")
        {
            name,
            all,
            depth,
            batchSize,
            json,
            mermaid,
        };
        command.SetAction(result => Run(new Request(result.GetValue(name), result.GetValue(all), result.GetValue(depth), result.GetValue(batchSize), result.GetValue(json), result.GetValue(mermaid)), Console.Out, Console.Error));
        return command;
    }

    /// <summary>What to print.</summary>
    public sealed record Request(string? Name, bool All = false, int Depth = 1, int BatchSize = 1, bool Json = false, bool Mermaid = false);

    public static int Run(Request request, TextWriter output, TextWriter error)
    {
        if (request.All && !string.IsNullOrEmpty(request.Name))
        {
            error.WriteLine("Give a name or --all, not both.");
            return 2;
        }

        if (request.Depth < 1 || request.BatchSize < 1)
        {
            error.WriteLine("--depth and --batch-size are at least 1.");
            return 2;
        }

        IReadOnlyList<ZooModel> models = Catalogue.Find(request.Name);
        if (models.Count == 0)
        {
            var near = Catalogue.Containing(request.Name!.Replace("*", "", StringComparison.Ordinal).Replace("?", "", StringComparison.Ordinal));
            error.WriteLine(near.Count > 0
                ? $"No zoo model is named '{request.Name}'. Names containing it: {string.Join(", ", near.Select(m => m.Name))} (or '{request.Name}*' for all of them)."
                : $"No zoo model matches '{request.Name}'. Models: {string.Join(", ", Catalogue.Models.Select(m => m.Name))}.");
            return 2;
        }

        if (request.Json)
        {
            ZooJson.Write(models, output);
            return 0;
        }

        foreach (ZooModel model in models)
        {
            output.WriteLine(model.Summary.ToText(request.Depth, request.BatchSize));
            if (request.Mermaid)
            {
                output.WriteLine(model.Summary.ToMermaid(request.Depth));
            }
        }

        return 0;
    }
}
