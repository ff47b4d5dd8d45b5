using System;
using System.IO;
using System.Runtime.InteropServices;

namespace SeDsl;

/// <summary>
/// Replaces a file so that readers see either the old content or the complete new content, never a mixture:
/// the new content goes to a temporary file in the same directory, is flushed to disk, and is then renamed over
/// the target (an atomic <c>rename(2)</c> on POSIX file systems). An interrupted write leaves the old file as it was.
/// </summary>
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
        // Same directory, so the rename never crosses file systems; a leading dot keeps it out of listings.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Stream stream = intercept?.Invoke(file) ?? file;
                write(stream);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        SyncDirectory(directory);
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
