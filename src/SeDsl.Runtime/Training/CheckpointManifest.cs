using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace SeDsl.Training;

/// <summary>A checkpoint file of the folder, with its SHA-256, so that a file replaced or damaged later is noticed.</summary>
internal sealed record CheckpointFile(string Name, string Sha256);

/// <summary>
/// The JSON file (<c>best.json</c>, <c>last.json</c>) that makes a checkpoint: it names the weights (and, for the last
/// one, the optimizer) files with their digests and carries everything else a resumed run needs. It is written after
/// the files it names, atomically, so it never names a file that is not complete.
/// </summary>
internal sealed record CheckpointManifest(
    CheckpointKind Kind,
    int Epoch,
    string ModelType,
    long Parameters,
    int BatchSize,
    int StepsPerEpoch,
    long Seed,
    string Monitor,
    double BestValue,
    int BestEpoch,
    int StaleEpochs,
    CheckpointFile Weights,
    CheckpointFile? Optimizer,
    string? OptimizerType,
    byte[]? RandomState,
    string? SchedulerType,
    long SchedulerSteps,
    IReadOnlyList<double> PlateauValues,
    IReadOnlyList<EpochResult> History)
{
    public const int FormatVersion = 1;

    public void Write(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("format", FormatVersion);
        json.WriteString("kind", Kind == CheckpointKind.Best ? "best" : "last");
        json.WriteNumber("epoch", Epoch);
        json.WriteString("model", ModelType);
        json.WriteNumber("parameters", Parameters);
        json.WriteNumber("batch_size", BatchSize);
        json.WriteNumber("steps_per_epoch", StepsPerEpoch);
        json.WriteNumber("seed", Seed);
        json.WriteString("monitor", Monitor);
        WriteNumber(json, "best_value", BestValue);
        json.WriteNumber("best_epoch", BestEpoch);
        json.WriteNumber("stale_epochs", StaleEpochs);
        WriteFile(json, "weights", Weights);
        if (Optimizer is not null)
        {
            WriteFile(json, "optimizer", Optimizer);
            json.WriteString("optimizer_type", OptimizerType);
        }

        if (RandomState is not null)
        {
            json.WriteBase64String("random_state", RandomState);
        }

        if (SchedulerType is not null)
        {
            json.WriteString("scheduler_type", SchedulerType);
        }

        json.WriteNumber("scheduler_steps", SchedulerSteps);
        json.WriteStartArray("plateau_values");
        foreach (double value in PlateauValues)
        {
            WriteValue(json, value);
        }

        json.WriteEndArray();
        json.WriteStartArray("history");
        foreach (EpochResult epoch in History)
        {
            WriteEpoch(json, epoch);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Reads a manifest; any malformed content is a <see cref="CheckpointException"/> naming the file.</summary>
    public static CheckpointManifest Read(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            int format = root.GetProperty("format").GetInt32();
            if (format != FormatVersion)
            {
                throw new CheckpointException($"{path}: checkpoint format {format}; this version of SeDsl reads format {FormatVersion}.");
            }

            string kind = root.GetProperty("kind").GetString() ?? string.Empty;
            return new CheckpointManifest(
                kind switch
                {
                    "best" => CheckpointKind.Best,
                    "last" => CheckpointKind.Last,
                    _ => throw new CheckpointException($"{path}: unknown checkpoint kind '{kind}'."),
                },
                root.GetProperty("epoch").GetInt32(),
                root.GetProperty("model").GetString() ?? string.Empty,
                root.GetProperty("parameters").GetInt64(),
                root.GetProperty("batch_size").GetInt32(),
                root.GetProperty("steps_per_epoch").GetInt32(),
                root.GetProperty("seed").GetInt64(),
                root.GetProperty("monitor").GetString() ?? "loss",
                ReadNumber(root.GetProperty("best_value")),
                root.GetProperty("best_epoch").GetInt32(),
                root.GetProperty("stale_epochs").GetInt32(),
                ReadFile(root.GetProperty("weights")),
                root.TryGetProperty("optimizer", out JsonElement optimizer) ? ReadFile(optimizer) : null,
                root.TryGetProperty("optimizer_type", out JsonElement optimizerType) ? optimizerType.GetString() : null,
                root.TryGetProperty("random_state", out JsonElement random) ? random.GetBytesFromBase64() : null,
                root.TryGetProperty("scheduler_type", out JsonElement schedulerType) ? schedulerType.GetString() : null,
                root.GetProperty("scheduler_steps").GetInt64(),
                root.GetProperty("plateau_values").EnumerateArray().Select(ReadNumber).ToArray(),
                root.GetProperty("history").EnumerateArray().Select(ReadEpoch).ToArray());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CheckpointException($"{path}: not a readable checkpoint manifest ({e.Message}).", e);
        }
    }

    private static void WriteFile(Utf8JsonWriter json, string name, CheckpointFile file)
    {
        json.WriteStartObject(name);
        json.WriteString("file", file.Name);
        json.WriteString("sha256", file.Sha256);
        json.WriteEndObject();
    }

    private static CheckpointFile ReadFile(JsonElement element) =>
        new(element.GetProperty("file").GetString() ?? string.Empty, element.GetProperty("sha256").GetString() ?? string.Empty);

    private static void WriteEpoch(Utf8JsonWriter json, EpochResult epoch)
    {
        json.WriteStartObject();
        json.WriteNumber("epoch", epoch.Epoch);
        WriteNumber(json, "learning_rate", epoch.LearningRate);
        WriteNumber(json, "train_loss", epoch.TrainLoss);
        WriteMetrics(json, "train_metrics", epoch.TrainMetrics);
        json.WriteNumber("train_seconds", epoch.TrainTime.TotalSeconds);
        WriteNumber(json, "samples_per_second", epoch.SamplesPerSecond);
        json.WriteBoolean("is_best", epoch.IsBest);
        if (epoch.Validation is { } validation)
        {
            json.WriteStartObject("validation");
            WriteNumber(json, "loss", validation.Loss);
            json.WriteNumber("samples", validation.Samples);
            WriteMetrics(json, "metrics", validation.Metrics);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static EpochResult ReadEpoch(JsonElement element)
    {
        Evaluation? validation = element.TryGetProperty("validation", out JsonElement v)
            ? new Evaluation(ReadNumber(v.GetProperty("loss")), ReadMetrics(v.GetProperty("metrics")), v.GetProperty("samples").GetInt64())
            : null;
        return new EpochResult(
            element.GetProperty("epoch").GetInt32(),
            ReadNumber(element.GetProperty("learning_rate")),
            ReadNumber(element.GetProperty("train_loss")),
            ReadMetrics(element.GetProperty("train_metrics")),
            validation,
            TimeSpan.FromSeconds(element.GetProperty("train_seconds").GetDouble()),
            ReadNumber(element.GetProperty("samples_per_second")),
            element.GetProperty("is_best").GetBoolean());
    }

    private static void WriteMetrics(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, double> metrics)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in metrics)
        {
            WriteNumber(json, key, value);
        }

        json.WriteEndObject();
    }

    private static Dictionary<string, double> ReadMetrics(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => ReadNumber(p.Value));

    // JSON has no NaN or infinity (a diverged loss): those are written as strings and read back.
    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        WriteValue(json, value);
    }

    private static void WriteValue(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static double ReadNumber(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
            ? double.Parse(element.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : element.GetDouble();
}
