using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace SeDsl.Tests.Infrastructure;

/// <summary>
/// Golden-file assertions with Verify's conventions: <c>Snapshots/{name}.verified.{ext}</c> is committed and reviewed;
/// on a mismatch the actual text goes to <c>{name}.received.{ext}</c> (git-ignored) and the failure shows a line diff.
/// Set SEDSL_ACCEPT_SNAPSHOTS=1 to accept received text as verified; never honoured when CI=true, where a missing
/// snapshot fails.
/// </summary>
public static partial class Snapshot
{
    public const string AcceptVariable = "SEDSL_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, string name, string extension = "cs", [CallerFilePath] string callerPath = "")
    {
        bool inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        bool accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        Verify(actual, Path.Combine(FindTestsRoot(callerPath), "Snapshots"), name, extension, inCi, accept);
    }

    /// <summary>The rules, with the environment passed in so that they can be tested.</summary>
    internal static void Verify(string actual, string directory, string name, string extension, bool inCi, bool accept)
    {
        string verifiedPath = Path.Combine(directory, $"{name}.verified.{extension}");
        string receivedPath = Path.Combine(directory, $"{name}.received.{extension}");
        string text = Scrub(actual);

        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath) : null;
        if (verified == text)
        {
            File.Delete(receivedPath);
            return;
        }

        if (!inCi && accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, text);
            File.Delete(receivedPath);
            return;
        }

        if (!inCi)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(receivedPath, text);
        }

        string reason = verified is null ? $"No verified snapshot at {verifiedPath}." : $"Snapshot {name} differs from {verifiedPath}:\n{Diff(verified, text)}";
        throw new XunitException($"{reason}\nReview {receivedPath}; accept with {AcceptVariable}=1 (ignored when CI=true).");
    }

    /// <summary>Removes what changes between builds but not between behaviours: the generator's version.</summary>
    public static string Scrub(string text) =>
        VersionPattern().Replace(text.Replace("\r\n", "\n"), "\"SeDsl.Generator\", \"{version}\"");

    /// <summary>A minimal line diff: the first differing lines with a little context.</summary>
    public static string Diff(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        int first = 0;
        while (first < e.Length && first < a.Length && e[first] == a[first])
        {
            first++;
        }

        var diff = new StringBuilder();
        for (int i = Math.Max(0, first - 2); i < first; i++)
        {
            diff.Append("  ").Append(i + 1).Append(": ").AppendLine(e[i]);
        }

        for (int i = first; i < Math.Min(e.Length, first + 8); i++)
        {
            diff.Append("- ").Append(i + 1).Append(": ").AppendLine(e[i]);
        }

        for (int i = first; i < Math.Min(a.Length, first + 8); i++)
        {
            diff.Append("+ ").Append(i + 1).Append(": ").AppendLine(a[i]);
        }

        return diff.ToString();
    }

    private static string FindTestsRoot(string callerPath)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(callerPath)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SeDsl.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SeDsl.Tests.csproj above {callerPath}.");
    }

    [GeneratedRegex("\"SeDsl\\.Generator\", \"[0-9.]+\"")]
    private static partial Regex VersionPattern();
}
