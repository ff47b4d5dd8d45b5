using System;

namespace SeDsl;

/// <summary>
/// Base of every layer attribute. A layer attribute on a field of a <see cref="NetworkAttribute"/> class makes
/// that field a submodule: its name becomes the submodule's name (and so the prefix of its state_dict keys),
/// and its position among the class's fields is its position in the data flow.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// Makes the layer optional: inside a <see cref="BlockAttribute"/> class, a condition over the block's parameters
    /// (and <c>inChannels</c>) under which the layer exists, such as <c>nameof(se)</c> for a <see langword="bool"/>
    /// parameter, <c>"expanded != inChannels"</c> or <c>"placement == SePlacement.Post"</c>. Where it is false the layer
    /// is not created, not registered (no state_dict keys) and not applied: <c>forward</c> passes its input on. The field
    /// must be nullable (<c>Conv2d?</c>). Null (the default): the layer always exists.
    /// </summary>
    public string? When { get; set; }
}
