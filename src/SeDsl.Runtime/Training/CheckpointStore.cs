using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeDsl.Training;

/// <summary>
/// The files of a checkpoint folder. A checkpoint is written as new files named after its epoch
/// (<c>last-epoch0003.safetensors</c>, <c>last-epoch0003.optimizer.bin</c>), each atomically, and is committed by
/// replacing its manifest (<c>last.json</c>) atomically; only then are the previous epoch's files removed. A run
/// interrupted at any point leaves the previous checkpoint complete and named by its manifest.
/// </summary>
internal sealed partial class CheckpointStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public static string Prefix(CheckpointKind kind) => kind == CheckpointKind.Best ? "best" : "last";

    public string ManifestPath(CheckpointKind kind) => Path.Combine(Directory, Prefix(kind) + ".json");

    public CheckpointManifest? TryRead(CheckpointKind kind)
    {
        string path = ManifestPath(kind);
        return File.Exists(path) ? CheckpointManifest.Read(path) : null;
    }

    /// <summary>Writes the weights (and the optimizer's state), then the manifest <paramref name="manifest"/> builds from their digests.</summary>
    public CheckpointManifest Write(CheckpointKind kind, int epoch, nn.Module model, OptimizerHelper? optimizer, Func<CheckpointFile, CheckpointFile?, CheckpointManifest> manifest)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string stem = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix(kind)}-epoch{epoch:D4}");

        string weights = stem + ".safetensors";
        SeDsl.Weights.Save(model, Path.Combine(Directory, weights));
        var weightsFile = new CheckpointFile(weights, Digest(Path.Combine(Directory, weights)));

        CheckpointFile? optimizerFile = null;
        if (optimizer is not null)
        {
            string name = stem + ".optimizer.bin";
            AtomicFile.Write(Path.Combine(Directory, name), stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(writer);
                writer.Flush();
            });
            optimizerFile = new CheckpointFile(name, Digest(Path.Combine(Directory, name)));
        }

        CheckpointManifest written = manifest(weightsFile, optimizerFile);
        AtomicFile.Write(ManifestPath(kind), written.Write);
        RemoveOthers(kind, weightsFile.Name, optimizerFile?.Name);
        return written;
    }

    /// <summary>The full path of a file a manifest names, after checking that it is there and has the recorded digest.</summary>
    public string Verified(CheckpointKind kind, CheckpointFile file)
    {
        string path = Path.Combine(Directory, file.Name);
        if (!File.Exists(path))
        {
            throw new CheckpointException($"{ManifestPath(kind)} names {file.Name}, which is not in {Directory}: the checkpoint is incomplete.");
        }

        string digest = Digest(path);
        if (!string.Equals(digest, file.Sha256, StringComparison.Ordinal))
        {
            throw new CheckpointException($"{path} has changed since {Path.GetFileName(ManifestPath(kind))} recorded it (SHA-256 {digest}, recorded {file.Sha256}): replaced or damaged, so it is not loaded.");
        }

        return path;
    }

    public static string Digest(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Removes this kind's files of other epochs: those of the checkpoint just replaced, or left by an interrupted run.</summary>
    private void RemoveOthers(CheckpointKind kind, string keep, string? keepToo)
    {
        Regex ours = kind == CheckpointKind.Best ? BestFile() : LastFile();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory))
        {
            string name = Path.GetFileName(path);
            if (name != keep && name != keepToo && ours.IsMatch(name))
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // A file left over costs disk space only; the manifest never names it.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }

    [GeneratedRegex(@"^best-epoch[0-9]{4,}\.(safetensors|optimizer\.bin)$", RegexOptions.CultureInvariant)]
    private static partial Regex BestFile();

    [GeneratedRegex(@"^last-epoch[0-9]{4,}\.(safetensors|optimizer\.bin)$", RegexOptions.CultureInvariant)]
    private static partial Regex LastFile();
}
