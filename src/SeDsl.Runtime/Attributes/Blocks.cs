using System;

namespace SeDsl;

/// <summary>What follows the residual addition of a <see cref="BlockAttribute"/> block.</summary>
public enum ResidualActivation
{
    /// <summary>ReLU after the addition, as in ResNet.</summary>
    ReLU,

    /// <summary>Nothing after the addition (linear bottlenecks).</summary>
    None,
}

/// <summary>Which shortcut a residual <see cref="BlockAttribute"/> block adds when its output shape differs from its input's.</summary>
public enum ShortcutPolicy
{
    /// <summary>A projection (k x k convolution with the block's stride, then batch norm), as in ResNet; the identity otherwise.</summary>
    Projection,

    /// <summary>
    /// The identity when stride and channels are unchanged, else no shortcut at all: the inverted residuals of MobileNetV2/V3
    /// and EfficientNet (torchvision's <c>use_res_connect</c>).
    /// </summary>
    IdentityOrNone,
}

/// <summary>
/// Declares a reusable block: a <c>partial</c> class whose layer fields form the block's body and whose
/// <see cref="ParamAttribute"/> fields are its parameters. The generator makes it a <c>Module&lt;Tensor, Tensor&gt;</c>
/// whose constructor takes the input channels, the stride and the parameters, in declaration order.
/// Use it through <see cref="StageAttribute"/>.
/// </summary>
/// <example>
/// <code>
/// [Block(Residual = true)]
/// public partial class Bottleneck
/// {
///     [Param] private readonly int planes;
///     [Conv2d(nameof(planes), 1, Bias = false)] private readonly Conv2d conv1;
///     [BatchNorm2d] private readonly BatchNorm2d bn1;
///     [ReLU] private readonly ReLU relu1;
///     [Conv2d(nameof(planes), 3, Stride = Strides.OfBlock, Padding = 1, Bias = false)] private readonly Conv2d conv2;
///     [BatchNorm2d] private readonly BatchNorm2d bn2;
///     [ReLU] private readonly ReLU relu2;
///     [Conv2d("planes * 4", 1, Bias = false)] private readonly Conv2d conv3;
///     [BatchNorm2d] private readonly BatchNorm2d bn3;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute
{
    /// <summary>
    /// Adds the block's input to its body's output. The shortcut is the identity when stride and channels are unchanged,
    /// otherwise a projection named <c>downsample</c> (1x1 convolution with the block's stride, no bias, then batch norm),
    /// as in torchvision and timm.
    /// </summary>
    public bool Residual { get; set; }

    /// <summary>
    /// The submodule name of the projection shortcut (its keys read <c>NAME.0.weight</c>, <c>NAME.1.running_mean</c>):
    /// <c>downsample</c> (the default) as torchvision's ResNet and timm; <c>proj</c> as torchvision's RegNet.
    /// </summary>
    public string ShortcutName { get; set; } = "downsample";

    /// <summary>
    /// Registers the projection shortcut before the body's layers, so that the state_dict lists its entries first, as
    /// torchvision's RegNet does (<c>proj</c> before <c>f</c>). Default <see langword="false"/>: after them, as in ResNet.
    /// </summary>
    public bool ShortcutFirst { get; set; }

    /// <summary>What the shortcut of a residual block is when the shape changes. Default <see cref="ShortcutPolicy.Projection"/>.</summary>
    public ShortcutPolicy Shortcut { get; set; } = ShortcutPolicy.Projection;

    /// <summary>
    /// Kernel of the projection shortcut's convolution, padded by (kernel - 1) / 2: 1 (the default) as in ResNet, 3 as in
    /// SENet-154's downsampling (timm <c>downsample_kernel_size=3</c>). Must be odd.
    /// </summary>
    public int ShortcutKernel { get; set; } = 1;

    /// <summary>
    /// Scales the body's output before the addition: <c>shortcut + ResidualScale x body</c>, as Inception-ResNet's
    /// blocks do (0.17, 0.1 and 0.2). Only for residual blocks; finite. Default 1.
    /// </summary>
    public double ResidualScale { get; set; } = 1.0;

    /// <summary>What follows the addition of a residual block. Default <see cref="ResidualActivation.ReLU"/>.</summary>
    public ResidualActivation AfterAddition { get; set; } = ResidualActivation.ReLU;

    /// <summary>
    /// Makes the body's fields parallel branches instead of a sequence: each takes the block's input, and their outputs
    /// are concatenated on channels (Inception). Branch outputs must agree in height and width. Default <see langword="false"/>.
    /// </summary>
    public bool Parallel { get; set; }
}

