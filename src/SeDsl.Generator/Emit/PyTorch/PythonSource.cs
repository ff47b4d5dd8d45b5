using System;
using System.Collections.Generic;
using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>The Python file of one network: header, the helpers its layers need, its blocks, the network.</summary>
internal sealed class PythonSource
{
    private readonly PyTorchExportInput input;
    private readonly Dictionary<string, string> classNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> parameterNames = new(StringComparer.Ordinal);
    private readonly SortedSet<PythonHelper> helpers = new();
    private readonly List<TypeName> missing;
    private readonly HashSet<string> taken = new(StringComparer.Ordinal) { "torch", "nn", "enum", "reduced_width", "make_divisible", "activation_module", "SqueezeExcitation", "ChannelShuffle", "DropPath", "OrderedDict" };

    // Enums by full C# name: the members known (block parameters' types, SeDsl's own enums), the Python class names
    // given so far, and each class's member names.
    private readonly Dictionary<string, DslType> enumTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> enumNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> enumMembers = new(StringComparer.Ordinal);

    // The class being written: each layer's expression in forward, each state-key container's kind (Sequential when its
    // children are 0, 1, ... in order, else ModuleDict) and the containers created so far.
    private Dictionary<string, string> access = new(StringComparer.Ordinal);
    private Dictionary<string, (string Path, string Leaf)> keyed = new(StringComparer.Ordinal);
    private Dictionary<string, bool> sequential = new(StringComparer.Ordinal);
    private HashSet<string> created = new(StringComparer.Ordinal);

    // Sequential containers whose children are consecutive layers of one chain: forward calls the container once (as
    // torchvision calls features), which also holds where an optional child shifts the numbering. Layer name -> path.
    private Dictionary<string, string> pipeline = new(StringComparer.Ordinal);
    private bool orderedDict;

    public PythonSource(PyTorchExportInput input)
    {
        this.input = input;
        foreach (var type in new[] { ChosenActivationSpec.Type, SqueezeExciteSpec.SqueezeType, SqueezeExciteSpec.GateType })
        {
            enumTypes[type.EnumType] = type;
        }

        foreach (var block in input.Blocks)
        {
            classNames[block.Type.MetadataName] = PythonNames.Unique(block.Type.Name, taken);
            var names = new Dictionary<string, string>(StringComparer.Ordinal) { [Scope.InChannels] = "in_channels", [Scope.StrideName] = "stride" };

            // Parameters may not hide the builtins and helpers that sizes call.
            var own = new HashSet<string>(StringComparer.Ordinal) { "self", "in_channels", "stride", "x", "max", "min", "reduced_width", "make_divisible", "activation_module" };
            foreach (var parameter in block.Spec.Parameters)
            {
                names[parameter.Name] = PythonNames.Unique(PythonNames.Snake(parameter.Name), own);
                if (parameter.Type.Kind == ValueKind.Enum && parameter.Type.Members.Count > 0 && !enumTypes.ContainsKey(parameter.Type.EnumType))
                {
                    enumTypes[parameter.Type.EnumType] = parameter.Type;
                }
            }

            parameterNames[block.Type.MetadataName] = names;
        }

        classNames[input.Network.Type.MetadataName] = PythonNames.Unique(input.Network.Type.Name, taken);

        // Blocks that a stage names without a plan: none in a valid network; a guard so that the file stays honest.
        missing = input.Network.Layers.SelectMany(l => l.Result.Instances)
            .Concat(input.Blocks.SelectMany(b => b.Layers).SelectMany(l => l.Result.Instances))
            .Select(i => i.Block).Where(t => !classNames.ContainsKey(t.MetadataName)).Distinct().ToList();
        foreach (var type in missing)
        {
            classNames[type.MetadataName] = PythonNames.Unique(type.Name, taken);
        }
    }

