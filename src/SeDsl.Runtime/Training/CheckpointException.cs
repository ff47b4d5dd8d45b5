using System;

namespace SeDsl.Training;

/// <summary>
/// A checkpoint folder cannot be used as asked: it holds an earlier run that would be overwritten, a checkpoint does
/// not fit the model or the options, or a file is missing or altered. The message names the folder and the cause;
/// nothing on disk was changed.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception with a message naming the folder and the cause.</summary>
    public CheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public CheckpointException()
        : base("The checkpoint cannot be used.")
    {
    }
}
