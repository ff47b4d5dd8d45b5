using System.IO;
using Xunit;
using Xunit.Sdk;

namespace SeDsl.Tests.Infrastructure;

/// <summary>The snapshot harness follows Verify's conventions and never accepts in CI.</summary>
public sealed class SnapshotTests : System.IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sedsl-snapshots-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Verified => Path.Combine(directory, "Case.verified.txt");

    private string Received => Path.Combine(directory, "Case.received.txt");

    [Fact]
    public void A_mismatch_fails_with_a_diff_and_writes_the_received_file()
    {
        File.WriteAllText(Verified, "line one\nline two\n");

        var error = Assert.Throws<XunitException>(() => Snapshot.Verify("line one\nline 2\n", directory, "Case", "txt", inCi: false, accept: false));

        Assert.Contains("- 2: line two", error.Message, System.StringComparison.Ordinal);
        Assert.Contains("+ 2: line 2", error.Message, System.StringComparison.Ordinal);
        Assert.Equal("line one\nline 2\n", File.ReadAllText(Received));
        Assert.Equal("line one\nline two\n", File.ReadAllText(Verified));
    }

    [Fact]
    public void Accepting_replaces_the_verified_file_and_removes_the_received_one()
    {
        File.WriteAllText(Verified, "old\n");
        File.WriteAllText(Received, "stale\n");

        Snapshot.Verify("new\n", directory, "Case", "txt", inCi: false, accept: true);

        Assert.Equal("new\n", File.ReadAllText(Verified));
        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void In_ci_a_missing_snapshot_fails_even_when_accepting_and_nothing_is_written()
    {
        Assert.Throws<XunitException>(() => Snapshot.Verify("text\n", directory, "Case", "txt", inCi: true, accept: true));

        Assert.False(File.Exists(Verified));
        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void The_generator_version_is_scrubbed()
    {
        Assert.Equal(
            "[GeneratedCode(\"SeDsl.Generator\", \"{version}\")]",
            Snapshot.Scrub("[GeneratedCode(\"SeDsl.Generator\", \"1.2.3.4\")]"));
    }
}
