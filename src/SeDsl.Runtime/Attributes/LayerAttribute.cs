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
}
