using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SeDsl.Build;
using SeDsl.Generator.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace SeDsl.Tests.Package;

/// <summary>
/// The SeDsl package as a user gets it: its contents, and a fresh console app outside the repository that references
/// it from a folder feed, builds with warnings as errors and nullable on, and runs a small SE network in TorchSharp.
/// Slow (a pack, a restore and two builds): filter with <c>--filter Category!=Package</c> while iterating.
/// </summary>
[Trait("Category", "Package")]
public class PackageTests(PackageFixture fixture, ITestOutputHelper log) : IClassFixture<PackageFixture>
{
    [Fact]
    public void Package_holds_the_runtime_the_analyzers_and_the_build_targets_and_depends_on_TorchSharp_and_its_bridge_only()
    {
        Assert.True(fixture.Pack.ExitCode == 0 && File.Exists(fixture.Package), fixture.Pack.ToString());
        using var package = ZipFile.OpenRead(fixture.Package);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();

        string[] expected =
        [
            "README.md",
            "lib/net10.0/SeDsl.Runtime.dll",
            "lib/net10.0/SeDsl.Runtime.xml",
            "analyzers/dotnet/cs/SeDsl.Generator.dll",
            "analyzers/dotnet/cs/SeDsl.CodeFixes.dll",
            "build/SeDsl.targets",
            "build/SeDsl.Runtime.targets",
            "build/ElfVersionPatcher.cs",
            "buildTransitive/SeDsl.targets",
            "buildTransitive/SeDsl.Runtime.targets",
            "buildTransitive/ElfVersionPatcher.cs",
            "docs/diagnostics/SEDSLBUILD001.md",
        ];
        Assert.All(expected, e => Assert.Contains(e, entries));
        // Every diagnostic's help page, where the package's default SeDslHelpBaseUri points.
        Assert.All(DiagnosticCatalogue.All, d => Assert.Contains($"docs/diagnostics/{d.Id}.md", entries));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));

        using var nuspecStream = package.Entries.Single(e => e.FullName == "SeDsl.nuspec").Open();
        var nuspec = XDocument.Load(nuspecStream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("SeDsl", metadata.Element(ns + "id")!.Value);
        Assert.Equal(fixture.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        // TorchSharp, and TorchSharp.PyBridge for the weights files; no libtorch backend (the app picks one).
        var dependencies = metadata.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        Assert.Equal(new[] { "TorchSharp", "TorchSharp.PyBridge" }, dependencies.Keys.Order());
        Assert.All(dependencies, d => Assert.Equal(fixture.CentralVersion(d.Key), d.Value));
    }

    [Fact]
    public void Fresh_console_app_builds_against_the_package_and_its_counts_agree_with_TorchSharp()
    {
        Assert.True(fixture.Pack.ExitCode == 0, fixture.Pack.ToString());
        string app = WriteApp();
        var environment = new Dictionary<string, string>
        {
            // SeDsl is extracted into the temporary folder; TorchSharp and libtorch come from the machine's package
            // folder, named as a fallback folder in NuGet.config, so nothing is downloaded again.
            ["NUGET_PACKAGES"] = Path.Combine(fixture.Root, "packages"),
        };

        // No MSBuild worker nodes left behind; the compiler server, if `dotnet test` started one, is reused.
        var build = DotnetCli.Run(app, environment, PackageFixture.CommandTimeout, "build", "-c", "Release", "-nodeReuse:false");
        Assert.True(build.ExitCode == 0, build.ToString());

        // The package's build/SeDsl.targets ran: the output copy of TorchSharp's native library is patched.
        string native = Path.Combine(app, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.Weaken(File.ReadAllBytes(native), "libstdc++.so.6", "GLIBCXX_3.4.32"));

        var run = DotnetCli.Run(app, environment, PackageFixture.CommandTimeout, Path.Combine(app, "bin", "Release", "net10.0", "PackageSmoke.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        log.WriteLine($"pack {fixture.Pack.Elapsed.TotalSeconds:F1} s, restore and build {build.Elapsed.TotalSeconds:F1} s, run {run.Elapsed.TotalSeconds:F1} s");

        var values = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Where(parts => parts.Length == 2).ToDictionary(parts => parts[0], parts => parts[1]);
        // conv 3->16, 3x3, no bias: 432; batch norm: 32; SE 16->4->16 with biases: 148; linear 16->10: 170.
        Assert.Equal("782", values["ParameterCount"]);
        Assert.Equal("782", values["TorchSharpParameterCount"]);
        // conv 16*32*32*27 = 442,368; SE 2*16*4 = 128; linear 160.
        Assert.Equal("442656", values["MultiplyAdds"]);
        Assert.Equal("2x10", values["OutputShape"]);
        Assert.Equal("148", values["SeParameters"]);

        // The user's own network summarised through the generated members, as README's "Summaries" shows.
        string summary = File.ReadAllText(Path.Combine(app, "summary.txt"));
        Assert.StartsWith("PackNet: input 3x32x32, output 10\n", summary, StringComparison.Ordinal);
        Assert.Contains("Parameters: 782 (trainable 782, non-trainable 0)", summary, StringComparison.Ordinal);
        Assert.Contains("Buffers: 33 elements", summary, StringComparison.Ordinal);                       // 2 x 16 + 1
        Assert.Matches(@"\nse +SqueezeExcite +16x32x32 +148 +128 +4\n", summary);                         // SE width 16 / 4
        Assert.Contains("Memory for a batch of 4", summary, StringComparison.Ordinal);
        Assert.Contains("flowchart TD\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_links_of_the_installed_package_open_its_own_pages_and_a_project_can_point_them_elsewhere()
    {
        Assert.True(fixture.Pack.ExitCode == 0, fixture.Pack.ToString());
        string library = WriteProject("help", "HelpLinks", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- The one warning whose help link is looked at. -->
                <WarningsNotAsErrors>SEDSL104</WarningsNotAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SeDsl" Version="{fixture.Version}" />
              </ItemGroup>
            </Project>
            """,
            ("RoundedNet.cs", """
                using SeDsl;
                using SeDsl.Layers;
                using TorchSharp.Modules;

                namespace HelpLinks;

                [Network(3, 8, 8)]
                public partial class RoundedNet
                {
                    [Conv2d(16, 3)] private readonly Conv2d conv;
                    [SqueezeExcite(r: 3)] private readonly SqueezeExcitation se;
                }
                """));

        var build = DotnetCli.Run(library, PackageFolder, PackageFixture.CommandTimeout, "build", "-c", "Release", "-nodeReuse:false");
        Assert.True(build.ExitCode == 0, build.ToString());

        // By default the link is a file URI into the package as NuGet extracted it, so it opens without a network.
        var link = new Uri(HelpLink(DiagnosticIds.ReductionNotExact, build));
        Assert.True(link.IsFile, $"{link} is not a file URI");
        string installed = Path.Combine(fixture.Root, "packages", "sedsl", fixture.Version.ToLowerInvariant(), "docs", "diagnostics", "SEDSL104.md");
        Assert.Equal(Path.GetFullPath(installed), Path.GetFullPath(link.LocalPath));
        Assert.StartsWith($"# SEDSL104: {Descriptors.ReductionNotExact.Title}\n", File.ReadAllText(link.LocalPath), StringComparison.Ordinal);

        // The documented override, for a company documentation site.
        var moved = DotnetCli.Run(library, PackageFolder, PackageFixture.CommandTimeout, "build", "-c", "Release", "-nodeReuse:false",
            "-p:SeDslHelpBaseUri=https://docs.example.com/sedsl/");
        Assert.True(moved.ExitCode == 0, moved.ToString());
        Assert.Equal("https://docs.example.com/sedsl/SEDSL104.md", HelpLink(DiagnosticIds.ReductionNotExact, moved));
        log.WriteLine($"restore and build {build.Elapsed.TotalSeconds:F1} s, build with the override {moved.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void An_app_for_net8_gets_one_build_error_that_names_net10_instead_of_a_compiler_error_per_type()
    {
        Assert.True(fixture.Pack.ExitCode == 0, fixture.Pack.ToString());
        string app = WriteProject("net8", "OldFramework", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net8.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SeDsl" Version="{fixture.Version}" />
              </ItemGroup>
            </Project>
            """,
            ("TinyNet.cs", """
                using SeDsl;
                using SeDsl.Layers;
                using TorchSharp.Modules;

                namespace OldFramework;

                [Network(3, 8, 8)]
                public partial class TinyNet
                {
                    [Conv2d(8, 3)] private readonly Conv2d conv;
                    [ReLU] private readonly ReLU relu;
                }
                """),
            ("Program.cs", "Console.WriteLine(OldFramework.TinyNet.ParameterCount);\n"));

        var build = DotnetCli.Run(app, PackageFolder, PackageFixture.CommandTimeout, "build", "-c", "Release", "-nodeReuse:false");
        log.WriteLine($"restore and build {build.Elapsed.TotalSeconds:F1} s");

        Assert.True(build.ExitCode != 0, build.ToString());
        // MSBuild prints each error twice (as it happens and in the summary): one distinct line.
        var errors = build.Output.Split('\n').Select(l => l.Trim()).Where(l => ErrorId.IsMatch(l)).Distinct().ToList();
        string error = Assert.Single(errors);
        Assert.Equal("SEDSLBUILD001", ErrorId.Match(error).Groups["id"].Value);
        Assert.Contains("needs net10.0 or later, but this project targets net8.0", error, StringComparison.Ordinal);
    }

    private static readonly Regex ErrorId = new(@"\berror (?<id>[A-Z][A-Z0-9]*): ", RegexOptions.CultureInvariant);

    /// <summary>SeDsl is extracted into the temporary folder; everything else comes from the machine's folder (a fallback in NuGet.config).</summary>
    private Dictionary<string, string> PackageFolder => new() { ["NUGET_PACKAGES"] = Path.Combine(fixture.Root, "packages") };

    /// <summary>The help link MSBuild prints after the message of <paramref name="id"/>: <c>warning ID: message (link) [project]</c>.</summary>
    private static string HelpLink(string id, CliResult build)
    {
        var match = Regex.Match(build.Output, $@"warning {id}: [^\n]* \((?<link>[^()\s]+)\) \[", RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"no {id} with a help link in the output of {build}");
        return match.Groups["link"].Value;
    }

    private string WriteApp() => WriteProject("app", "PackageSmoke", $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="SeDsl" Version="{fixture.Version}" />
            <PackageReference Include="libtorch-cpu-linux-x64" Version="{fixture.CentralVersion("libtorch-cpu-linux-x64")}" />
          </ItemGroup>
        </Project>
        """,
        ("PackNet.cs", """
            using SeDsl;
            using SeDsl.Layers;
            using TorchSharp.Modules;

            namespace PackageSmoke;

            [Network(3, 32, 32)]
            public partial class PackNet
            {
                [Conv2d(16, 3, Padding = 1, Bias = false)] private readonly Conv2d conv;
                [BatchNorm2d] private readonly BatchNorm2d bn;
                [ReLU] private readonly ReLU relu;
                [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
                [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
                [Flatten] private readonly Flatten flatten;
                [Linear(10)] private readonly Linear fc;
            }
            """),
        ("Program.cs", """
            using System.Globalization;
            using PackageSmoke;
            using TorchSharp;

            using var model = new PackNet();
            model.eval();
            long counted = model.parameters().Sum(p => p.numel());
            using var input = torch.randn(2, 3, 32, 32);
            using var output = model.call(input);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ParameterCount={PackNet.ParameterCount}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TorchSharpParameterCount={counted}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MultiplyAdds={PackNet.MultiplyAdds}"));
            Console.WriteLine("OutputShape=" + string.Join("x", output.shape));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SeParameters={PackNet.Summary.Layers.Single(l => l.Name == "se").Parameters}"));
            File.WriteAllText("summary.txt", PackNet.Summary.ToText(depth: 2, batchSize: 4) + PackNet.Diagram);
            """));

    /// <summary>
    /// A project in a folder of its own under the temporary root, with a NuGet.config that adds the test feed and names
    /// the machine's package folder as a fallback. Returns the folder.
    /// </summary>
    private string WriteProject(string folderName, string projectName, string project, params (string Name, string Text)[] files)
    {
        string folder = Directory.CreateDirectory(Path.Combine(fixture.Root, folderName)).FullName;
        // Empty Directory.Build.* files stop MSBuild from importing any found further up the temporary folder.
        File.WriteAllText(Path.Combine(fixture.Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(fixture.Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(fixture.Root, "Directory.Packages.props"), "<Project />\n");

        // No <clear />: the feed is added to the sources the machine already uses (user and machine NuGet.config).
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="sedsl-test-feed" value="{fixture.Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackageFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        File.WriteAllText(Path.Combine(folder, projectName + ".csproj"), project);
        foreach (var (fileName, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, fileName), text);
        }

        return folder;
    }

    private static string MachinePackageFolder()
    {
        var result = DotnetCli.Run(Path.GetTempPath(), new Dictionary<string, string>(), PackageFixture.CommandTimeout,
            "nuget", "locals", "global-packages", "--list");
        const string Prefix = "global-packages:";
        string? line = result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return line is not null
            ? line[Prefix.Length..].Trim()
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}
