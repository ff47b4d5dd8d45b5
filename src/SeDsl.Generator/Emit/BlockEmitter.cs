using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// Writes a block's module: a constructor taking the input channels, the stride and the block's parameters, which creates
/// every layer with the sizes the analysis derived over them; and <c>forward</c>, with the residual addition.
/// </summary>
internal static class BlockEmitter
{
    /// <param name="fileScopedNamespace">Whether the project's C# has file-scoped namespaces (10 and later).</param>
    public static string Emit(BlockPlan plan, bool fileScopedNamespace)
    {
        // The layers this module has: one whose When is false for any parameters is left out; an optional one keeps its condition.
        var results = plan.Layers.ToDictionary(l => l.Spec, l => l.Result);
        var block = plan.Spec with { Layers = plan.Spec.Layers.Where(results.ContainsKey).ToEquatableArray() };
        var optional = new HashSet<LayerSpec>(plan.Layers.Where(l => l.Result.Optional).Select(l => l.Spec));
        string className = block.Type.Name;
        var inPlace = new HashSet<string>();
        var form = ShortcutForm.Of(plan);
        WriteForwardBody(new SourceWriter(discard: true), block, form, ForwardPath.Training, inPlace, optional);

        var w = new SourceWriter();
        using (ModuleSkeleton.Header(w, block.Type.Namespace, className, "Block", fileScopedNamespace))
        using (w.Block(ModuleSkeleton.ClassLine(className)))
        {
            if (form.Dynamic)
            {
                ModuleSkeleton.Member(w, "/// <summary>Whether the shortcut is added to the body's output, as the constructor's options and the input's shape decide.</summary>",
                    "private readonly bool addsShortcut;");
            }
            else if (block.Residual && block.ShortcutIdentityOrNone)
            {
                ModuleSkeleton.Member(w, "/// <summary>Whether the input is added to the body's output: only when stride and channels are unchanged (an inverted residual).</summary>",
                    "private readonly bool addsShortcut;");
            }

            if (form.MayProject)
            {
                ModuleSkeleton.Member(w, "/// <summary>The projection shortcut, created when the stride or the channel count changes; null for the identity shortcut.</summary>",
                    $"private readonly {Code.Sequential}? downsample;");
            }

            if (form.ReluField)
            {
                ModuleSkeleton.Member(w, "/// <summary>Whether a ReLU follows the residual addition (the constructor's <c>afterAddition</c>).</summary>",
                    "private readonly bool reluAfterAddition;");
            }

            if (form.ScaleField)
            {
                ModuleSkeleton.Member(w, "/// <summary>The factor on the body's output before the residual addition (the constructor's <c>residualScale</c>).</summary>",
                    "private readonly double residualScale;");
            }

            var parameters = new[] { "long inChannels", "long stride" }
                .Concat(block.Parameters.Select(p => (p.Type.Kind == ValueKind.Enum ? Code.Global(p.Type.EnumType) : p.Type.CSharp) + " " + p.Name))
                .Concat(OptionParameters(block, plan.Options));
            w.Line("/// <summary>Creates the block for <paramref name=\"inChannels\"/> input channels; <paramref name=\"stride\"/> applies where the block says <c>Strides.OfBlock</c>.</summary>");
            if (plan.Options != UseSiteOption.None)
            {
                w.Line("/// <remarks>The residual options default to the block's own <c>[Block(...)]</c> ones; a <c>[Stage]</c> or <c>[Use]</c> that sets one passes it.</remarks>");
            }

            w.Line(Code.GeneratedCode);
            w.Line($"public {className}({string.Join(", ", parameters)})");
            w.Line($"    : base(nameof({className}))");
            using (w.Block(""))
            {
                // Sizes are read from the parameters' fields and computed in checked 64-bit arithmetic, as the analysis computes them.
                foreach (var p in block.Parameters)
                {
                    w.Line($"this.{p.Name} = {p.Name};");
                }

                // An optional layer's if-block is set off from the next creation by a blank line (the registrations below
                // bring their own).
                bool afterIf = false;
                foreach (var layer in block.Layers)
                {
                    if (afterIf)
                    {
                        w.Line();
                        afterIf = false;
                    }

                    if (optional.Contains(layer))
                    {
                        using (w.Block($"if ({Code.Value(results[layer].Condition)})"))
                        {
                            NetworkEmitter.WriteCreation(w, layer, results[layer], inPlace);
                        }

                        afterIf = true;
                    }
                    else
                    {
                        NetworkEmitter.WriteCreation(w, layer, results[layer], inPlace);
                    }
                }

                // The body's registrations, before the projection's or (ShortcutFirst, torchvision's RegNet) after it.
                void Register() => Registration.Write(w, block.Layers, block.Parameters.Select(p => p.Name).Concat(["inChannels", "stride", "downsample", "addsShortcut", "reluAfterAddition"])
                    .Concat(BlockOptions.Names.Select(o => o.Parameter)), optional);

                if (!block.ShortcutFirst)
                {
                    w.Line();
                    Register();
                }

                if (form.Dynamic)
                {
                    WriteDynamicShortcut(w, plan, form);
                }
                else if (plan.Projection is { } same && block.ShortcutIdentityOrNone)
                {
                    w.Line();
                    w.Line(plan.ProjectionWhenChannelsDiffer ? $"addsShortcut = stride == 1 && inChannels == {Code.Size(same)};" : "addsShortcut = stride == 1;");
                }
                else if (plan.Projection is { } output)
                {
                    w.Line();
                    string condition = plan.ProjectionWhenChannelsDiffer ? $"stride != 1 || inChannels != {Code.Size(output)}" : "stride != 1";
                    using (w.Block($"if ({condition})"))
                    {
                        WriteProjection(w, block, output, plan.Options);
                    }
                }

                if (form.ReluField)
                {
                    w.Line();
                    w.Line("reluAfterAddition = afterAddition == global::SeDsl.ResidualActivation.ReLU;");
                }

                if (form.ScaleField)
                {
                    if (!form.ReluField)
                    {
                        w.Line();
                    }

                    w.Line("this.residualScale = residualScale;");
                }

                if (block.ShortcutFirst)
                {
                    w.Line();
                    Register();
                }
            }

            w.Line();
            Registration.WriteRegisterComponents(w, block.Layers, renamedShortcut: form.MayBeResidual && block.ShortcutName != "downsample");
            var groups = Groups(block);

            // A parallel block's body layers each see the input: none follows another, so none folds.
            var folded = block.Parallel ? groups.Skip(1).ToList() : groups;
            var blocks = NetworkEmitter.BlocksOf(plan.Layers.Select(l => (l.Spec, l.Result)));
            new ModuleSkeleton
            {
                ClassName = className,
                FusedState = form.MayProject
                    ? [("/// <summary>Set by <see cref=\"Fuse\"/>: the projection shortcut's convolution with its batch norm folded in; null for the identity shortcut.</summary>", $"private {Code.Module}? {ForwardWriter.FusedShortcut};")]
                    : [],
                FuseDoc = [ForwardWriter.FuseSummary(folded, groups.SelectMany(g => g).Any(l => l is UseSpec or StageSpec), form.MayProject, optional)],
                FuseBody = f =>
                {
                    foreach (var group in groups)
                    {
                        ForwardWriter.WriteFolds(f, group, blocks, fold: folded.Contains(group), optional);
                    }

                    if (form.MayProject)
                    {
                        using (f.Block("if (this.downsample is not null)"))
                        {
                            f.Line($"this.{ForwardWriter.FusedShortcut} = {Code.ConvBatchNorm}.Fold(this.downsample);");
                        }

                        f.Line();
                    }
                },
                ForwardDoc = ["/// <summary>Runs the block on a batch of shape [N, inChannels, H, W]; after <see cref=\"Fuse\"/>, on the fused inference path.</summary>"],
                TrainingBody = f => WriteForwardBody(f, block, form, ForwardPath.Training, new HashSet<string>(), optional),
                FusedBody = f => WriteForwardBody(f, block, form, ForwardPath.Fused, new HashSet<string>(), optional),
            }.WriteMembers(w);
        }

        return w.ToString();
    }

