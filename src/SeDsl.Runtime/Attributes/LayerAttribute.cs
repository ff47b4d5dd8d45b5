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

    /// <summary>
    /// The submodule's path in the state_dict instead of the field name, as other libraries name it: dotted segments of
    /// letters, digits, <c>_</c> and <c>-</c>, e.g. <c>"features.0"</c> (keys <c>features.0.weight</c>) or
    /// <c>"trunk_output.block1"</c>. The last segment may be <c>#</c>: the next index of that container when the module
    /// is constructed, as <c>layers.append(...)</c> numbers torchvision's layers. The containers are created by the
    /// generated constructor and only hold children; <c>forward</c> still calls the field. Default: the field name.
    /// docs/dsl.md ("State-dict keys") has the rules.
    /// </summary>
    public string? Key { get; set; }
}