    public PythonWriter Write()
    {
        // Classes first, so that the helpers they need are known when the header is written.
        var classes = input.Blocks.Select(WriteBlock).ToList();
        classes.AddRange(MissingBlocks());
        classes.Add(WriteNetwork());

        // The SE helper picks its inner activation's module; both name SeDsl's enums.
        if (helpers.Contains(PythonHelper.SqueezeExcitation))
        {
            helpers.Add(PythonHelper.ActivationModule);
            EnumClass(SqueezeExciteSpec.SqueezeType.EnumType);
            EnumClass(SqueezeExciteSpec.GateType.EnumType);
        }

        if (helpers.Contains(PythonHelper.ActivationModule))
        {
            EnumClass(ChosenActivationSpec.EnumType);
        }

        var w = new PythonWriter();
        w.Line($"# Generated by SeDsl.Generator from the [Network] declaration of {input.Network.Type.MetadataName}. Do not edit.");
        w.Line("# The TorchSharp class's submodules under the same names in the same order: state_dict() has the same keys,");
        w.Line("# shapes and order, so weights move both ways (docs/pytorch-export.md).");
        if (enumNames.Count > 0)
        {
            w.Line("import enum");
            w.Line();
        }

        if (orderedDict)
        {
            w.Line("from collections import OrderedDict");
            w.Line();
        }

        w.Line("import torch");
        w.Line("from torch import nn");
        foreach (var type in enumNames.OrderBy(e => e.Value, StringComparer.Ordinal))
        {
            w.Line().Line();
            WriteEnum(w, type.Key, type.Value);
        }

        foreach (var helper in helpers)
        {
            w.Line().Line();
            PythonHelpers.Write(w, helper, EnumClass);
        }

        foreach (var text in classes)
        {
            w.Line().Line();
            foreach (string line in text.Lines())
            {
                w.Line(line.TrimEnd('\n'));
            }
        }

        return w;
    }

    /// <summary>The Python class of the enum <paramref name="fullName"/>, named on first use (which puts it into the file).</summary>
    private string EnumClass(string fullName)
    {
        if (!enumNames.TryGetValue(fullName, out var name))
        {
            name = PythonNames.Unique(fullName.Substring(fullName.LastIndexOf('.') + 1), taken);
            enumNames[fullName] = name;
            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            var used = new HashSet<string>(StringComparer.Ordinal);
            if (enumTypes.TryGetValue(fullName, out var type))
            {
                foreach (var member in type.Members)
                {
                    members[member.Name] = PythonNames.Unique(PythonNames.EnumMember(member.Name), used);
                }
            }

            enumMembers[fullName] = members;
        }

        return name;
    }

    /// <summary><c>Enum.MEMBER</c>.</summary>
    private string Member(Expr.Member m)
    {
        string type = EnumClass(m.EnumType);
        var members = enumMembers[m.EnumType];
        if (!members.TryGetValue(m.MemberName, out var member))
        {
            // An enum whose members the export was not told (none in a valid network): the members seen, by value.
            var used = new HashSet<string>(members.Values, StringComparer.Ordinal);
            member = PythonNames.Unique(PythonNames.EnumMember(m.MemberName), used);
            members[m.MemberName] = member;
            if (!enumTypes.ContainsKey(m.EnumType))
            {
                enumTypes[m.EnumType] = DslType.Enum(m.EnumType, EquatableArray<EnumMember>.Empty);
            }

            enumTypes[m.EnumType] = enumTypes[m.EnumType] with { Members = enumTypes[m.EnumType].Members.Append(new EnumMember(m.MemberName, m.Value)).ToEquatableArray() };
        }

        return type + "." + member;
    }

    /// <summary>The enum as an <c>enum.IntEnum</c> with the C# values, so that comparisons and ordering behave as in C#.</summary>
    private void WriteEnum(PythonWriter w, string fullName, string name)
    {
        w.Line($"class {name}(enum.IntEnum):");
        w.Line($"    \"\"\"The C# enum {fullName}.\"\"\"");
        w.Line();
        var members = enumMembers[fullName];
        foreach (var member in enumTypes[fullName].Members)
        {
            w.Line($"    {members[member.Name]} = {PythonWriter.Literal(member.Value)}");
        }
    }

    /// <summary>An expression as Python, recording the helpers and enums it needs.</summary>
    private string Print(Expr e, Func<string, string> name)
    {
        if (PythonExpr.Uses(e, SizeFunction.ReducedWidth))
        {
            helpers.Add(PythonHelper.ReducedWidth);
        }

        if (PythonExpr.Uses(e, SizeFunction.MakeDivisible))
        {
            helpers.Add(PythonHelper.MakeDivisible);
        }

        return PythonExpr.Print(e, name, Member);
    }