    /// <summary>
    /// The block's layers as the sequences forward applies: the body (a parallel block's branches), the layers after the
    /// concatenation, the shortcut's layers, the layers after the addition.
    /// </summary>
    private static List<List<LayerSpec>> Groups(BlockSpec block) =>
        new[] { Placement.Body, Placement.AfterConcatenation, Placement.Shortcut, Placement.AfterAddition }
            .Select(p => block.Layers.Where(l => l.Placement == p).ToList())
            .ToList();

    /// <summary>
    /// forward's statements after its dispose scope: the body (its last layer, an SE block of a residual block, becomes
    /// the tail: one addcmul when fused, a multiplication and an in-place addition when training; in a parallel block the
    /// concatenated branches and the layers after the concatenation), the shortcut, the addition, the layers after it.
    /// </summary>
    private static void WriteForwardBody(SourceWriter w, BlockSpec block, ShortcutForm form, ForwardPath path, ISet<string> inPlace, ISet<LayerSpec> optional)
    {
        var body = block.Layers.Where(l => l.Placement == Placement.Body).ToList();
        var concatenated = block.Layers.Where(l => l.Placement == Placement.AfterConcatenation).ToList();
        string? scale = form.Scale(block);
        bool temporary;
        SqueezeExciteSpec? tail = null;
        bool squeezedTail = false;
        if (block.Parallel && body.Count > 0 && !body.Any(optional.Contains))
        {
            w.Line($"var x = {Code.Torch}.cat(new[] {{ {string.Join(", ", body.Select(l => ForwardWriter.Invoke(l.Identifier, "input", path)))} }}, 1);");
            temporary = true;
        }
        else if (block.Parallel && body.Count > 0)
        {
            // Some branches exist only when their condition holds: the outputs of those that exist, in declaration order.
            w.Line($"var branches = new global::System.Collections.Generic.List<{Code.Tensor}>();");
            foreach (var l in body)
            {
                string add = $"branches.Add({ForwardWriter.Invoke(l.Identifier, "input", path)});";
                w.Line(optional.Contains(l) ? $"if (this.{l.Identifier} is not null) {add}" : add);
            }

            w.Line($"var x = {Code.Torch}.cat(branches, 1);");
            temporary = true;
        }
        else
        {
            if (!form.Dynamic && block.Residual && !block.ShortcutIdentityOrNone && scale is null && body.Count > 0 && body[body.Count - 1] is SqueezeExciteSpec se)
            {
                // x * gate + shortcut as one addcmul (the paper's Caffe "Axpy" layer) instead of a multiplication and an
                // addition; for an optional SE, where it exists.
                tail = se;
                body.RemoveAt(body.Count - 1);
            }

            int through = path == ForwardPath.Fused && tail is not null ? SqueezedConvolution(body, optional) : -1;
            if (through < 0)
            {
                temporary = ForwardWriter.WriteChain(w, body, path, "x", "input", declare: true, sourceIsTemporary: false, inPlace, optional);
            }
            else
            {
                // The gate's squeeze taken of the convolution's input (SqueezeThrough: a 1x1 convolution commutes with the
                // average, and its input is narrower); null where the runtime does not apply it, and the tail squeezes x.
                bool before = ForwardWriter.WriteChain(w, body.GetRange(0, through), path, "x", "input", declare: true, sourceIsTemporary: false, inPlace, optional);
                var conv = body[through];
                string convolution = conv.FieldHoldsBase ? $"((global::TorchSharp.Modules.Conv2d)this.{conv.Identifier})" : $"this.{conv.Identifier}";
                string squeeze = $"{ForwardWriter.Gate(tail!)}{(optional.Contains(tail!) && !tail!.FieldHoldsBase ? "?" : "")}.SqueezeThrough({convolution}, x)";
                squeeze = optional.Contains(tail!) && tail!.FieldHoldsBase ? $"this.{tail.Identifier} is null ? null : {squeeze}" : squeeze;
                squeeze = optional.Contains(conv) ? $"this.{conv.Identifier} is null ? null : {squeeze}" : squeeze;
                w.Line($"// {tail!.Name} squeezes the input of {conv.Name} (SqueezeThrough: bfloat16 only; otherwise null, and ScaleAdd squeezes x).");
                w.Line($"var squeezed = {squeeze};");
                temporary = ForwardWriter.WriteChain(w, body.GetRange(through, body.Count - through), path, "x", "x", declare: false, sourceIsTemporary: before, inPlace, optional);
                squeezedTail = true;
            }
        }

        if (concatenated.Count > 0)
        {
            temporary = ForwardWriter.WriteChain(w, concatenated, path, "x", "x", declare: false, sourceIsTemporary: temporary, inPlace, optional);
        }

        // The layer whose output x holds before the addition: the body's last, or the last after the concatenation.
        var last = concatenated.Count > 0 ? concatenated[concatenated.Count - 1] : body.LastOrDefault();

        string relu = block.ReluAfterAddition && !form.ReluField ? ".relu_()" : "";
        void ReluField()
        {
            if (form.ReluField)
            {
                w.Line("if (this.reluAfterAddition) x = x.relu_();");
            }
        }

        if (form.Dynamic)
        {
            // The options decide at construction whether there is a shortcut, so the addition is conditional.
            string projection = path == ForwardPath.Fused ? ForwardWriter.FusedShortcut : "downsample";
            bool inPlaceAdd = temporary && (path == ForwardPath.Fused || last is { KeepsNoOutputForBackward: true } && !optional.Contains(last));
            using (w.Block("if (this.addsShortcut)"))
            {
                string shortcut = "input";
                if (form.MayProject)
                {
                    shortcut = "shortcut";
                    w.Line($"var shortcut = this.{projection} is null ? input : {Projection(block, projection, path)};");
                    ForwardWriter.WriteChain(w, block.Layers.Where(l => l.Placement == Placement.Shortcut).ToList(), path, "shortcut", "shortcut", declare: false, sourceIsTemporary: false, inPlace, optional);
                }

                w.Line(scale is not null ? $"x = {shortcut}.add(x, alpha: {scale}){relu};"
                    : inPlaceAdd ? $"x = x.add_({shortcut}){relu};" : $"x = x.add({shortcut}){relu};");
                ReluField();
            }

            w.Line();
            ForwardWriter.WriteChain(w, block.Layers.Where(l => l.Placement == Placement.AfterAddition).ToList(), path, "x", "x", declare: false, sourceIsTemporary: true, inPlace, optional);
        }
        else if (block.Residual && block.ShortcutIdentityOrNone)
        {
            using (w.Block("if (this.addsShortcut)"))
            {
                bool inPlaceAdd = temporary && (path == ForwardPath.Fused || last is { KeepsNoOutputForBackward: true } && !optional.Contains(last));
                w.Line(scale is not null ? $"x = input.add(x, alpha: {scale}){relu};" : inPlaceAdd ? $"x = x.add_(input){relu};" : $"x = x.add(input){relu};");
                ReluField();
            }

            w.Line();
        }
        else if (block.Residual)
        {
            string projection = path == ForwardPath.Fused ? ForwardWriter.FusedShortcut : "downsample";
            w.Line($"var shortcut = this.{projection} is null ? input : {Projection(block, projection, path)};");
            ForwardWriter.WriteChain(w, block.Layers.Where(l => l.Placement == Placement.Shortcut).ToList(), path, "shortcut", "shortcut", declare: false, sourceIsTemporary: false, inPlace, optional);
            if (scale is not null)
            {
                // Inception-ResNet scales the body before the addition: shortcut + scale * x in one call.
                w.Line($"x = shortcut.add(x, alpha: {scale}){relu};");
            }
            else
            {
                // In place only where x is this method's own temporary and, when training, autograd saved nothing of it.
                bool inPlaceAdd = temporary && (path == ForwardPath.Fused || last is { KeepsNoOutputForBackward: true } && !optional.Contains(last));
                string add = inPlaceAdd ? $"x = x.add_(shortcut){relu};" : $"x = x.add(shortcut){relu};";

                // Under autograd the SE tail keeps the multiplication's backward that hand-written code gets, and the addition
                // and ReLU run in place on its result, which nothing saved (docs/performance.md has the measurements). Fused,
                // it writes over x where x is this method's own temporary (ScaleAddInPlace: one managed pass in bfloat16).
                string fusedTail = temporary ? "ScaleAddInPlace" : "ScaleAdd";
                string? scaled = tail is null ? null
                    : path == ForwardPath.Fused ? $"x = {ForwardWriter.Gate(tail)}.{fusedTail}(x, shortcut{(squeezedTail ? ", squeezed" : "")}){relu};"
                    : $"x = {ForwardWriter.Gate(tail)}.Scale(x).add_(shortcut){relu};";
                if (tail is not null && optional.Contains(tail))
                {
                    using (w.Block($"if (this.{tail.Identifier} is not null)"))
                    {
                        w.Line(scaled!);
                    }

                    using (w.Block("else"))
                    {
                        w.Line(add);
                    }

                    w.Line();
                }
                else
                {
                    w.Line(scaled ?? add);
                }
            }

            ReluField();
            ForwardWriter.WriteChain(w, block.Layers.Where(l => l.Placement == Placement.AfterAddition).ToList(), path, "x", "x", declare: false, sourceIsTemporary: true, inPlace, optional);
        }

        if (!temporary && !(block.Residual && !block.ShortcutIdentityOrNone && !form.Dynamic))
        {
            if (path == ForwardPath.Fused)
            {
                // Every layer here may hand back its input or a view of it (absent, or the identity at inference), and the
                // caller's fused code writes over what a block returns (in-place activations, add_, ScaleAddInPlace): a copy
                // where x shares the input's memory, so that it never writes over its own input.
                w.Line($"return {Code.MemoryLayout}.Detached(x, input).MoveToOuterDisposeScope();");
                return;
            }

            // Every layer here may hand back its input (absent, or the identity at inference). A Sequential disposes what
            // one block passes to the next, so the block must not return the tensor it was given: a new handle instead.
            using (w.Block("if (global::System.Object.ReferenceEquals(x, input))"))
            {
                w.Line("return x.alias().MoveToOuterDisposeScope();");
            }

            w.Line();
        }

        w.Line("return x.MoveToOuterDisposeScope();");
    }

