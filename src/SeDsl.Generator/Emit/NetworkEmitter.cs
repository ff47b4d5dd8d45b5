using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>Writes the generated module of a network class: its constants, constructor, <c>Fuse</c> and <c>forward</c>.</summary>
internal static class NetworkEmitter
{
    /// <param name="fileScopedNamespace">Whether the project's C# has file-scoped namespaces (10 and later).</param>
    public static string EmitModule(NetworkPlan plan, bool fileScopedNamespace)
    {
        string className = plan.Type.Name;
        var layers = plan.Layers.Select(l => l.Spec).ToList();
        var inPlace = new HashSet<string>();
        ForwardWriter.WriteChain(new SourceWriter(discard: true), layers, ForwardPath.Training, "x", "input", declare: true, sourceIsTemporary: false, inPlace);

        var w = new SourceWriter();
        using (ModuleSkeleton.Header(w, plan.Type.Namespace, className, "Network", fileScopedNamespace))
        using (w.Block(ModuleSkeleton.ClassLine(className)))
        {
            if (plan.Family is { } family)
            {
                // The class declares no fields: they are the family's layers that exist with this network's values.
                w.Line($"// The layers of the family {family.Name} with this network's values: the fields its declaration describes.");
                foreach (var layer in plan.Layers)
                {
                    w.Line($"private readonly {layer.Spec.FieldType} {layer.Spec.Identifier};");
                }

                foreach (var group in plan.Inlined)
                {
                    w.Line($"private readonly {group.FieldType} {group.Identifier};");
                }

                w.Line();
            }
            else if (plan.Layers.Any(l => l.Spec.Inlined))
            {
                // The class declares each inline stage or use as one field; its blocks' layers become these.
                w.Line("// The layers of the inline stages and uses, with their arguments: the fields their declarations describe.");
                foreach (var layer in plan.Layers.Where(l => l.Spec.Inlined))
                {
                    w.Line($"private readonly {layer.Spec.FieldType} {layer.Spec.Identifier};");
                }

                w.Line();
            }

            ModuleSkeleton.Member(w, $"/// <summary>Learnable parameters, counted at compile time: {Code.Grouped(plan.Parameters)}.</summary>", $"public const long ParameterCount = {Code.Literal(plan.Parameters)};");
            ModuleSkeleton.Member(w, $"/// <summary>Multiply-adds for one {plan.Input} sample, counted at compile time: {Code.Grouped(plan.MultiplyAdds)} (convention: docs/dsl.md).</summary>", $"public const long MultiplyAdds = {Code.Literal(plan.MultiplyAdds)};");
            ModuleSkeleton.Member(w, "/// <summary>Floating-point operations for one sample, counting a multiply-add as two: 2 x <see cref=\"MultiplyAdds\"/>.</summary>", $"public const long Flops = {Code.Literal(2 * plan.MultiplyAdds)};");
            w.Line("/// <summary>Creates the network with freshly initialised weights; submodules are registered in declaration order.</summary>");
            w.Line(Code.GeneratedCode);
            w.Line($"public {className}()");
            w.Line($"    : base(nameof({className}))");
            using (w.Block(""))
            {
                foreach (var layer in plan.Layers)
                {
                    WriteCreation(w, layer.Spec, layer.Result, inPlace);
                }

                foreach (var group in plan.Inlined)
                {
                    // No module of its own: the field holds the layers written in its place, registered as the network's.
                    w.Line($"{group.Identifier} = new {Code.Module}[] {{ {string.Join(", ", group.Layers)} }};");
                }

                if (plan.Layers.Count > 0)
                {
                    w.Line();
                }

                Registration.Write(w, layers, plan.Inlined.Select(g => g.Identifier));
            }

            w.Line();
            Registration.WriteRegisterComponents(w, layers);
            var blocks = BlocksOf(plan.Layers.Select(l => (l.Spec, l.Result)));
            new ModuleSkeleton
            {
                ClassName = className,
                FuseCref = "Fuse(bool)",
                FusedState =
                [
                    ("/// <summary>Set by <see cref=\"Fuse(bool)\"/>: the fused path stores its input channels-last (NHWC) first.</summary>", $"private bool {ForwardWriter.ChannelsLastField};"),
                    PrecisionPlanWriter.State,
                ],
                FuseDoc =
                [
                    ForwardWriter.FuseSummary(new[] { layers }, layers.Any(l => l is UseSpec or StageSpec), projection: false),
                    "/// <param name=\"channelsLast\">Whether the fused path runs channels-last (NHWC): faster on some devices and batch sizes, slower on others; docs/performance.md has the measurements. A later call on a fused network sets it again.</param>",
                ],
                FuseParameters = "bool channelsLast = false",
                AlreadyFused = f => f.Line($"this.{ForwardWriter.ChannelsLastField} = channelsLast;"),
                FuseBody = f =>
                {
                    ForwardWriter.WriteFolds(f, layers, blocks, fold: true);
                    f.Line($"this.{ForwardWriter.ChannelsLastField} = channelsLast;");
                },
                ForwardDoc =
                [
                    $"/// <summary>Runs the network on a batch of shape [N, {ShapeText(plan)}]; after <see cref=\"Fuse(bool)\"/>, on the fused inference path.</summary>",
                    "/// <exception cref=\"global::System.ArgumentException\">The input is not of that shape, or not of the dtype and on the device of the parameters.</exception>",
                ],
                ForwardPrologue = f =>
                {
                    string first = Code.Literal(plan.Layers.Count > 0 ? plan.Layers[0].Spec.Name : "input");
                    long height = plan.RequiresInputSize ? plan.Input.Height : 0;
                    long width = plan.RequiresInputSize ? plan.Input.Width : 0;
                    f.Line($"{Code.InputCheck}.Require(this, input, nameof({className}), {first}, channels: {Code.Literal(plan.Input.Channels)}, height: {Code.Literal(height)}, width: {Code.Literal(width)}, anyFloat: {PrecisionPlanWriter.AnyFloat});");
                },
                EmptyForward = plan.Layers.Count == 0 ? "return input.alias();" : null,
                TrainingBody = f =>
                {
                    ForwardWriter.WriteChain(f, layers, ForwardPath.Training, "x", "input", declare: true, sourceIsTemporary: false, new HashSet<string>());
                    f.Line("return x.MoveToOuterDisposeScope();");
                },
                FusedBody = f =>
                {
                    f.Line(PrecisionPlanWriter.Entry);
                    ForwardWriter.WriteChain(f, layers, ForwardPath.Fused, "x", "x", declare: false, sourceIsTemporary: false, new HashSet<string>());
                    f.Line(PrecisionPlanWriter.Exit);
                },
            }.WriteMembers(w);
            var planned = plan.Layers.Select(l => (l.Spec, l.Result)).ToList();
            PrecisionPlanWriter.WriteFuse(w, className, layers, blocks, PrecisionPlanWriter.HasSqueezeExcite(planned), PrecisionPlanWriter.HasMatrixProductCandidate(planned));
        }

        return w.ToString();
    }