    /// <summary>A class for each block without a plan, which refuses to be built.</summary>
    private IEnumerable<PythonWriter> MissingBlocks()
    {
        foreach (var type in missing)
        {
            var w = new PythonWriter();
            w.Line($"class {classNames[type.MetadataName]}(nn.Module):");
            w.Line("    def __init__(self, *args, **kwargs):");
            w.Line($"        raise NotImplementedError({PythonWriter.Literal($"block {type.MetadataName} was not analysed, so it has no PyTorch export")})");
            yield return w;
        }
    }

    private PythonWriter WriteBlock(BlockPlan plan)
    {
        // As in the block's module: a layer whose When is false for any parameters is not in the plan, and not exported.
        var results = plan.Layers.ToDictionary(l => l.Spec, l => l.Result);
        var block = plan.Spec with { Layers = plan.Spec.Layers.Where(results.ContainsKey).ToEquatableArray() };
        var names = parameterNames[block.Type.MetadataName];
        var optional = new HashSet<string>(plan.Layers.Where(l => l.Result.Optional).Select(l => l.Spec.Name), StringComparer.Ordinal);
        var body = block.Layers.Where(l => l.Placement == Placement.Body).ToList();
        var shortcut = block.Layers.Where(l => l.Placement == Placement.Shortcut).ToList();
        var after = block.Layers.Where(l => l.Placement == Placement.AfterAddition).ToList();
        var concatenated = block.Layers.Where(l => l.Placement == Placement.AfterConcatenation).ToList();
        var inPlace = InPlace(block.Parallel ? [concatenated, shortcut, after] : [body, shortcut, after], optional);
        string Size(Expr e) => Print(e, n => names.TryGetValue(n, out var p) ? p : PythonNames.Snake(n));

        // A size written inside a comparison: a conditional or a comparison of its own needs parentheses there.
        string Operand(Expr e) => e is Expr.Choose or Expr.Condition or Expr.Not ? "(" + Size(e) + ")" : Size(e);
        Layout(block.Layers, block.Parallel ? [concatenated, shortcut, after] : [body, shortcut, after]);

        var w = new PythonWriter();
        w.Line($"class {classNames[block.Type.MetadataName]}(nn.Module):");
        w.Indent();
        w.Line($"\"\"\"The [Block] {block.Type.MetadataName}: {Describe(block, plan.Options)}.\"\"\"");
        w.Line();
        string parameters = string.Concat(block.Parameters.Select(p => ", " + names[p.Name]).Concat(OptionParameters(block, plan.Options)));
        var options = plan.Options;
        bool mayBeResidual = block.Residual || (options & UseSiteOption.Residual) != 0;
        bool dynamic = mayBeResidual && (options & (UseSiteOption.Residual | UseSiteOption.Shortcut)) != 0;
        bool mayProject = mayBeResidual && (!block.ShortcutIdentityOrNone || (options & UseSiteOption.Shortcut) != 0);
        bool reluField = mayBeResidual && (options & UseSiteOption.AfterAddition) != 0;
        bool kernelParameter = (options & UseSiteOption.ShortcutKernel) != 0;
        bool scaleField = mayBeResidual && (options & UseSiteOption.ResidualScale) != 0;
        string? scale = scaleField ? "self.residual_scale" : block.ResidualScale != 1.0 ? PythonWriter.Literal(block.ResidualScale) : null;
        w.Line($"def __init__(self, in_channels, stride{parameters}):");
        w.Indent();
        w.Line("super().__init__()");
        string projection = block.ShortcutName;

        // The projection is registered before the body where the block says so (torchvision's RegNet: ShortcutFirst).
        if (block.ShortcutFirst)
        {
            Shortcut();
        }

        foreach (var layer in block.Layers)
        {
            WriteCreation(w, layer, results[layer], Size, inPlace.Contains(layer.Name), block.Type.Name);
        }

        if (!block.ShortcutFirst)
        {
            Shortcut();
        }

        void Projection(Expr output)
        {
            string kernel = kernelParameter ? "shortcut_kernel" : PythonWriter.Literal(block.ShortcutKernel);
            string padding = kernelParameter ? ", padding=(shortcut_kernel - 1) // 2" : block.ShortcutKernel == 1 ? "" : $", padding={PythonWriter.Literal((block.ShortcutKernel - 1) / 2)}";
            Assign(w, projection,
            [
                "nn.Sequential(",
                $"    nn.Conv2d(in_channels, {Size(output)}, kernel_size={kernel}, stride=stride{padding}, bias=False),",
                $"    nn.BatchNorm2d({Size(output)}),",
                ")",
            ]);
        }

        void Shortcut()
        {
            if (reluField)
            {
                w.Line("self.relu_after_addition = after_addition == \"relu\"");
            }

            if (scaleField)
            {
                w.Line("self.residual_scale = residual_scale");
            }

            if (dynamic && plan.Projection is { } changed)
            {
                // A stage or use may switch the addition on or off: decided here from the options and the input's shape.
                string keeps = plan.ProjectionWhenChannelsDiffer ? $"stride == 1 and in_channels == {Operand(changed)}" : "stride == 1";
                string changes = plan.ProjectionWhenChannelsDiffer ? $"stride != 1 or in_channels != {Operand(changed)}" : "stride != 1";
                var terms = new List<string>();
                if ((options & UseSiteOption.Residual) != 0)
                {
                    terms.Add("residual");
                }

                if ((options & UseSiteOption.Shortcut) != 0)
                {
                    terms.Add($"(shortcut == \"projection\" or ({keeps}))");
                }
                else if (block.ShortcutIdentityOrNone)
                {
                    terms.Add(keeps);
                }

                w.Line($"self.adds_shortcut = {string.Join(" and ", terms)}");
                if (mayProject)
                {
                    w.Line($"if self.adds_shortcut and ({changes}):");
                    w.Indent();
                    Projection(changed);
                    w.Dedent();
                    w.Line("else:");
                    w.Indent();
                    Assign(w, projection, ["None"]);
                    w.Dedent();
                }
            }
            else if (block.Residual && block.ShortcutIdentityOrNone)
            {
                // The input is added only where stride and channels are unchanged; nothing is registered either way.
                if (plan.Projection is { } same)
                {
                    w.Line(plan.ProjectionWhenChannelsDiffer ? $"self.adds_shortcut = stride == 1 and in_channels == {Operand(same)}" : "self.adds_shortcut = stride == 1");
                }
            }
            else if (block.Residual)
            {
                if (plan.Projection is { } output)
                {
                    string condition = plan.ProjectionWhenChannelsDiffer ? $"stride != 1 or in_channels != {Operand(output)}" : "stride != 1";
                    w.Line($"if {condition}:");
                    w.Indent();
                    Projection(output);
                    w.Dedent();
                    w.Line("else:");
                    w.Indent();
                    Assign(w, projection, ["None"]);
                    w.Dedent();
                }
                else
                {
                    Assign(w, projection, ["None"]);
                }
            }
        }

        w.Dedent();
        w.Line();
        w.Line("def forward(self, x):");
        w.Indent();
        string result = mayBeResidual ? "out" : "x";

        // A parallel block returns the concatenation itself unless layers follow it or the shortcut is added.
        bool returnsConcatenation = !mayBeResidual && concatenated.Count == 0;
        if (block.Parallel && body.Count > 0 && body.Any(l => optional.Contains(l.Name)))
        {
            // Only the branches that exist are concatenated, as in the generated C#.
            w.Line("branches = []");
            foreach (var l in body)
            {
                string add = $"branches.append({Call(l, "x")})";
                if (optional.Contains(l.Name))
                {
                    w.Line($"if {access[l.Name]} is not None:");
                    w.Line("    " + add);
                }
                else
                {
                    w.Line(add);
                }
            }

            w.Line(returnsConcatenation ? "return torch.cat(branches, 1)" : $"{result} = torch.cat(branches, 1)");
        }
        else if (block.Parallel && body.Count > 0)
        {
            string branches = "torch.cat([" + string.Join(", ", body.Select(l => Call(l, "x"))) + "], 1)";
            w.Line(returnsConcatenation ? $"return {branches}" : $"{result} = {branches}");
        }
        else
        {
            Chain(w, body, "x", result, optional);
        }

        Chain(w, concatenated, result, result, optional);

        // The ReLU after the addition: always, never, or as the constructor's after_addition says.
        void Relu(string indent)
        {
            if (reluField)
            {
                w.Line(indent + "if self.relu_after_addition:");
                w.Line(indent + "    out = torch.relu(out)");
            }
            else if (block.ReluAfterAddition)
            {
                w.Line(indent + "out = torch.relu(out)");
            }
        }

        if (dynamic)
        {
            w.Line("if self.adds_shortcut:");
            w.Indent();
            string added = "x";
            if (mayProject)
            {
                added = "shortcut";
                w.Line($"shortcut = x if {Self(projection)} is None else {Self(projection)}(x)");
                Chain(w, shortcut, "shortcut", "shortcut", optional);
            }

            w.Line(scale is null ? $"out = out + {added}" : $"out = {added} + {scale} * out");
            Relu("");
            w.Dedent();
            Chain(w, after, "out", "out", optional);
        }
        else if (block.Residual && block.ShortcutIdentityOrNone)
        {
            if (plan.Projection is not null)
            {
                w.Line("if self.adds_shortcut:");
                w.Line(scale is null ? "    out = out + x" : $"    out = x + {scale} * out");
                Relu("    ");
            }
        }
        else if (block.Residual)
        {
            w.Line(plan.Projection is null ? "shortcut = x" : $"shortcut = x if {Self(projection)} is None else {Self(projection)}(x)");
            Chain(w, shortcut, "shortcut", "shortcut", optional);
            w.Line(scale is null ? "out = out + shortcut" : $"out = shortcut + {scale} * out");
            Relu("");
            Chain(w, after, "out", "out", optional);
        }

        if (mayBeResidual || !block.Parallel || body.Count == 0 || concatenated.Count > 0)
        {
            w.Line($"return {result}");
        }

        return w;
    }

