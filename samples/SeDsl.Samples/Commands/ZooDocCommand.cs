using System;
using System.CommandLine;
using System.IO;
using SeDsl.Zoo;
using SeDsl.Zoo.Reports;

namespace SeDsl.Samples.Commands;

/// <summary><c>zoo-doc [--output PATH]</c>: renders docs/zoo.md from the zoo's <c>summary --json</c> output.</summary>
internal static class ZooDocCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--output")
        {
            Description = "Where to write the document.",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("docs", "zoo.md")),
        };
        var command = new Command("zoo-doc", "Write docs/zoo.md: every zoo model's compile-time figures beside the paper's, rendered from summary --json.")
        {
            output,
        };
        command.SetAction(result => Run(result.GetValue(output)!));
        return command;
    }

    private static int Run(FileInfo output)
    {
        using var json = new StringWriter();
        ZooJson.Write(Catalogue.Models, json);
        string document = ZooDocument.Render(json.ToString());
        output.Directory?.Create();
        File.WriteAllText(output.FullName, document);
        Console.WriteLine($"Wrote {output.FullName}: {Catalogue.Models.Count} models.");
        return 0;
    }
}