    /// <summary>
    /// The statement creating one layer's module: its construction, a used block's constructor call, or a stage's
    /// <c>Sequential</c> whose children 0, 1, ... are the blocks, one per line. Shared with blocks' own modules.
    /// </summary>
    public static void WriteCreation(SourceWriter w, LayerSpec spec, LayerResult result, ISet<string> inPlace)
    {
        if (spec is StageSpec)
        {
            w.Line($"{spec.Identifier} = {Code.Nn}.Sequential(");
            for (int i = 0; i < result.Instances.Count; i++)
            {
                string end = i == result.Instances.Count - 1 ? "));" : "),";
                string child = ((StageSpec)spec).ChildKey.Replace(StateKey.Append, Code.Literal(i));
                w.Line($"    ({Code.Literal(child)}, {NewBlock(result.Instances[i])}{end}");
            }
        }
        else if (spec is UseSpec)
        {
            w.Line($"{spec.Identifier} = {NewBlock(result.Instances[0])};");
        }
        else
        {
            var create = result.Create!;
            if (inPlace.Contains(spec.Name))
            {
                create = create with { Arguments = create.Arguments.Concat(new[] { Make.Arg("inplace", true) }).ToEquatableArray() };
            }

            w.Line($"{spec.Identifier} = {Code.Construct(create)};");
        }
    }

    /// <summary>The block class each stage or used block creates, for <c>Fuse()</c>.</summary>
    public static IReadOnlyDictionary<LayerSpec, TypeName> BlocksOf(IEnumerable<(LayerSpec Spec, LayerResult Result)> layers) =>
        layers.Where(l => l.Spec is StageSpec or UseSpec && l.Result.Instances.Count > 0).ToDictionary(l => l.Spec, l => l.Result.Instances[0].Block);

    private static string NewBlock(BlockInstance instance)
    {
        var arguments = new[] { $"inChannels: {Code.Size(instance.InChannels)}", $"stride: {Code.Size(instance.Stride)}" }
            .Concat(instance.Arguments.Select(a => $"{a.Name}: {Code.IntSize(a.Value)}"))
            .Concat(OptionArguments(instance.Options));
        return $"new {Code.Type(instance.Block)}({string.Join(", ", arguments)})";
    }

    /// <summary>The block options a stage or use sets, by the names the block's constructor gives them (see <c>BlockEmitter</c>).</summary>
    private static IEnumerable<string> OptionArguments(BlockOptions options)
    {
        if (options.Residual is { } residual)
        {
            yield return "residual: " + Code.Literal(residual);
        }

        if (options.IdentityOrNone is { } identityOrNone)
        {
            yield return "shortcut: global::SeDsl.ShortcutPolicy." + (identityOrNone ? "IdentityOrNone" : "Projection");
        }

        if (options.ShortcutKernel is { } kernel)
        {
            yield return "shortcutKernel: " + Code.Literal(kernel);
        }

        if (options.ReluAfterAddition is { } relu)
        {
            yield return "afterAddition: global::SeDsl.ResidualActivation." + (relu ? "ReLU" : "None");
        }

        if (options.ResidualScale is { } scale)
        {
            yield return "residualScale: " + Code.Literal(scale);
        }
    }

    private static string ShapeText(NetworkPlan plan) => plan.RequiresInputSize
        ? $"{plan.Input.Channels}, {plan.Input.Height}, {plan.Input.Width}"
        : $"{plan.Input.Channels}, H, W";
}
