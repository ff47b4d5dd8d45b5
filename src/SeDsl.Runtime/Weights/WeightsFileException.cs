using System;
using System.IO;

namespace SeDsl;

/// <summary>
/// A weights file cannot be read: it is truncated, corrupt, or not in the format its extension (or the caller) says.
/// The message names the file and the format; the reader's own error, if any, is the inner exception.
/// </summary>
public sealed class WeightsFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format it was read as.</param>
    /// <param name="reason">Why it cannot be read, in a sentence.</param>
    /// <param name="inner">The reader's error, if any.</param>
    public WeightsFileException(string path, WeightsFormat format, string reason, Exception? inner = null)
        : base($"Cannot read weights from '{path}' as {format}: {reason}", inner)
    {
        Path = path;
        Format = format;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The format it was read as.</summary>
    public WeightsFormat Format { get; }
}
