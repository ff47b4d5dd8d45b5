using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace SeDsl;

/// <summary>
/// Replaces a file so that readers see either the old content or the complete new content, never a mixture:
/// the new content goes to a temporary file in the same directory, is flushed to disk, and is then renamed over
/// the target (an atomic <c>rename(2)</c> on POSIX file systems). An interrupted write leaves the old file as it was.
/// </summary>
/// <remarks>
/// A process killed mid-write leaves its temporary file behind (<c>.NAME.GUID.tmp</c>, 32 hex digits). The next
/// write to the same target removes such files, but only those no live write holds: each write keeps its temporary
/// file open with an exclusive lock (on Unix a <c>flock(2)</c> that .NET takes for <see cref="FileShare.None"/> and
/// the kernel drops when the process dies) until it has been renamed, and the cleanup deletes only a file it could
/// open exclusively itself. Files of other targets, and files not named so, are never touched.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the whole content; must leave the stream open.</param>
    /// <param name="intercept">Test hook: wraps the temporary file's stream, e.g. to inject a fault mid-write.</param>
    public static void Write(string path, Action<Stream> write, Func<Stream, Stream>? intercept = null)
    {
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string name = Path.GetFileName(target);
        RemoveStaleTemporaries(directory, name);
        // Same directory, so the rename never crosses file systems; a leading dot keeps it out of listings.
        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        bool renamed = false;
        FileStream? file = null;
        try
        {
            // Locked for the whole write, rename included (see the remarks). Windows needs FileShare.Delete to rename an
            // open file; its own sharing rules then keep the cleanup out, as the lock does on Unix.
            file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write,
                OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None, bufferSize: 1 << 16);
            Stream stream = intercept?.Invoke(file) ?? file;
            write(stream);
            stream.Flush();
            file.Flush(flushToDisk: true);
            File.Move(temporary, target, overwrite: true);
            renamed = true;
        }
        catch
        {
            file?.Dispose();
            if (!renamed)
            {
                TryDelete(temporary);
            }

            throw;
        }
        finally
        {
            file?.Dispose();
        }

        SyncDirectory(directory);
    }

    /// <summary>The temporary files of <paramref name="name"/> present in <paramref name="directory"/>, live or stale.</summary>
    public static IEnumerable<string> Temporaries(string directory, string name) =>
        Directory.EnumerateFiles(directory, "." + name + ".*.tmp").Where(f => IsTemporaryOf(Path.GetFileName(f), name));

    /// <summary>Deletes the temporary files of earlier writes to <paramref name="name"/> that no live write holds.</summary>
    private static void RemoveStaleTemporaries(string directory, string name)
    {
        List<string> candidates;
        try
        {
            candidates = Temporaries(directory, name).ToList();
        }
        catch (IOException)
        {
            return;         // e.g. the directory is missing: the write itself reports that
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        foreach (string candidate in candidates)
        {
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    using var held = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.DeleteOnClose);
                }
                else
                {
                    // Deleted while held, so no write can be holding it: a live one's lock makes this open fail.
                    using var held = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None, 1);
                    File.Delete(candidate);
                }
            }
            catch (IOException)
            {
                // Held by a save that is still running (a sharing violation), or already gone.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to delete.
            }
        }
    }

    /// <summary>Whether <paramref name="file"/> is <c>.NAME.</c> + 32 lowercase hex digits + <c>.tmp</c>.</summary>
    private static bool IsTemporaryOf(string file, string name)
    {
        string prefix = "." + name + ".";
        if (file.Length != prefix.Length + 32 + 4 || !file.StartsWith(prefix, StringComparison.Ordinal) || !file.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return false;
        }

        return file.AsSpan(prefix.Length, 32).IndexOfAnyExcept("0123456789abcdef") < 0;
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // The original error matters more; a leftover temporary file never replaces the target.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Makes the rename itself durable: on POSIX a rename is recorded in the directory, which needs its own fsync.</summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        int descriptor = NativeMethods.open(directory, 0 /* O_RDONLY */);
        if (descriptor < 0)
        {
            return;     // Best effort: the data is on disk and the rename done; only its durability across a power loss is at stake.
        }

        _ = NativeMethods.fsync(descriptor);
        _ = NativeMethods.close(descriptor);
    }

    private static class NativeMethods
    {
        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc")]
        internal static extern int fsync(int descriptor);

        [DllImport("libc")]
        internal static extern int close(int descriptor);
    }
}
