using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace SeDsl.Training;

/// <summary>
/// A checkpoint that <see cref="Trainer"/> wrote into <see cref="TrainingOptions.CheckpointDirectory"/>: which epoch,
/// its weights file and the run's history up to it. Read one with <see cref="Read"/>; its weights file is an ordinary
/// safetensors <c>state_dict</c>, which <see cref="LoadWeights"/> (or <see cref="Weights.Load(TorchSharp.torch.nn.Module, string, WeightsFormat?, bool)"/>, or PyTorch) loads.
/// </summary>
/// <example>
/// <code>
/// Checkpoint best = Checkpoint.Read("runs/a", CheckpointKind.Best) ?? throw new InvalidOperationException("no best checkpoint");
/// best.LoadWeights(model);
/// </code>
/// </example>
public sealed class Checkpoint
{
    private readonly CheckpointStore store;
    private readonly CheckpointManifest manifest;

    private Checkpoint(CheckpointStore store, CheckpointManifest manifest)
    {
        this.store = store;
        this.manifest = manifest;
    }

    /// <summary>Best or last.</summary>
    public CheckpointKind Kind => manifest.Kind;

    /// <summary>The epoch whose end the checkpoint holds.</summary>
    public int Epoch => manifest.Epoch;

    /// <summary>The model's type name when it was written.</summary>
    public string ModelType => manifest.ModelType;

    /// <summary>The monitored figure's name (<see cref="TrainingOptions.Monitor"/>).</summary>
    public string Monitor => manifest.Monitor;

    /// <summary>The best value of the monitored figure up to this epoch, reached in <see cref="BestEpoch"/>.</summary>
    public double BestValue => manifest.BestValue;

    /// <summary>The epoch that reached <see cref="BestValue"/>; for the best checkpoint, <see cref="Epoch"/> itself.</summary>
    public int BestEpoch => manifest.BestEpoch;

    /// <summary>The weights file (safetensors), a full path.</summary>
    public string WeightsPath => System.IO.Path.Combine(store.Directory, manifest.Weights.Name);

    /// <summary>Every epoch's figures up to this one.</summary>
    public IReadOnlyList<EpochResult> History => manifest.History;

    /// <summary>Reads the checkpoint of this kind in <paramref name="directory"/>; null when there is none.</summary>
    /// <exception cref="CheckpointException">The manifest is unreadable or of another format version.</exception>
    public static Checkpoint? Read(string directory, CheckpointKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var store = new CheckpointStore(directory);
        CheckpointManifest? manifest = store.TryRead(kind);
        return manifest is null ? null : new Checkpoint(store, manifest);
    }

    /// <summary>Loads the checkpoint's weights into <paramref name="model"/>, strictly, after checking the file's SHA-256.</summary>
    /// <exception cref="CheckpointException">The weights file is missing or is not the one the checkpoint recorded.</exception>
    /// <exception cref="WeightsMismatchException">The weights do not fit the model; the model is untouched.</exception>
    public WeightsLoadReport LoadWeights(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Weights.Load(model, store.Verified(Kind, manifest.Weights));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{CheckpointStore.Prefix(Kind)} checkpoint of {ModelType}, epoch {Epoch}, {Monitor} {BestValue:G6} (epoch {BestEpoch}), {WeightsPath}");
}
