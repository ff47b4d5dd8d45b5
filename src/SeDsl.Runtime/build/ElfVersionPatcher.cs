// Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK), so that the
// dynamic loader accepts the library on a system whose libstdc++ lacks that version.
//
// Why: libLibTorchSharp.so in TorchSharp 0.107 was built with GCC 13 and requires GLIBCXX_3.4.32 of
// libstdc++.so.6, but Debian 12, Ubuntu 22.04 and RHEL 9 ship GLIBCXX_3.4.30. The only symbol bound to that
// version is std::ios_base_library_init, which GCC 13's <iostream> references and never calls, so a weak
// requirement is safe. The loader checks every requirement, used or not, which is why clearing the
// symbol's version is not enough.
//
// This file is compiled twice: by MSBuild as an inline task (see SeDsl.Runtime.targets) and by the tests,
// which define SEDSL_ELF_TESTS to leave out the MSBuild task class.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace SeDsl.Build;

/// <summary>What <see cref="ElfVersionPatcher.Weaken"/> found and did.</summary>
public enum ElfPatchOutcome
{
    /// <summary>Not a little-endian 64-bit ELF file; nothing was changed.</summary>
    NotElf64,
    /// <summary>The file has no such version requirement; nothing was changed.</summary>
    NoRequirement,
    /// <summary>The requirement was already weak; nothing was changed.</summary>
    AlreadyWeak,
    /// <summary>The requirement was marked weak.</summary>
    Weakened,
}

/// <summary>Edits the <c>.gnu.version_r</c> section of an ELF64 image in memory.</summary>
public static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on the requirement <paramref name="version"/> of <paramref name="library"/>.
    /// </summary>
    public static ElfPatchOutcome Weaken(byte[] image, string library, string version)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F'
            || image[4] != 2 /* ELFCLASS64 */ || image[5] != 1 /* ELFDATA2LSB */)
        {
            return ElfPatchOutcome.NotElf64;
        }

        long sectionHeaders = (long)U64(image, 0x28);
        int headerSize = U16(image, 0x3A);
        int sectionCount = U16(image, 0x3C);
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionHeaders + (long)i * headerSize;
            if (header + 0x40 > image.Length || U32(image, header + 0x04) != ShtGnuVerneed)
            {
                continue;
            }

            long offset = (long)U64(image, header + 0x18);
            uint entryCount = U32(image, header + 0x2C);
            long strings = (long)U64(image, sectionHeaders + (long)U32(image, header + 0x28) * headerSize + 0x18);
            return WeakenInSection(image, offset, entryCount, strings, library, version);
        }

        return ElfPatchOutcome.NoRequirement;
    }

    private static ElfPatchOutcome WeakenInSection(byte[] image, long need, uint entryCount, long strings, string library, string version)
    {
        for (uint n = 0; n < entryCount; n++)
        {
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            int auxCount = U16(image, need + 2);
            if (Name(image, strings + U32(image, need + 4)) == library)
            {
                long aux = need + U32(image, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    if (Name(image, strings + U32(image, aux + 8)) == version)
                    {
                        ushort flags = U16(image, aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                        {
                            return ElfPatchOutcome.AlreadyWeak;
                        }

                        flags |= VerFlgWeak;
                        image[aux + 4] = (byte)flags;
                        image[aux + 5] = (byte)(flags >> 8);
                        return ElfPatchOutcome.Weakened;
                    }

                    aux += U32(image, aux + 12);
                }
            }

            uint next = U32(image, need + 12);
            if (next == 0)
            {
                break;
            }

            need += next;
        }

        return ElfPatchOutcome.NoRequirement;
    }

    private static string Name(byte[] image, long start)
    {
        long end = start;
        while (end < image.Length && image[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(image, (int)start, (int)(end - start));
    }

    private static ushort U16(byte[] b, long o) => (ushort)(b[o] | b[o + 1] << 8);

    private static uint U32(byte[] b, long o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);

    private static ulong U64(byte[] b, long o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

    /// <summary>
    /// Patches <paramref name="path"/> if needed. The new content goes to a temporary file that replaces the
    /// original, so a hard link into a package cache is never written through; the original timestamp is kept
    /// so that MSBuild's incremental copy leaves the patched file alone on the next build.
    /// </summary>
    public static ElfPatchOutcome WeakenFile(string path, string library, string version)
    {
        byte[] image = File.ReadAllBytes(path);
        ElfPatchOutcome outcome = Weaken(image, library, version);
        if (outcome != ElfPatchOutcome.Weakened)
        {
            return outcome;
        }

        DateTime written = File.GetLastWriteTimeUtc(path);
        string temporary = path + ".sedsl-tmp";
        File.WriteAllBytes(temporary, image);
        // Delete, then move: replacing the directory entry never writes through a hard link (netstandard has no Move overwrite).
        File.Delete(path);
        File.Move(temporary, path);
        File.SetLastWriteTimeUtc(path, written);
        return outcome;
    }
}

#if !SEDSL_ELF_TESTS
/// <summary>MSBuild task: weakens one version requirement in each of <see cref="Files"/>.</summary>
public sealed class SeDslWeakenVersionRequirement : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    [Microsoft.Build.Framework.Required]
    public string Library { get; set; } = "";

    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                ElfPatchOutcome outcome = ElfVersionPatcher.WeakenFile(path, Library, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "SeDsl: {0} requirement {1} of {2}: {3}", path, Version, Library, outcome);
            }
            catch (IOException e)
            {
                Log.LogWarning("SeDsl: could not mark {0} of {1} weak in '{2}': {3}. TorchSharp may fail to load on systems whose libstdc++ lacks it.", Version, Library, path, e.Message);
            }
        }

        return !Log.HasLoggedErrors;
    }
}
#endif
