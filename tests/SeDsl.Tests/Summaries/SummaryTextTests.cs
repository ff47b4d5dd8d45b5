using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using SeDsl.Samples.Commands;
using SeDsl.Zoo;
using Xunit;

namespace SeDsl.Tests.Summaries;

/// <summary>The summary as users read it: the table and its totals, the memory estimates, and the samples CLI.</summary>
public class SummaryTextTests
{
    [Fact]
    public void The_totals_name_trainable_parameters_buffers_and_macs_with_their_conventions()
    {
        string text = TinySeNet.Summary.ToText();

        Assert.StartsWith("TinySeNet: input 3x32x32, output 10\n", text, StringComparison.Ordinal);
        Assert.Contains("Parameters: 20,718 (trainable 20,718, non-trainable 0)", text, StringComparison.Ordinal);
        // bn1 over 32 channels and bn2 over 64: 2 x 32 + 1 and 2 x 64 + 1.
        Assert.Contains("Buffers: 194 elements, not counted as parameters", text, StringComparison.Ordinal);
        Assert.Contains("MACs: 5.60 M per sample (5,604,480;", text, StringComparison.Ordinal);
        Assert.Contains("fvcore's convention; FLOPs = 2 x MACs", text, StringComparison.Ordinal);
        // The SE row carries its width, 64 / 16.
        Assert.Matches(@"\nse +SqueezeExcite +64x16x16 +580 +512 +4\n", text);
    }

