using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace SeDsl.Zoo.Reports;

/// <summary>
/// Renders docs/zoo.md from the JSON of <c>summary --json</c> (<see cref="ZooJson"/>), so that the document's figures
/// are the tool's output, never typed by hand. A test renders it again and compares with the committed file.
/// </summary>
public static class ZooDocument
{
    /// <summary>The command that regenerates the document, from the repository root.</summary>
    public const string Command = "dotnet run --project samples/SeDsl.Samples -- zoo-doc";

    /// <summary>The markdown document for <paramref name="json"/>, a JSON array as written by <see cref="ZooJson.Write"/>.</summary>
    public static string Render(string json)
    {
        using var document = JsonDocument.Parse(json);
        var text = new StringBuilder();
        text.Append("# The model zoo\n\n")
            .Append("Every architecture of the SE paper, written in the SeDsl language (`samples/SeDsl.Zoo/Networks/`), with the\n")
            .Append("compile-time figures of the generated classes beside the figures the paper prints. Parameters are exact learnable\n")
            .Append("parameter counts (tests check each against TorchSharp's own count, and the reference implementations' counts where\n")
            .Append("those exist); multiply-adds follow the convention of [docs/dsl.md](dsl.md#counting-convention): convolutions, fully\n")
            .Append("connected layers and the SE blocks' two excitation layers, one sample at the model's input size. The paper's\n")
            .Append("\"GFLOPs\" count multiply-adds too.\n\n")
            .Append("Generated from `summary --json` by `").Append(Command).Append("`; do not edit by hand (a test compares).\n\n")
            .Append("| model | family | input | parameters | multiply-adds | paper: params (M) | paper: GFLOPs | paper's source | why they differ |\n")
            .Append("|---|---|---|---:|---:|---:|---:|---|---|\n");

        foreach (var model in document.RootElement.EnumerateArray())
        {
            var paper = model.GetProperty("paper");
            bool printed = paper.ValueKind == JsonValueKind.Object;
            text.Append("| ").Append(model.GetProperty("name").GetString())
                .Append(" | ").Append(model.GetProperty("family").GetString())
                .Append(" | ").Append(string.Join("x", model.GetProperty("input").EnumerateArray().Select(d => d.GetInt64().ToString(CultureInfo.InvariantCulture))))
                .Append(" | ").Append(model.GetProperty("parameters").GetInt64().ToString("N0", CultureInfo.InvariantCulture))
                .Append(" | ").Append(Giga(model.GetProperty("macs").GetInt64()))
                .Append(" | ").Append(printed ? Figure(paper.GetProperty("parametersMillions"), "0.0") : "")
                .Append(" | ").Append(printed ? Figure(paper.GetProperty("gflops"), "0.00#") : "")
                .Append(" | ").Append(printed ? paper.GetProperty("source").GetString() : "")
                .Append(" | ").Append(model.GetProperty("difference").GetString())
                .Append(" |\n");
        }

        text.Append("\n## Architecture diagrams\n\n")
            .Append("Generated from each class's summary as `Summary.ToMermaid(2)` (the `overview` of `summary --json`): stages open\n")
            .Append("into their blocks, each block one node naming its shortcut, used blocks open into their layers and branches; batch\n")
            .Append("norm and activations are folded into the layer before them. The class's `Diagram` also opens every block (its\n")
            .Append("layers, the residual addition and the shortcut, dotted when it is the identity).\n");
        foreach (var model in document.RootElement.EnumerateArray())
        {
            text.Append("\n<details><summary>").Append(model.GetProperty("name").GetString()).Append("</summary>\n\n")
                .Append("```mermaid\n").Append(model.GetProperty("overview").GetString()).Append("```\n\n</details>\n");
        }

        return text.ToString();
    }

    private static string Giga(long value) => (value / 1e9).ToString("0.000", CultureInfo.InvariantCulture) + " G";

    private static string Figure(JsonElement value, string format) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString(format, CultureInfo.InvariantCulture) : "-";
}
