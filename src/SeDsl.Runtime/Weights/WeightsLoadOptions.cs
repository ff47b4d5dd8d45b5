namespace SeDsl;

/// <summary>
/// How <see cref="Weights.Load(TorchSharp.torch.nn.Module, string, WeightsLoadOptions)"/> reads a file: where the
/// state_dict sits in it, how its keys map to the model's, and whether element types may be converted. Every choice
/// is explicit; the defaults read a plain state_dict strictly, as
/// <see cref="Weights.Load(TorchSharp.torch.nn.Module, string, WeightsFormat?, bool)"/> does.
/// </summary>
/// <example>
/// <code>
/// // A training checkpoint {"epoch": ..., "state_dict": ..., "optimizer": ...} saved from nn.DataParallel, in float16:
/// Weights.Load(model, "checkpoint.pth", new WeightsLoadOptions
/// {
///     Entry = "state_dict",
///     KeyMap = WeightsKeyMap.StripPrefix("module."),
///     ConvertDTypes = true,
/// });
/// </code>
/// </example>
public sealed record WeightsLoadOptions
{
    /// <summary>The format; by default the one the extension implies (<see cref="Weights.FormatOf"/>).</summary>
    public WeightsFormat? Format { get; init; }

    /// <summary>
    /// When true (the default) the file must have exactly the model's keys, shapes and element types, or nothing is
    /// loaded and <see cref="WeightsMismatchException"/> lists every difference. When false the keys that fit are
    /// loaded and the report lists the rest.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// The key of the checkpoint dictionary that holds the state_dict, for a <c>torch.save</c> file that is not a
    /// state_dict itself: <c>"state_dict"</c> for <c>{"state_dict": ..., "epoch": ...}</c> (PyTorch Lightning,
    /// many training scripts), <c>"model"</c> for <c>{"model": ...}</c> (torchvision's reference scripts). Null (the
    /// default) reads the whole file as the state_dict. Never guessed: a checkpoint dictionary without it is refused
    /// with a message naming its entries.
    /// </summary>
    public string? Entry { get; init; }

    /// <summary>Renames the file's keys into the model's before comparing (default: none).</summary>
    public WeightsKeyMap KeyMap { get; init; } = WeightsKeyMap.Identity;

    /// <summary>
    /// When true, a floating-point tensor of the file (float16, bfloat16, float32, float64) whose shape fits is
    /// converted to the element type of the model's tensor and listed in <see cref="WeightsLoadReport.Converted"/>.
    /// Integer and boolean tensors are never converted. False (the default) reports another element type as a mismatch.
    /// </summary>
    public bool ConvertDTypes { get; init; }

    /// <summary><c>format PyTorch, strict, entry 'state_dict', keys prefix 'module.' -&gt; '', convert dtypes</c>.</summary>
    public override string ToString()
    {
        var parts = new System.Collections.Generic.List<string>
        {
            Format is null ? "format from the extension" : $"format {Format}",
            Strict ? "strict" : "not strict",
        };
        if (Entry is not null)
        {
            parts.Add($"entry '{Entry}'");
        }

        if (!KeyMap.IsIdentity)
        {
            parts.Add($"keys {KeyMap}");
        }

        if (ConvertDTypes)
        {
            parts.Add("convert dtypes");
        }

        return string.Join(", ", parts);
    }
}
