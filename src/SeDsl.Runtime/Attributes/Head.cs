namespace SeDsl;

/// <summary>Flattens C x H x W into one feature vector of C*H*W (<c>torch.nn.Flatten</c>).</summary>
public sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>A fully connected layer (<c>torch.nn.Linear</c>) on a flat feature vector.</summary>
/// <param name="outFeatures">Number of output features.</param>
public sealed class LinearAttribute(object outFeatures) : LayerAttribute
{
    /// <summary>Number of output features.</summary>
    public object OutFeatures { get; } = outFeatures;

    /// <summary>Whether the layer adds a learned bias. Default <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>Dropout (<c>torch.nn.Dropout</c>): zeroes elements with probability <c>p</c> while training.</summary>
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Dropout with probability 0.5, PyTorch's default.</summary>
    public DropoutAttribute()
    {
    }

    /// <summary>Dropout with probability <paramref name="p"/>.</summary>
    /// <param name="p">Probability of zeroing an element, in [0, 1]: a double or, inside a block, a <see langword="double"/> parameter's name.</param>
    public DropoutAttribute(object p)
    {
        P = p;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public object P { get; } = 0.5;
}

/// <summary>Passes its input through unchanged (<c>torch.nn.Identity</c>).</summary>
public sealed class IdentityAttribute : LayerAttribute
{
}

/// <summary>ShuffleNet's channel shuffle: splits channels into groups and interleaves them.</summary>
/// <param name="groups">Number of groups; must divide the channel count.</param>
public sealed class ChannelShuffleAttribute(object groups) : LayerAttribute
{
    /// <summary>Number of groups.</summary>
    public object Groups { get; } = groups;
}
