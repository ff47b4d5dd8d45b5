using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Generator;
using SeDsl.Generator.Model;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>The incremental pipeline skips work it has done before, step by step.</summary>
public class CachingTests
{
    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step]
            .SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun(params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static Compilation Edit(Compilation compilation, int tree, Func<string, string> edit)
    {
        var old = compilation.SyntaxTrees.ElementAt(tree);
        var updated = CSharpSyntaxTree.ParseText(edit(old.GetText().ToString()), GeneratorHarness.ParseOptions, old.FilePath);
        return compilation.ReplaceSyntaxTree(old, updated);
    }

    [Fact]
    public void Unchanged_compilation_is_served_from_cache()
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet);

        driver = driver.RunGenerators(compilation.Clone());

        Assert.All(Reasons(driver, NetworkGenerator.Steps.Plan), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Editing_an_unrelated_file_reruns_nothing()
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet, "namespace Other; public class Unrelated { }");

        driver = driver.RunGenerators(Edit(compilation, 1, s => s.Replace("Unrelated { }", "Unrelated { public int X; }")));

        Assert.All(Reasons(driver, NetworkGenerator.Steps.Plan), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void A_comment_edit_inside_a_network_keeps_the_plan_and_skips_emission()
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet);

        driver = driver.RunGenerators(Edit(compilation, 0, s => s.Replace("{\n    [Conv2d", "{\n    // a comment moves every location\n    [Conv2d")));

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(driver, NetworkGenerator.Steps.Parse));
        Assert.Equal(new[] { IncrementalStepRunReason.Cached }, Reasons(driver, NetworkGenerator.Steps.Plan));
    }

    [Fact]
    public void A_moved_warning_is_re_reported_while_the_plan_stays_cached()
    {
        string warned = Sources.TinySeNet.Replace("[SqueezeExcite(r: 16)]", "[SqueezeExcite(r: 3)]");
        var (driver, compilation) = FirstRun(warned);

        driver = driver.RunGenerators(Edit(compilation, 0, s => s.Replace("{\n    [Conv2d", "{\n    // a comment moves every location\n    [Conv2d")));

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(driver, NetworkGenerator.Steps.Diagnostics));
        Assert.Equal(new[] { IncrementalStepRunReason.Unchanged }, Reasons(driver, NetworkGenerator.Steps.Plan));
    }

    [Fact]
    public void Changing_one_argument_regenerates_only_that_network()
    {
        string second = Sources.TinySeNet.Replace("class TinySeNet", "class OtherNet");
        var (driver, compilation) = FirstRun(Sources.TinySeNet, second);

        driver = driver.RunGenerators(Edit(compilation, 1, s => s.Replace("[Linear(10)]", "[Linear(12)]")));

        var reasons = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void Editing_a_block_in_another_file_regenerates_the_networks_that_use_it()
    {
        // The block and the family in one file, the family's 27 networks in another.
        string blocks = Sources.ResNet[..Sources.ResNet.IndexOf("/// <summary>ResNet-18 as", System.StringComparison.Ordinal)];
        string networks = Sources.Usings + "namespace SeDsl.Zoo;\n" + Sources.ResNet[Sources.ResNet.IndexOf("/// <summary>ResNet-18 as", System.StringComparison.Ordinal)..];
        var (driver, compilation) = FirstRun(blocks, networks, Sources.TinySeNet);
        string Generated(GeneratorDriver d, string hint) => d.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(hint, System.StringComparison.Ordinal)).SourceText.ToString();
        var before = (Generated(driver, "SeResNet50R2.SeDsl.Summary.g.cs"), Generated(driver, "SeResNet50.SeDsl.Module.g.cs"));

        // The standard SE now needs r > 2: of the family's networks, only SE-ResNet-50 with r = 2 loses its SE blocks.
        driver = driver.RunGenerators(Edit(compilation, 0, s => s.Replace("When = \"placement == SePlacement.Standard\"", "When = \"placement == SePlacement.Standard && r > 2\"")));

        Assert.NotEqual(before.Item1, Generated(driver, "SeResNet50R2.SeDsl.Summary.g.cs"));
        Assert.Equal(before.Item2, Generated(driver, "SeResNet50.SeDsl.Module.g.cs"));
        var plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(30, plans.Length);   // the family, the ablations' family of it, their 27 networks and TinySeNet

        // Every network of the family expands the edited block (its plan holds the block's expansions for summaries); the
        // network that does not use it stays cached.
        Assert.Equal(27, plans.Count(r => r == IncrementalStepRunReason.Modified));

        // The PyTorch export reads every block plan, yet only the exports of the networks that use the block change.
        var exports = Reasons(driver, NetworkGenerator.Steps.Export);
        Assert.Equal(27, exports.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.All(exports.Where(r => r != IncrementalStepRunReason.Modified), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.Equal(plans.Length, exports.Length);
    }

    [Fact]
    public void Editing_a_network_of_a_family_reruns_that_network_and_editing_the_family_reruns_its_networks()
    {
        string blocks = Sources.ResNet[..Sources.ResNet.IndexOf("/// <summary>ResNet-18 as", System.StringComparison.Ordinal)];
        string networks = Sources.Usings + "namespace SeDsl.Zoo;\n" + Sources.ResNet[Sources.ResNet.IndexOf("/// <summary>ResNet-18 as", System.StringComparison.Ordinal)..];
        var (driver, compilation) = FirstRun(blocks, networks, Sources.TinySeNet);

        // One network's arguments: ResNet-34 becomes a ResNet-26; only its check runs again.
        var edited = Edit(compilation, 1, s => s.Replace("[Network(typeof(ResNet), ResNetUnit.Basic, 3, 4, 6, 3)]", "[Network(typeof(ResNet), ResNetUnit.Basic, 2, 3, 4, 3)]"));
        driver = driver.RunGenerators(edited);
        var checks = Reasons(driver, NetworkGenerator.Steps.Check);
        Assert.Equal(30, checks.Length);
        Assert.Equal(1, checks.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.All(Reasons(driver, NetworkGenerator.Steps.BlockCheck), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

        // The family's head: every one of its 27 networks changes, TinySeNet does not.
        var headEdited = Edit(edited, 0, s => s.Replace("[Linear(1000)] private readonly Linear fc;", "[Linear(100)] private readonly Linear fc;"));
        driver = driver.RunGenerators(headEdited);
        var plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(27, plans.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(3, plans.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));   // TinySeNet and the two families' own parts

        // The ablations' family binds the SE width divisor: its 15 networks change; the 12 declared on ResNet directly,
        // TinySeNet and the two families' own parts do not.
        driver = driver.RunGenerators(Edit(headEdited, 1, s => s.Replace("nameof(placement), nameof(r), 1,", "nameof(placement), nameof(r), 8,")));
        plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(15, plans.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(15, plans.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void Editing_a_condition_or_a_typed_argument_regenerates_only_the_networks_that_reach_it()
    {
        // The MobileNetV3s, MBConv and EfficientNet-B0, RegNetY: three families on one shared block, ConvNormAct.
        var (driver, compilation) = FirstRun(Sources.Zoo("MobileNetV3.cs"), Sources.Zoo("EfficientNet.cs"), Sources.Zoo("RegNet.cs"), Sources.Zoo("ConvNormAct.cs"));

        // A condition inside the inverted residual: only the two MobileNetV3s change.
        var edited = Edit(compilation, 0, s => s.Replace("When = \"expanded != inChannels\"", "When = \"expanded > inChannels\""));
        driver = driver.RunGenerators(edited);
        // Five plans: the MobileNetV3 family's own (its private constructor), its two networks, EfficientNet-B0, RegNetY.
        var plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(5, plans.Length);
        Assert.Equal(2, plans.Count(r => r == IncrementalStepRunReason.Modified));

        // Of the blocks, only the inverted residual's own module is planned again; of the exports, the MobileNetV3s'.
        var blockPlans = Reasons(driver, NetworkGenerator.Steps.BlockPlan);
        Assert.Equal(1, blockPlans.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.All(blockPlans.Where(r => r != IncrementalStepRunReason.Modified), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.Equal(2, Reasons(driver, NetworkGenerator.Steps.Export).Count(r => r == IncrementalStepRunReason.Modified));

        // A typed argument in one network (an enum of one [Use]): that network alone.
        driver = driver.RunGenerators(Edit(edited, 1, s => s.Replace(
            "(ConvNormAct), 32, 3, 1, Activation.SiLU,", "(ConvNormAct), 32, 3, 1, Activation.Hardswish,")));
        plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(1, plans.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(4, plans.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        // A use's arguments are the network's, not the block's: no block module is planned again.
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(driver, NetworkGenerator.Steps.BlockPlan));
    }

    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxReference),
        typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(AttributeData), typeof(TypedConstant), typeof(IOperation),
    };

    /// <summary>
    /// Roslyn objects reachable from <paramref name="root"/>'s fields, walked recursively through generic arguments,
    /// array elements and the fields of every type outside the core library. Anything found would pin a compilation in
    /// memory or compare by reference, and so break caching.
    /// </summary>
    private static List<string> RoslynObjectsIn(Type root, HashSet<Type> seen)
    {
        var found = new List<string>();
        void Walk(Type type, string path)
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum || type.IsGenericParameter || type.IsPointer)
            {
                return;
            }

            if (Forbidden.Any(f => f.IsAssignableFrom(type)))
            {
                found.Add($"{path} is a {type.Name}");
                return;
            }

            if (type.IsArray)
            {
                Walk(type.GetElementType()!, path + "[]");
            }

            foreach (var argument in type.GetGenericArguments())
            {
                Walk(argument, $"{path}<{argument.Name}>");
            }

            if (type.Assembly != typeof(object).Assembly)
            {
                foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    Walk(field.FieldType, $"{path}.{field.Name}");
                }
            }
        }

        Walk(root, root.Name);
        return found;
    }

    [Fact]
    public void Pipeline_models_hold_no_roslyn_symbols_syntax_or_compilations()
    {
        var models = typeof(NetworkSpec).Assembly.GetTypes().Where(t => t.Namespace == typeof(NetworkSpec).Namespace).ToArray();
        var seen = new HashSet<Type>();

        var found = models.SelectMany(m => RoslynObjectsIn(m, seen)).ToList();

        Assert.Empty(found);
        // The walk must reach the pipeline's outputs and the locations inside them, or it proves nothing.
        Assert.Contains(typeof(NetworkParse), seen);
        Assert.Contains(typeof(LocationInfo), seen);
        Assert.Contains(typeof(EquatableArray<LayerSpec>), seen);
        Assert.Contains(typeof(LayerSpec[]), seen);
    }

    private sealed record HoldsALocation(string Name, Nested Inner);

    private sealed record Nested(System.Collections.Immutable.ImmutableArray<Location> Where);

    [Fact]
    public void The_model_walk_finds_a_location_nested_in_an_immutable_array()
    {
        var found = RoslynObjectsIn(typeof(HoldsALocation), new HashSet<Type>());

        Assert.Contains(found, f => f.Contains("Location", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Step, IncrementalStepRunReason Reason)> EveryStep(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results.Single();
        return result.TrackedSteps.Concat(result.TrackedOutputSteps)
            .SelectMany(step => step.Value.SelectMany(s => s.Outputs).Select(o => (step.Key, o.Reason)));
    }

    private static IncrementalStepRunReason[] OutputReasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static Dictionary<string, string> Generated(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    private static readonly string[] OurSteps =
    {
        NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.Check, NetworkGenerator.Steps.Plan, NetworkGenerator.Steps.Diagnostics,
        NetworkGenerator.Steps.Resolve, NetworkGenerator.Steps.BlockParse, NetworkGenerator.Steps.BlockTable, NetworkGenerator.Steps.ClassNames,
        NetworkGenerator.Steps.BlockResolve, NetworkGenerator.Steps.UseSites,
        NetworkGenerator.Steps.BlockCheck, NetworkGenerator.Steps.BlockPlan, NetworkGenerator.Steps.BlockDiagnostics, NetworkGenerator.Steps.Export,
    };

    /// <summary>
    /// A new compilation re-runs the semantic transforms of <c>ForAttributeWithMetadataName</c> (our Parse and BlockParse),
    /// so those may be <c>Unchanged</c> (ran, equal result); every step after them, and every source output, must be cached.
    /// </summary>
    /// <summary>
    /// Diagnostics are mapped onto the syntax trees when reported, and only classes that have some reach that step; for
    /// sources without diagnostics the steps may record nothing on a rerun.
    /// </summary>
    private static readonly string[] DiagnosticSteps = { NetworkGenerator.Steps.Diagnostics, NetworkGenerator.Steps.BlockDiagnostics };

    private static void AssertNothingRegenerated(GeneratorDriver driver)
    {
        var steps = EveryStep(driver).ToList();
        foreach (string name in OurSteps.Except(DiagnosticSteps))
        {
            Assert.Contains(steps, s => s.Step == name);
        }

        var parses = new[] { NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.BlockParse };
        Assert.All(steps.Where(s => parses.Contains(s.Step)), s => Assert.True(s.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{s.Step}: {s.Reason}"));
        Assert.All(steps.Where(s => OurSteps.Contains(s.Step) && !parses.Contains(s.Step)), s => Assert.True(s.Reason == IncrementalStepRunReason.Cached, $"{s.Step}: {s.Reason}"));
        Assert.NotEmpty(OutputReasons(driver));
        Assert.All(OutputReasons(driver), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Rerunning_the_same_compilation_caches_every_step_and_output()
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet, Sources.ResNet);

        driver = driver.RunGenerators(compilation);

        // Roslyn's own bookkeeping steps (e.g. collectedGlobalAliases) may re-run; ours and the outputs may not.
        var steps = EveryStep(driver).Where(s => OurSteps.Contains(s.Step)).ToList();
        Assert.All(OurSteps.Except(DiagnosticSteps), name => Assert.Contains(steps, s => s.Step == name));
        Assert.All(steps, s => Assert.True(s.Reason == IncrementalStepRunReason.Cached, $"{s.Step}: {s.Reason}"));
        Assert.All(OutputReasons(driver), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Rerunning_an_unchanged_compilation_regenerates_nothing()
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet, Sources.ResNet);

        driver = driver.RunGenerators(compilation.Clone());

        AssertNothingRegenerated(driver);
    }

    [Fact]
    public void Editing_an_unrelated_file_regenerates_nothing()
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet, Sources.ResNet, "namespace Other; public class Unrelated { }");

        driver = driver.RunGenerators(Edit(compilation, 2, s => s.Replace("Unrelated { }", "Unrelated { public int X; }")));

        AssertNothingRegenerated(driver);
    }

    [Theory]
    [InlineData("[Conv2d(32, 3, Padding = 1, Bias = false)]", "[Conv2d(32,   3,\n        Padding = 1, Bias = false)]")]
    [InlineData("[ReLU] private readonly ReLU relu1;", "[ReLU] /* a comment */ private readonly ReLU relu1; // and another")]
    [InlineData("[Linear(10)]", "\n\n    [Linear(10)]")]
    public void A_whitespace_or_comment_edit_inside_a_network_keeps_the_model_and_caches_the_output(string before, string after)
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet);
        var generated = Generated(driver);
        Assert.Contains(before, Sources.TinySeNet, StringComparison.Ordinal);

        driver = driver.RunGenerators(Edit(compilation, 0, s => s.Replace(before, after, StringComparison.Ordinal)));

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(driver, NetworkGenerator.Steps.Parse));
        Assert.Equal(new[] { IncrementalStepRunReason.Cached }, Reasons(driver, NetworkGenerator.Steps.Plan));
        Assert.All(OutputReasons(driver), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Equal(generated, Generated(driver));
    }

    [Fact]
    public void Changing_one_argument_regenerates_only_that_networks_source()
    {
        string second = Sources.TinySeNet.Replace("class TinySeNet", "class OtherNet");
        var (driver, compilation) = FirstRun(Sources.TinySeNet, second, Sources.ResNet);
        var before = Generated(driver);

        driver = driver.RunGenerators(Edit(compilation, 1, s => s.Replace("[Linear(10)]", "[Linear(12)]")));

        var after = Generated(driver);
        var changed = before.Keys.Where(k => before[k] != after[k]).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "SeDsl.Zoo.OtherNet.SeDsl.Module.g.cs", "SeDsl.Zoo.OtherNet.SeDsl.PyTorch.g.cs", "SeDsl.Zoo.OtherNet.SeDsl.Summary.g.cs" }, changed);
        var outputs = OutputReasons(driver);
        Assert.Equal(2, outputs.Count(r => r == IncrementalStepRunReason.Modified));   // OtherNet's plan and its PyTorch export, each emitted once
        Assert.All(outputs.Where(r => r != IncrementalStepRunReason.Modified), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(driver, NetworkGenerator.Steps.BlockPlan), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    private const string Plain = "using SeDsl; using TorchSharp.Modules; namespace Other; public class Plain { [ReLU] private readonly ReLU relu; }";

    [Fact]
    public void Only_layer_fields_outside_networks_and_blocks_reach_the_check_for_stray_layers()
    {
        // The check runs on every edit, so the syntax filter must keep the many layer fields of networks and blocks out.
        var (driver, _) = FirstRun(Sources.TinySeNet, Sources.ResNet, Plain);

        var outputs = driver.GetRunResult().Results.Single().TrackedSteps[NetworkGenerator.Steps.StrayLayers].SelectMany(s => s.Outputs).ToList();
        Assert.Single(outputs);
    }

    [Fact]
    public void Editing_an_unrelated_file_keeps_the_stray_layer_check_cached()
    {
        var (driver, compilation) = FirstRun(Sources.TinySeNet, Plain, "namespace Other; public class Unrelated { }");

        driver = driver.RunGenerators(Edit(compilation, 2, s => s.Replace("Unrelated { }", "Unrelated { public int X; }")));

        Assert.All(Reasons(driver, NetworkGenerator.Steps.StrayLayers), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(driver, NetworkGenerator.Steps.Plan), r => Assert.Equal(IncrementalStepRunReason.Cached, r));

        // Reported diagnostics are mapped onto the current syntax trees, so they are reported again, unchanged.
        Assert.Contains(driver.GetRunResult().Diagnostics, d => d.Id == "SEDSL024");
    }
}