    /// <summary>
    /// The index of the convolution that ends <paramref name="body"/> (the SE tail removed), followed only by the batch
    /// norms folded into it, whose input the fused tail squeezes (<c>SqueezeExcitation.SqueezeThrough</c>, which checks
    /// at run time that it is 1x1, stride 1, unpadded and ungrouped); -1 when the body ends otherwise.
    /// </summary>
    private static int SqueezedConvolution(List<LayerSpec> body, ISet<LayerSpec> optional)
    {
        var folded = ForwardWriter.FoldedPairs(body, optional);
        int last = body.Count - 1;
        while (last >= 0 && body[last] is BatchNormSpec)
        {
            last--;
        }

        if (last < 0 || body[last] is not ConvSpec)
        {
            return -1;
        }

        var conv = body[last];
        return body.Skip(last + 1).All(norm => folded.Any(p => p.Conv.Equals(conv) && p.Norm.Equals(norm))) ? last : -1;
    }

    /// <summary>
    /// What the module's shortcut code must allow, given the options its uses set: <see cref="Dynamic"/> when a use may
    /// switch the addition on or off (Residual or Shortcut), so the constructor decides it; otherwise the block's own form.
    /// </summary>
    private sealed record ShortcutForm(bool MayBeResidual, bool Dynamic, bool MayProject, bool ReluField, bool ScaleField)
    {
        /// <summary>The factor forward puts on the body's output before the addition, as C#; null for none (1).</summary>
        public string? Scale(BlockSpec block) => ScaleField ? "this.residualScale" : block.ResidualScale != 1.0 ? Code.Literal(block.ResidualScale) : null;

