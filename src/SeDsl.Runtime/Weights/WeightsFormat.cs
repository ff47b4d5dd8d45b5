namespace SeDsl;

/// <summary>The file formats <see cref="Weights"/> reads and writes; both hold a PyTorch <c>state_dict</c>.</summary>
public enum WeightsFormat
{
    /// <summary>
    /// <c>.safetensors</c>: a JSON header naming every tensor's dtype, shape and byte range, then the raw data.
    /// Hugging Face's format; timm publishes its weights in it.
    /// </summary>
    Safetensors,

    /// <summary>
    /// <c>.pt</c>, <c>.pth</c> or <c>.bin</c>: what <c>torch.save(model.state_dict(), path)</c> writes, a zip archive
    /// holding a pickled dictionary and one entry per tensor. The legacy (pre-1.6) non-zip format is not read.
    /// </summary>
    PyTorch,
}
