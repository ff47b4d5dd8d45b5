using System.IO;
using SeDsl.Samples.Commands;
using SeDsl.Tests.Runtime;
using Xunit;

namespace SeDsl.Tests.Samples;

/// <summary><c>export-pytorch</c>: the generated constant, written as NAME.py; a name the zoo lacks is refused.</summary>
public class ExportPyTorchCommandTests
{
    [Fact]
    public void An_exact_name_writes_that_models_source_only_though_others_contain_it()
    {
        using var folder = new TemporaryDirectory();
        var output = new StringWriter();

        int code = ExportPyTorchCommand.Run("seresnet50", new DirectoryInfo(folder.Path), output, new StringWriter());

        Assert.Equal(0, code);
        Assert.Equal(new[] { Path.Combine(folder.Path, "SeResNet50.py") }, Directory.GetFiles(folder.Path));
        Assert.Equal(SeDsl.Zoo.SeResNet50.PyTorchSource, File.ReadAllText(Path.Combine(folder.Path, "SeResNet50.py")));
        Assert.Contains("28,088,024 parameters", output.ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_no_model_contains_is_refused_and_writes_nothing()
    {
        using var folder = new TemporaryDirectory();
        var error = new StringWriter();

        int code = ExportPyTorchCommand.Run("NoSuchNet", new DirectoryInfo(Path.Combine(folder.Path, "out")), new StringWriter(), error);

        Assert.Equal(2, code);
        Assert.Contains("No zoo model's name contains 'NoSuchNet'", error.ToString(), System.StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out")));
    }
}