    private PythonWriter WriteNetwork()
    {
        var plan = input.Network;
        var layers = plan.Layers.Select(l => l.Spec).ToList();
        var none = new HashSet<string>(StringComparer.Ordinal);
        var inPlace = InPlace([layers], none);
        Layout(layers, [layers]);
        var w = new PythonWriter();
        w.Line($"class {classNames[plan.Type.MetadataName]}(nn.Module):");
        w.Indent();
        w.Line($"\"\"\"The [Network] {plan.Type.MetadataName}: input {plan.Input}, {plan.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} parameters.\"\"\"");
        w.Line();
        w.Line($"input_shape = ({PythonWriter.Literal(plan.Input.Channels)}, {PythonWriter.Literal(plan.Input.Height)}, {PythonWriter.Literal(plan.Input.Width)})");
        w.Line();
        w.Line("def __init__(self):");
        w.Indent();
        w.Line("super().__init__()");
        foreach (var layer in plan.Layers)
        {
            WriteCreation(w, layer.Spec, layer.Result, e => Print(e, PythonNames.Snake), inPlace.Contains(layer.Spec.Name), plan.Type.Name);
        }

        if (plan.Layers.Count == 0)
        {
            w.Line("pass");
        }

        w.Dedent();
        w.Line();
        w.Line("def forward(self, x):");
        w.Indent();
        Chain(w, layers, "x", "x", none);
        w.Line("return x");
        return w;
    }