/// <summary>
/// Marks a field of a <see cref="BlockAttribute"/> class or of a network family (a <see cref="NetworkAttribute"/> class
/// with parameters) as one of its parameters: an <see langword="int"/>, <see langword="bool"/>, <see langword="double"/>
/// or enum field, which the generated constructor takes in declaration order and layer arguments use by name
/// (<c>nameof(planes)</c>, <c>"planes * 4"</c>, <c>When = nameof(se)</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ParamAttribute : Attribute
{
    /// <summary>
    /// The value a stage, use or network of a family that leaves this parameter out passes: a constant of the field's
    /// type. Only trailing parameters may have one, so that the arguments given are always the first ones.
    /// </summary>
    public object? Default { get; set; }
}

/// <summary>
/// A stage: a <see cref="BlockAttribute"/> block repeated <c>blocks</c> times, the first with <see cref="Stride"/> and
/// the others with stride 1, each taking the previous block's output. Generated as a <c>Sequential</c> whose children
/// are named 0, 1, ..., so state_dict keys read <c>layer1.0.conv1.weight</c>.
/// </summary>
/// <param name="block">The block class, e.g. <c>typeof(Bottleneck)</c>.</param>
/// <param name="blocks">How many blocks: an int, or in a network family an expression over its parameters (<c>nameof(depth)</c>).</param>
/// <param name="arguments">
/// The block's parameters, in the order its <see cref="ParamAttribute"/> fields are declared: constants of each
/// parameter's type (int, bool, double, enum), or inside a block expressions over the enclosing block's parameters.
/// </param>
public sealed class StageAttribute(Type block, object blocks, params object[] arguments) : LayerAttribute
{
    /// <summary>The block class.</summary>
    public Type Block { get; } = block;

    /// <summary>How many blocks.</summary>
    public object Blocks { get; } = blocks;

    /// <summary>The block's parameters.</summary>
    public object[] Arguments { get; } = arguments;

    /// <summary>Stride of the first block. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>
    /// The name of each block in the stage's <c>Sequential</c>, with <c>#</c> for its index: letters, digits, <c>_</c>
    /// and <c>-</c> around exactly one <c>#</c>. Default <c>"#"</c> (children 0, 1, ...); RegNet's
    /// <c>trunk_output.block1.block1-0</c> is <c>Key = "trunk_output.block1", ChildKey = "block1-#"</c>.
    /// </summary>
    public string ChildKey { get; set; } = "#";

    /// <summary>
    /// The first block's arguments, when they differ from the others' (which take the positional arguments), e.g.
    /// <c>[Stage(typeof(Bottleneck), 4, 64, First = new object[] { 32 })]</c>; same count and types as the positional ones.
    /// Unset: every block takes the positional arguments.
    /// </summary>
    public object[]? First { get; set; }

    /// <summary>
    /// Sets the block's <see cref="BlockAttribute.Residual"/> for this stage's blocks only, e.g. <c>Residual = false</c> for a plain
    /// variant of a residual block. Unset: the block's own. A block with <see cref="OnShortcutAttribute"/> or
    /// <see cref="AfterAdditionAttribute"/> layers stays residual.
    /// </summary>
    public bool Residual { get; set; }

    /// <summary>Sets the block's <see cref="BlockAttribute.Shortcut"/> for this stage's blocks only. Unset: the block's own.</summary>
    public ShortcutPolicy Shortcut { get; set; }

    /// <summary>Sets the block's <see cref="BlockAttribute.ShortcutKernel"/> (odd) for this stage's blocks only. Unset: the block's own.</summary>
    public int ShortcutKernel { get; set; } = 1;

    /// <summary>Sets the block's <see cref="BlockAttribute.AfterAddition"/> for this stage's blocks only. Unset: the block's own.</summary>
    public ResidualActivation AfterAddition { get; set; }

    /// <summary>
    /// Sets the block's <see cref="BlockAttribute.ResidualScale"/> (finite) for this stage's blocks only, e.g. Inception-ResNet's 0.17, 0.1
    /// and 0.2 on one block class. Unset: the block's own. Only a residual block uses it.
    /// </summary>
    public double ResidualScale { get; set; } = 1.0;