    [Fact]
    public void Memory_estimates_follow_the_stated_conventions()
    {
        var summary = TinySeNet.Summary;

        // Worked by hand from the layer shapes: conv1, bn1, relu1 32x32x32 each; pool1 32x16x16; conv2, bn2, relu2, se
        // 64x16x16 each; avgpool 64; flatten 64; fc 10.
        const long elements = (3 * 32 * 32 * 32) + (32 * 16 * 16) + (4 * 64 * 16 * 16) + 64 + 64 + 10;
        Assert.Equal(elements, summary.ActivationElements);
        Assert.Equal(8 * elements * 4, summary.InferenceActivationBytes(8));
        Assert.Equal(2 * 8 * elements * 4, summary.TrainingActivationBytes(8));
        Assert.Equal(20_718 * 4, summary.ParameterBytes);
        Assert.Equal(((194 - 2) * 4) + (2 * 8), summary.BufferBytes);   // two int64 num_batches_tracked
        Assert.Equal(8 * 3 * 32 * 32 * 4, summary.InputBytes(8));

        string text = summary.ToText(batchSize: 8);
        Assert.Contains("Memory for a batch of 8 (float32; MiB = 2^20 bytes):", text, StringComparison.Ordinal);
        Assert.Matches(@"\n  activations, inference +" + (8 * elements * 4 / 1048576.0).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture).Replace(".", @"\.", StringComparison.Ordinal) + " MiB", text);
    }

    [Fact]
    public void Depth_opens_stages_into_blocks_and_blocks_into_layers()
    {
        var summary = SeResNet50.Summary;
        string[] depth1 = summary.ToText(1).Split('\n');
        string[] depth2 = summary.ToText(2).Split('\n');
        string[] depth3 = summary.ToText(3).Split('\n');

        Assert.Contains(depth1, l => l.StartsWith("layer1 ", StringComparison.Ordinal));
        Assert.DoesNotContain(depth1, l => l.Contains("layer1.0", StringComparison.Ordinal));
        Assert.Contains(depth2, l => l.StartsWith("  layer1.0  ", StringComparison.Ordinal) && l.Contains("ResNetBlock, projection shortcut", StringComparison.Ordinal));
        Assert.Contains(depth2, l => l.StartsWith("  layer1.1  ", StringComparison.Ordinal) && l.Contains("ResNetBlock, identity shortcut", StringComparison.Ordinal));
        Assert.Equal(16, depth2.Count(l => l.Contains(" shortcut", StringComparison.Ordinal)));
        Assert.Matches(@"\n    layer4\.2\.se +SqueezeExcite +2048x7x7 +[0-9,]+ +[0-9,]+ +128\n", summary.ToText(3));
        Assert.Contains(depth3, l => l.StartsWith("    layer2.0.downsample ", StringComparison.Ordinal));
        // Every depth ends in the same totals.
        Assert.Equal(depth1.SkipWhile(l => !l.StartsWith("Parameters:", StringComparison.Ordinal)), depth3.SkipWhile(l => !l.StartsWith("Parameters:", StringComparison.Ordinal)));
        Assert.Throws<ArgumentOutOfRangeException>(() => summary.ToText(0));
    }

    [Fact]
    public void Rows_add_up_to_their_parent_at_every_level()
    {
        foreach (var model in Catalogue.Models)
        {
            foreach (var row in Flatten(model.Summary.Layers).Where(r => r.Children.Count > 0))
            {
                Assert.Equal(row.Parameters, row.Children.Sum(c => c.Parameters));
                Assert.Equal(row.MultiplyAdds, row.Children.Sum(c => c.MultiplyAdds));
                Assert.Equal(row.Buffers, row.Children.Sum(c => c.Buffers));
            }
        }
    }

    private static System.Collections.Generic.IEnumerable<LayerSummary> Flatten(System.Collections.Generic.IEnumerable<LayerSummary> rows) =>
        rows.SelectMany(r => new[] { r }.Concat(Flatten(r.Children)));

    private static (int Code, string Out, string Error) Summary(SummaryCommand.Request request)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = SummaryCommand.Run(request, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static int Models(string text) => text.Split('\n').Count(l => l.Contains(": input ", StringComparison.Ordinal));

    [Fact]
    public void A_name_selects_exactly_that_model()
    {
        var (code, text, _) = Summary(new SummaryCommand.Request("SeResNet50"));
        Assert.Equal(0, code);
        Assert.Equal(1, Models(text));
        Assert.StartsWith("SeResNet50: input", text, StringComparison.Ordinal);

        Assert.Equal(1, Models(Summary(new SummaryCommand.Request("seresnet50")).Out));
    }

    [Fact]
    public void Wildcards_and_all_select_more()
    {
        int expected = Catalogue.Models.Count(m => m.Name.StartsWith("SeResNet50", StringComparison.Ordinal));
        Assert.True(expected > 10);
        Assert.Equal(expected, Models(Summary(new SummaryCommand.Request("SeResNet50*")).Out));
        Assert.Equal(3, Models(Summary(new SummaryCommand.Request("SeResNet50R?")).Out));    // R2, R4, R8
        Assert.Equal(2, Models(Summary(new SummaryCommand.Request("seresnet50r??")).Out));   // R16, R32
        Assert.Equal(Catalogue.Models.Count, Models(Summary(new SummaryCommand.Request(null, All: true)).Out));
        Assert.Equal(Catalogue.Models.Count, Models(Summary(new SummaryCommand.Request(null)).Out));
    }

    [Fact]
    public void An_unknown_name_fails_and_suggests_the_names_containing_it()
    {
        var (code, text, error) = Summary(new SummaryCommand.Request("SeResNet5"));
        Assert.Equal(2, code);
        Assert.Empty(text);
        Assert.Contains("No zoo model is named 'SeResNet5'. Names containing it: SeResNet50,", error, StringComparison.Ordinal);
        Assert.Contains("'SeResNet5*'", error, StringComparison.Ordinal);

        Assert.Equal(2, Summary(new SummaryCommand.Request("SeResNet50", All: true)).Code);
    }

    [Fact]
    public void Json_adds_buffers_memory_and_the_nested_layers()
    {
        var (code, text, _) = Summary(new SummaryCommand.Request("SeResNet50", Json: true));
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(text);
        var model = json.RootElement.EnumerateArray().Single();
        var summary = SeResNet50.Summary;

        Assert.Equal(summary.Parameters, model.GetProperty("trainableParameters").GetInt64());
        Assert.Equal(0, model.GetProperty("nonTrainableParameters").GetInt64());
        Assert.Equal(summary.Buffers, model.GetProperty("buffers").GetInt64());
        Assert.Equal(summary.TrainingActivationBytes(1), model.GetProperty("activationBytesPerSample").GetProperty("training").GetInt64());
        var layer1 = model.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "layer1");
        var blocks = layer1.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(3, blocks.Count);
        Assert.Equal("projection", blocks[0].GetProperty("shortcut").GetString());
        Assert.Equal("identity", blocks[1].GetProperty("shortcut").GetString());
        var se = blocks[0].GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "se");
        Assert.Equal(16, se.GetProperty("seWidth").GetInt64());
        Assert.Equal(summary.ToMermaid(2), model.GetProperty("overview").GetString());
    }
}
