namespace SeDsl;

/// <summary>
/// A module with a one-way inference form: generated networks and blocks implement it, and their <c>Fuse()</c> folds
/// every batch norm into the convolution before it and switches <c>forward</c> to the fused path. After that the
/// convolutions hold folded weights and the batch norms stale ones, so the module's <c>state_dict</c> no longer
/// describes the function an unfused module of the same class computes. <see cref="Weights"/> therefore refuses to
/// save a module of which any part is fused, and to load into one.
/// </summary>
public interface IFusable
{
    /// <summary>Whether <c>Fuse()</c> has run on this module (it cannot be undone).</summary>
    bool IsFused { get; }
}