    /// <summary>
    /// The ReLUs that may run in place: each directly after a layer, always present, whose backward needs none of its
    /// output (after an absent optional layer the ReLU would overwrite that layer's input).
    /// </summary>
    private static HashSet<string> InPlace(IEnumerable<IReadOnlyList<LayerSpec>> chains, ISet<string> optional)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            for (int i = 1; i < chain.Count; i++)
            {
                if (chain[i] is ActivationSpec { Activation: ActivationKind.ReLU } && chain[i - 1].KeepsNoOutputForBackward && !optional.Contains(chain[i - 1].Name))
                {
                    names.Add(chain[i].Name);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// <paramref name="target"/> = each layer applied in turn, starting from <paramref name="source"/>; an optional layer
    /// only where it exists (<c>if self.layer is not None:</c>).
    /// </summary>
    private void Chain(PythonWriter w, IReadOnlyList<LayerSpec> layers, string source, string target, ISet<string> optional)
    {
        string current = source;
        string? running = null;
        foreach (var layer in layers)
        {
            if (pipeline.TryGetValue(layer.Name, out var path))
            {
                if (path != running)
                {
                    w.Line($"{target} = {Container(path)}({current})");
                    current = target;
                    running = path;
                }

                continue;
            }

            running = null;
            if (optional.Contains(layer.Name))
            {
                if (current != target)
                {
                    w.Line($"{target} = {current}");
                    current = target;
                }

                w.Line($"if {access[layer.Name]} is not None:");
                w.Line($"    {target} = {Call(layer, current)}");
                continue;
            }

            w.Line($"{target} = {Call(layer, current)}");
            current = target;
        }

        if (current != target)
        {
            w.Line($"{target} = {current}");
        }
    }

    /// <summary><c>self.name</c>, or <c>getattr</c> for a name that is no plain attribute.</summary>
    private static string Self(string name) => PythonNames.IsPlainAttribute(name) ? $"self.{name}" : $"getattr(self, {PythonWriter.Literal(name)})";

    private string Call(LayerSpec layer, string x) => $"{access[layer.Name]}({x})";

    /// <summary>
    /// Where each of a class's layers is registered, as the C# constructor registers it: under its field name, or under
    /// its state key (<c>features.#</c>, <c>classifier.0</c>) in containers, each created where its first layer is.
    /// </summary>
    private void Layout(IReadOnlyList<LayerSpec> layers, IReadOnlyList<IReadOnlyList<LayerSpec>> chains)
    {
        pipeline = new(StringComparer.Ordinal);
        access = new(StringComparer.Ordinal);
        keyed = new(StringComparer.Ordinal);
        sequential = new(StringComparer.Ordinal);
        created = new(StringComparer.Ordinal);
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [""] = [] };
        foreach (var layer in layers)
        {
            if (layer.Key is not { } key)
            {
                access[layer.Name] = Self(layer.Name);
                continue;
            }

            string path = "";
            foreach (string segment in key.Containers)
            {
                string next = path.Length == 0 ? segment : path + "." + segment;
                if (!children.ContainsKey(next))
                {
                    children[path].Add(segment);
                    children[next] = [];
                }

                path = next;
            }

            string leaf = key.Leaf == StateKey.Append ? PythonWriter.Literal(children[path].Count) : key.Leaf;
            children[path].Add(leaf);
            keyed[layer.Name] = (path, leaf);
        }

        foreach (var entry in children)
        {
            sequential[entry.Key] = entry.Key.Length > 0 && entry.Value.Select((n, i) => n == PythonWriter.Literal(i)).All(b => b);
        }

        foreach (var entry in keyed)
        {
            access[entry.Key] = Child(entry.Value.Path, entry.Value.Leaf);
        }

        foreach (var entry in children)
        {
            var members = keyed.Where(k => k.Value.Path == entry.Key).Select(k => k.Key).ToList();
            if (!sequential[entry.Key] || members.Count != entry.Value.Count)
            {
                continue;
            }

            foreach (var chain in chains)
            {
                var names = chain.Select(l => l.Name).ToList();
                int start = names.IndexOf(members[0]);
                if (start >= 0 && start + members.Count <= names.Count && names.Skip(start).Take(members.Count).SequenceEqual(members))
                {
                    foreach (string member in members)
                    {
                        pipeline[member] = entry.Key;
                    }
                }
            }
        }
    }

    /// <summary>The expression for the child <paramref name="name"/> of the container at <paramref name="path"/> ("" for the class).</summary>
    private string Child(string path, string name) =>
        path.Length == 0 ? Self(name) : Container(path) + (sequential[path] ? $"[{name}]" : $"[{PythonWriter.Literal(name)}]");

    private string Container(string path)
    {
        int dot = path.LastIndexOf('.');
        return dot < 0 ? Self(path) : Child(path.Substring(0, dot), path.Substring(dot + 1));
    }

    /// <summary>Creates the containers of <paramref name="path"/> not created yet, outermost first.</summary>
    private void EnsureContainers(PythonWriter w, string path)
    {
        var segments = path.Split('.');
        string current = "";
        foreach (string segment in segments)
        {
            string parent = current;
            current = current.Length == 0 ? segment : current + "." + segment;
            if (created.Add(current))
            {
                Add(w, parent, segment, [sequential[current] ? "nn.Sequential()" : "nn.ModuleDict()"]);
            }
        }
    }

    /// <summary>Registers <paramref name="value"/> as the child <paramref name="name"/> of the container at <paramref name="parent"/>.</summary>
    private void Add(PythonWriter w, string parent, string name, IReadOnlyList<string> value)
    {
        if (parent.Length == 0)
        {
            Assign(w, name, value);
            return;
        }

        string prefix = sequential[parent] ? Container(parent) + ".append(" : $"{Container(parent)}[{PythonWriter.Literal(name)}] = ";
        string suffix = sequential[parent] ? ")" : "";
        for (int i = 0; i < value.Count; i++)
        {
            w.Line((i == 0 ? prefix : "") + value[i] + (i == value.Count - 1 ? suffix : ""));
        }
    }

    private void WriteCreation(PythonWriter w, LayerSpec spec, LayerResult result, Func<Expr, string> size, bool inPlace, string owner)
    {
        List<string>? value = null;
        if (spec is StageSpec { ChildKey: StateKey.Append })
        {
            value = ["nn.Sequential("];
            value.AddRange(result.Instances.Select(i => $"    {NewBlock(i, size)},"));
            value.Add(")");
        }
        else if (spec is StageSpec stage)
        {
            // Blocks named by the stage's ChildKey (block1-0, ...): a Sequential of named children.
            orderedDict = true;
            value = ["nn.Sequential(OrderedDict(["];
            value.AddRange(result.Instances.Select((b, i) => $"    ({PythonWriter.Literal(stage.ChildKey.Replace(StateKey.Append, PythonWriter.Literal(i)))}, {NewBlock(b, size)}),"));
            value.Add("]))");
        }
        else if (spec is UseSpec)
        {
            value = [NewBlock(result.Instances[0], size)];
        }
        else if (result.Create is { } create && LayerMapping.Call(create, size, helpers, inPlace) is { } call)
        {
            value = [call];
        }

        if (keyed.TryGetValue(spec.Name, out var place) && value is not null && result.Optional && ((place.Path.Length == 0 && value.Count == 1) || pipeline.ContainsKey(spec.Name)))
        {
            // Registered only where it exists: at the class's top under its key, or appended to a container that forward
            // calls as a whole, so that the numbering after it is the one the C# constructor gives.
            string test = size(result.Condition);
            if (place.Path.Length == 0)
            {
                Assign(w, place.Leaf, [$"{value[0]} if {test} else None"]);
                return;
            }

            EnsureContainers(w, place.Path);
            w.Line($"if {test}:");
            w.Indent();
            Add(w, place.Path, place.Leaf, value);
            w.Dedent();
            return;
        }

        if (keyed.TryGetValue(spec.Name, out place) && (value is null || result.Optional))
        {
            // Not guessed: an optional layer under a state key would shift the containers' numbering at run time.
            w.Line($"raise NotImplementedError({PythonWriter.Literal($"{owner}.{spec.Name}: {(value is null ? $"layer kind {spec.Kind}" : "an optional layer with a state key")} has no PyTorch export yet")})");
            return;
        }

        if (value is not null && keyed.ContainsKey(spec.Name))
        {
            if (place.Path.Length > 0)
            {
                EnsureContainers(w, place.Path);
            }

            Add(w, place.Path, place.Leaf, value);
            return;
        }

        // An optional layer exists only where its condition holds; else the attribute is None and nothing is registered.
        string? condition = result.Optional ? size(result.Condition) : null;
        if (value is not null && condition is not null && value.Count == 1)
        {
            Assign(w, spec.Name, [$"{value[0]} if {condition} else None"]);
            return;
        }

        if (condition is not null)
        {
            w.Line($"if {condition}:");
            w.Indent();
        }

        if (value is not null)
        {
            Assign(w, spec.Name, value);
        }
        else
        {
            // No guess: a kind without a mapping makes the export refuse to build, naming the layer and its kind.
            string factory = result.Create?.Factory ?? "?";
            w.Line($"# {spec.Kind} ({factory}) has no PyTorch mapping in this version of SeDsl.Generator.");
            w.Line($"raise NotImplementedError({PythonWriter.Literal($"{owner}.{spec.Name}: layer kind {spec.Kind} has no PyTorch export yet")})");
        }

        if (condition is not null)
        {
            w.Dedent();
            w.Line("else:");
            w.Indent();
            Assign(w, spec.Name, ["None"]);
            w.Dedent();
        }
    }

    /// <summary><c>self.name = value</c>, or <c>add_module</c> for a name that is no plain attribute (PyTorch then refuses a reserved one itself).</summary>
    private static void Assign(PythonWriter w, string name, IReadOnlyList<string> value)
    {
        bool plain = PythonNames.IsPlainAttribute(name);
        for (int i = 0; i < value.Count; i++)
        {
            string line = i > 0 ? value[i] : plain ? $"self.{name} = {value[i]}" : $"self.add_module({PythonWriter.Literal(name)}, {value[i]}";
            w.Line(!plain && i == value.Count - 1 ? line + ")" : line);
        }
    }

    private string NewBlock(BlockInstance instance, Func<Expr, string> size)
    {
        var names = parameterNames.TryGetValue(instance.Block.MetadataName, out var known) ? known : null;
        var arguments = new List<string> { size(instance.InChannels), "stride=" + size(instance.Stride) };
        arguments.AddRange(instance.Arguments.Select(a => (names is not null && names.TryGetValue(a.Name, out var p) ? p : PythonNames.Snake(a.Name)) + "=" + size(a.Value)));
        var options = instance.Options;
        if (options.Residual is { } residual)
        {
            arguments.Add("residual=" + PythonWriter.Literal(residual));
        }

        if (options.IdentityOrNone is { } identityOrNone)
        {
            arguments.Add("shortcut=" + PythonWriter.Literal(identityOrNone ? "identity_or_none" : "projection"));
        }

        if (options.ShortcutKernel is { } kernel)
        {
            arguments.Add("shortcut_kernel=" + PythonWriter.Literal(kernel));
        }

        if (options.ReluAfterAddition is { } relu)
        {
            arguments.Add("after_addition=" + PythonWriter.Literal(relu ? "relu" : "none"));
        }

        if (options.ResidualScale is { } scale)
        {
            arguments.Add("residual_scale=" + PythonWriter.Literal(scale));
        }

        return $"{classNames[instance.Block.MetadataName]}({string.Join(", ", arguments)})";
    }

    /// <summary>The <c>__init__</c> parameters of the options some stage or use sets, each defaulting to the block's own (as the C# constructor's).</summary>
    private static IEnumerable<string> OptionParameters(BlockSpec block, UseSiteOption options)
    {
        if ((options & UseSiteOption.Residual) != 0)
        {
            yield return ", residual=" + PythonWriter.Literal(block.Residual);
        }

        if ((options & UseSiteOption.Shortcut) != 0)
        {
            yield return ", shortcut=" + PythonWriter.Literal(block.ShortcutIdentityOrNone ? "identity_or_none" : "projection");
        }

        if ((options & UseSiteOption.ShortcutKernel) != 0)
        {
            yield return ", shortcut_kernel=" + PythonWriter.Literal(block.ShortcutKernel);
        }

        if ((options & UseSiteOption.AfterAddition) != 0)
        {
            yield return ", after_addition=" + PythonWriter.Literal(block.ReluAfterAddition ? "relu" : "none");
        }

        if ((options & UseSiteOption.ResidualScale) != 0)
        {
            yield return ", residual_scale=" + PythonWriter.Literal(block.ResidualScale);
        }
    }

    private static string Describe(BlockSpec block, UseSiteOption options)
    {
        var parts = new List<string> { block.Parallel ? "parallel branches, concatenated" : "a sequence of layers" };
        var concatenated = block.Layers.Where(l => l.Placement == Placement.AfterConcatenation).Select(l => l.Name).ToList();
        if (concatenated.Count > 0)
        {
            parts.Add("then " + string.Join(", ", concatenated));
        }

        string scaled = (options & UseSiteOption.ResidualScale) != 0 ? "scaled by residual_scale and "
            : block.ResidualScale != 1.0 ? $"scaled by {PythonWriter.Literal(block.ResidualScale)} and " : "";
        if (block.Residual && block.ShortcutIdentityOrNone)
        {
            parts.Add(scaled + "added to the input where stride and channels are unchanged");
        }
        else if (block.Residual)
        {
            parts.Add(scaled + "added to the shortcut");
        }

        if (block.Residual && block.ReluAfterAddition)
        {
            parts.Add("then a ReLU");
        }

        return string.Join(", ", parts);
    }

    /// <summary>An expression as Python (<see cref="PythonExpr"/>), enum members as <c>Enum.MEMBER</c> by the enum's simple name.</summary>
    public static string PythonSize(Expr e, Func<string, string> name) =>
        PythonExpr.Print(e, name, m => m.EnumType.Substring(m.EnumType.LastIndexOf('.') + 1) + "." + PythonNames.EnumMember(m.MemberName));
}
