using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using SeDsl.Zoo;

namespace SeDsl.Samples.Commands;

/// <summary>
/// <c>export-pytorch [NAME] [--out DIR]</c>: writes the generated PyTorch source of a zoo model (the model named NAME, or
/// every model whose name contains it; all models without NAME) to <c>DIR/NAME.py</c>, for training with PyTorch on
/// many machines (docs/pytorch-export.md).
/// </summary>
internal static class ExportPyTorchCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name")
        {
            Description = "The model to export; with no exact match, every model whose name contains this text (case-insensitive); all models when omitted.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder to write NAME.py into (created if missing).",
            DefaultValueFactory = _ => new DirectoryInfo("."),
        };
        var command = new Command("export-pytorch", "Write a zoo model as a PyTorch nn.Module source file with the same state_dict keys (NAME.py).")
        {
            name,
            output,
        };
        command.SetAction(result => Run(result.GetValue(name), result.GetValue(output)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? filter, DirectoryInfo folder, TextWriter output, TextWriter error)
    {
        IReadOnlyList<ZooModel> models = Catalogue.Models.Where(m => string.Equals(m.Name, filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (models.Count == 0)
        {
            models = Catalogue.Find(filter);
        }

        if (models.Count == 0)
        {
            error.WriteLine($"No zoo model's name contains '{filter}'. Models: {string.Join(", ", Catalogue.Models.Select(m => m.Name))}.");
            return 2;
        }

        folder.Create();
        foreach (ZooModel model in models)
        {
            string source = PyTorchExports.For(model.Name) ?? throw new InvalidOperationException($"{model.Name} has no row in PyTorchExports.");
            string path = Path.Combine(folder.FullName, model.Name + ".py");
            File.WriteAllText(path, source);
            output.WriteLine($"{model.Name}: {path} ({model.Summary.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} parameters)");
        }

        return 0;
    }
}
