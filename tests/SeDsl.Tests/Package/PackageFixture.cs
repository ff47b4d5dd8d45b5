using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using SeDsl.Tests.Generator;

namespace SeDsl.Tests.Package;

/// <summary>
/// Packs the SeDsl package once, from the projects `dotnet test` has just built, into a folder feed in a fresh
/// temporary directory, under a version no earlier run used (0.1.0-test.&lt;UTC time&gt;.&lt;random&gt;), so that no
/// cached SeDsl can stand in for it. The directory is deleted afterwards.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public PackageFixture()
    {
        RepositoryRoot = DiagnosticTests.RepositoryRoot();
        Root = Directory.CreateTempSubdirectory("sedsl-package-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Configuration = typeof(PackageFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        Version = string.Create(CultureInfo.InvariantCulture,
            $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(1000, 9999)}");

        // --no-build: the outputs `dotnet test` built (the runtime, and the generator and code fixes it references)
        // are the ones packed; the nuspec goes to the temporary folder, not to the runtime's obj/.
        Pack = DotnetCli.Run(RepositoryRoot, new Dictionary<string, string>(), CommandTimeout,
            "pack", Path.Combine("src", "SeDsl.Runtime", "SeDsl.Runtime.csproj"), "--no-build", "-c", Configuration,
            "-o", Feed, $"-p:Version={Version}", $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}/");
        Package = Path.Combine(Feed, $"SeDsl.{Version}.nupkg");
    }

    public string RepositoryRoot { get; }

    /// <summary>The temporary directory holding the feed, the consumer app and its package folder.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string Configuration { get; }

    public string Version { get; }

    public CliResult Pack { get; }

    /// <summary>The .nupkg that <see cref="Pack"/> should have written.</summary>
    public string Package { get; }

    /// <summary>A version from the repository's Directory.Packages.props, so the test app uses what the repository uses.</summary>
    public string CentralVersion(string package)
    {
        string props = File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Packages.props"));
        var match = Regex.Match(props, $"<PackageVersion Include=\"{Regex.Escape(package)}\" Version=\"([^\"]+)\"");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"{package} is not in Directory.Packages.props");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is not worth failing a test run for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
