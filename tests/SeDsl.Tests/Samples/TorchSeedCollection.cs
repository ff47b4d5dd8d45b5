using Xunit;

namespace SeDsl.Tests.Samples;

/// <summary>
/// Tests that seed libtorch's global generator, change its thread count, and then create or train a model; they run
/// alone, because another test drawing random numbers in between would change the weights.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSeedCollection
{
    public const string Name = "libtorch's global seed";
}