        public static ShortcutForm Of(BlockPlan plan)
        {
            var block = plan.Spec;
            bool mayBeResidual = block.Residual || (plan.Options & UseSiteOption.Residual) != 0;
            bool dynamic = mayBeResidual && (plan.Options & (UseSiteOption.Residual | UseSiteOption.Shortcut)) != 0;
            bool mayProject = mayBeResidual && (!block.ShortcutIdentityOrNone || (plan.Options & UseSiteOption.Shortcut) != 0);
            return new ShortcutForm(mayBeResidual, dynamic, mayProject, mayBeResidual && (plan.Options & UseSiteOption.AfterAddition) != 0,
                mayBeResidual && (plan.Options & UseSiteOption.ResidualScale) != 0);
        }
    }

    /// <summary>The constructor's option parameters, for the options some use sets, each defaulting to the block's own.</summary>
    private static IEnumerable<string> OptionParameters(BlockSpec block, UseSiteOption options)
    {
        if ((options & UseSiteOption.Residual) != 0)
        {
            yield return "bool residual = " + Code.Literal(block.Residual);
        }

        if ((options & UseSiteOption.Shortcut) != 0)
        {
            yield return "global::SeDsl.ShortcutPolicy shortcut = global::SeDsl.ShortcutPolicy." + (block.ShortcutIdentityOrNone ? "IdentityOrNone" : "Projection");
        }

        if ((options & UseSiteOption.ShortcutKernel) != 0)
        {
            yield return "long shortcutKernel = " + Code.Literal(block.ShortcutKernel);
        }

        if ((options & UseSiteOption.AfterAddition) != 0)
        {
            yield return "global::SeDsl.ResidualActivation afterAddition = global::SeDsl.ResidualActivation." + (block.ReluAfterAddition ? "ReLU" : "None");
        }

        if ((options & UseSiteOption.ResidualScale) != 0)
        {
            yield return "double residualScale = " + Code.Literal(block.ResidualScale);
        }
    }