    /// <summary>
    /// Writes the stage's blocks here instead of creating them as modules: the blocks' layers, with the arguments set, become
    /// layers of the network, in order, named <c>{field}_{block}_{layer}</c> (<c>conv1_2_bn</c>: layer <c>bn</c> of block 2,
    /// counted from 1), and their <c>Key</c>s continue the network's own (<c>features.#</c> takes the network's next index).
    /// Declare the field as <c>Module&lt;Tensor, Tensor&gt;[]</c>: the generated constructor sets it to those layers.
    /// Only a plain sequential block (not residual, not parallel) in a network can be inlined, without <c>Key</c>,
    /// <c>ChildKey</c> or residual options. Default false.
    /// </summary>
    public bool Inline { get; set; }
}

/// <summary>
/// In a residual <see cref="BlockAttribute"/> block: applies this field's layer to the shortcut (after the projection,
/// if any) instead of the body, e.g. the paper's SE-Identity variant.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class OnShortcutAttribute : Attribute
{
}

/// <summary>
/// In a residual <see cref="BlockAttribute"/> block: applies this field's layer after the addition and its activation,
/// e.g. the paper's SE-POST variant.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class AfterAdditionAttribute : Attribute
{
}

/// <summary>
/// In a parallel <see cref="BlockAttribute"/> block (<c>Parallel = true</c>): applies this field's layer to the concatenated
/// output of the branches instead of making it a branch, e.g. the SE paper's SE-Inception module (SE on the module's
/// output). Such layers come after every branch, in the order they run.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class AfterConcatenationAttribute : Attribute
{
}

/// <summary>
/// One block used as a layer, inside a network or inside another block (for example a branch of a parallel block).
/// The field's type is the block class.
/// </summary>
/// <param name="block">The block class, e.g. <c>typeof(Branch3x3)</c>.</param>
/// <param name="arguments">
/// The block's parameters in declaration order: integers, or inside a block also expressions over the enclosing
/// block's parameters such as <c>nameof(poolFeatures)</c>.
/// </param>
public sealed class UseAttribute(Type block, params object[] arguments) : LayerAttribute
{
    /// <summary>The block class.</summary>
    public Type Block { get; } = block;

    /// <summary>The block's parameters.</summary>
    public object[] Arguments { get; } = arguments;

    /// <summary>The used block's stride: a number, or <see cref="Strides.OfBlock"/> to pass on the enclosing block's. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>
    /// Sets the block's <see cref="BlockAttribute.Residual"/> for this use only, e.g. <c>Residual = false</c> for a plain
    /// variant of a residual block. Unset: the block's own. A block with <see cref="OnShortcutAttribute"/> or
    /// <see cref="AfterAdditionAttribute"/> layers stays residual.
    /// </summary>
    public bool Residual { get; set; }

    /// <summary>Sets the block's <see cref="BlockAttribute.Shortcut"/> for this use only. Unset: the block's own.</summary>
    public ShortcutPolicy Shortcut { get; set; }

    /// <summary>Sets the block's <see cref="BlockAttribute.ShortcutKernel"/> (odd) for this use only. Unset: the block's own.</summary>
    public int ShortcutKernel { get; set; } = 1;

    /// <summary>Sets the block's <see cref="BlockAttribute.AfterAddition"/> for this use only. Unset: the block's own.</summary>
    public ResidualActivation AfterAddition { get; set; }

    /// <summary>
    /// Sets the block's <see cref="BlockAttribute.ResidualScale"/> (finite) for this use only, e.g. Inception-ResNet's 0.17, 0.1
    /// and 0.2 on one block class. Unset: the block's own. Only a residual block uses it.
    /// </summary>
    public double ResidualScale { get; set; } = 1.0;

    /// <summary>
    /// Writes the block's layers here instead of creating the block as a module: its layers, with the arguments set,
    /// become layers of the network, in order, named <c>{field}_{layer}</c>, and their <c>Key</c>s continue the network's
    /// own. Declare the field as <c>Module&lt;Tensor, Tensor&gt;[]</c>: the generated constructor sets it to those layers.
    /// Only a plain sequential block (not residual, not parallel) in a network can be inlined, without <c>Key</c> or
    /// residual options. Default false.
    /// </summary>
    public bool Inline { get; set; }
}
