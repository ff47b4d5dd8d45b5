using System;
using System.IO;
using System.Linq;
using SeDsl.Build;
using Xunit;

namespace SeDsl.Tests.Runtime;

/// <summary>The libstdc++ compatibility fix: what it changes, and that it changes nothing else.</summary>
public class ElfVersionPatcherTests
{
    private const string Library = "libstdc++.so.6";
    private const string Version = "GLIBCXX_3.4.32";

    private static string Pristine()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    private static string BuildOutputCopy() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Weakens_exactly_one_flag_of_the_shipped_library()
    {
        byte[] original = File.ReadAllBytes(Pristine());
        byte[] image = (byte[])original.Clone();

        Assert.Equal(ElfPatchOutcome.Weakened, ElfVersionPatcher.Weaken(image, Library, Version));

        int[] changed = Enumerable.Range(0, image.Length).Where(i => image[i] != original[i]).ToArray();
        int at = Assert.Single(changed);
        Assert.Equal(original[at] | 0x2, image[at]);
    }

    [Fact]
    public void Is_idempotent()
    {
        byte[] image = File.ReadAllBytes(Pristine());
        ElfVersionPatcher.Weaken(image, Library, Version);
        byte[] once = (byte[])image.Clone();

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.Weaken(image, Library, Version));
        Assert.Equal(once, image);
    }

    [Fact]
    public void The_build_patched_its_output_copy_and_left_the_package_cache_alone()
    {
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.Weaken(File.ReadAllBytes(BuildOutputCopy()), Library, Version));
        Assert.Equal(ElfPatchOutcome.Weakened, ElfVersionPatcher.Weaken(File.ReadAllBytes(Pristine()), Library, Version));
    }

    [Fact]
    public void Leaves_other_files_and_other_requirements_alone()
    {
        byte[] text = "not an ELF file at all, just some text to be left alone"u8.ToArray();
        Assert.Equal(ElfPatchOutcome.NotElf64, ElfVersionPatcher.Weaken(text, Library, Version));

        byte[] image = File.ReadAllBytes(Pristine());
        byte[] original = (byte[])image.Clone();
        Assert.Equal(ElfPatchOutcome.NoRequirement, ElfVersionPatcher.Weaken(image, Library, "GLIBCXX_9.9.99"));
        Assert.Equal(ElfPatchOutcome.NoRequirement, ElfVersionPatcher.Weaken(image, "libnothing.so.1", Version));
        Assert.Equal(original, image);
    }

    [Fact]
    public void Patching_a_file_replaces_it_instead_of_writing_through_links()
    {
        string directory = Directory.CreateTempSubdirectory("sedsl-elf-").FullName;
        try
        {
            string source = Path.Combine(directory, "cache.so");
            string target = Path.Combine(directory, "output.so");
            File.Copy(Pristine(), source);
            File.CreateSymbolicLink(target, source);

            Assert.Equal(ElfPatchOutcome.Weakened, ElfVersionPatcher.WeakenFile(target, Library, Version));

            Assert.Equal(ElfPatchOutcome.Weakened, ElfVersionPatcher.Weaken(File.ReadAllBytes(source), Library, Version));
            Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.Weaken(File.ReadAllBytes(target), Library, Version));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