    /// <summary>The projection applied to the block's input; on the fused path through <c>MatrixProductConvolution</c>.</summary>
    private static string Projection(BlockSpec block, string projection, ForwardPath path) =>
        path == ForwardPath.Fused ? ForwardWriter.InvokeConvolution(projection, "input") : ForwardWriter.Invoke(projection, "input", path);

    /// <summary>The projection shortcut's creation and registration: a k x k convolution (k the block's or the constructor's <c>shortcutKernel</c>), then batch norm.</summary>
    private static void WriteProjection(SourceWriter w, BlockSpec block, Expr output, UseSiteOption options)
    {
        bool kernelParameter = (options & UseSiteOption.ShortcutKernel) != 0;
        string kernel = kernelParameter ? "shortcutKernel" : Code.Literal(block.ShortcutKernel);
        string padding = kernelParameter ? "padding: (shortcutKernel - 1) / 2, " : block.ShortcutKernel == 1 ? "" : $"padding: {Code.Literal((block.ShortcutKernel - 1) / 2)}, ";
        w.Line($"downsample = {Code.Nn}.Sequential(");
        w.Line($"    (\"0\", {Code.Nn}.Conv2d(in_channels: inChannels, out_channels: {Code.Size(output)}, kernel_size: {kernel}, stride: stride, {padding}bias: false)),");
        w.Line($"    (\"1\", {Code.Nn}.BatchNorm2d(num_features: {Code.Size(output)})));");
        w.Line(block.ShortcutName == "downsample" ? "register_module(nameof(downsample), downsample);" : $"register_module({Code.Literal(block.ShortcutName)}, downsample);");
    }

