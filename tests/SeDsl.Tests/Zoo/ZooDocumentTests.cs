using System.IO;
using System.Text.Json;
using SeDsl.Tests.Generator;
using SeDsl.Zoo;
using SeDsl.Zoo.Reports;
using Xunit;

namespace SeDsl.Tests.Zoo;

/// <summary>docs/zoo.md and the JSON interface it is rendered from.</summary>
public class ZooDocumentTests
{
    private static string Json()
    {
        using var writer = new StringWriter();
        ZooJson.Write(Catalogue.Models, writer);
        return writer.ToString();
    }

    [Fact]
    public void Committed_zoo_document_equals_the_one_rendered_from_the_current_summaries()
    {
        string path = Path.Combine(DiagnosticTests.RepositoryRoot(), "docs", "zoo.md");
        string expected = ZooDocument.Render(Json());

        Assert.True(File.Exists(path), $"docs/zoo.md is missing; run `{ZooDocument.Command}`.");
        Assert.True(expected == File.ReadAllText(path).Replace("\r\n", "\n"), $"docs/zoo.md is out of date; run `{ZooDocument.Command}` and review the diff.");
    }

    [Fact]
    public void Json_carries_the_stable_fields_with_exact_integers()
    {
        using var document = JsonDocument.Parse(Json());
        var models = document.RootElement;

        Assert.Equal(Catalogue.Models.Count, models.GetArrayLength());
        for (int i = 0; i < models.GetArrayLength(); i++)
        {
            var model = models[i];
            var summary = Catalogue.Models[i].Summary;
            Assert.Equal(summary.Name, model.GetProperty("name").GetString());
            Assert.Equal(summary.Parameters, model.GetProperty("parameters").GetInt64());
            Assert.Equal(summary.MultiplyAdds, model.GetProperty("macs").GetInt64());
            Assert.Equal(summary.Input.Count, model.GetProperty("input").GetArrayLength());
            var layers = model.GetProperty("layers");
            Assert.Equal(summary.Layers.Count, layers.GetArrayLength());
            for (int l = 0; l < summary.Layers.Count; l++)
            {
                Assert.Equal(summary.Layers[l].Name, layers[l].GetProperty("name").GetString());
                Assert.Equal(summary.Layers[l].Kind, layers[l].GetProperty("type").GetString());
                Assert.Equal(summary.Layers[l].Parameters, layers[l].GetProperty("parameters").GetInt64());
                Assert.Equal(summary.Layers[l].MultiplyAdds, layers[l].GetProperty("macs").GetInt64());
                Assert.Equal(summary.Layers[l].OutputShape.Count, layers[l].GetProperty("output").GetArrayLength());
            }
        }
    }
}