    /// <summary>
    /// The constructor's shortcut decision when a use may switch it: <c>addsShortcut</c> from the options (residual, shortcut
    /// policy) and whether stride or channels change; the projection where it adds one and the shape changes.
    /// </summary>
    private static void WriteDynamicShortcut(SourceWriter w, BlockPlan plan, ShortcutForm form)
    {
        var block = plan.Spec;
        if (plan.Projection is not { } output)
        {
            return;
        }

        string keeps = plan.ProjectionWhenChannelsDiffer ? $"stride == 1 && inChannels == {Code.Size(output)}" : "stride == 1";
        string changes = plan.ProjectionWhenChannelsDiffer ? $"stride != 1 || inChannels != {Code.Size(output)}" : "stride != 1";
        var terms = new List<string>();
        if ((plan.Options & UseSiteOption.Residual) != 0)
        {
            terms.Add("residual");
        }

        if ((plan.Options & UseSiteOption.Shortcut) != 0)
        {
            terms.Add($"(shortcut == global::SeDsl.ShortcutPolicy.Projection || ({keeps}))");
        }
        else if (block.ShortcutIdentityOrNone)
        {
            terms.Add(keeps);
        }

        w.Line();
        w.Line($"addsShortcut = {string.Join(" && ", terms)};");
        if (form.MayProject)
        {
            using (w.Block($"if (addsShortcut && ({changes}))"))
            {
                WriteProjection(w, block, output, plan.Options);
            }
        }
    }
}
