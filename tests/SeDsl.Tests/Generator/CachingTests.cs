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
        string blocks = Sources.ResNet[..Sources.ResNet.IndexOf("/// <summary>ResNet-50 as", System.StringComparison.Ordinal)];
        string networks = Sources.Usings + "namespace SeDsl.Zoo;\n" + Sources.ResNet[Sources.ResNet.IndexOf("/// <summary>ResNet-50 as", System.StringComparison.Ordinal)..];
        var (driver, compilation) = FirstRun(blocks, networks);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith("SeResNet50.SeDsl.Summary.g.cs", System.StringComparison.Ordinal)).SourceText.ToString();

        driver = driver.RunGenerators(Edit(compilation, 0, s => s.Replace("[SqueezeExcite(r: 16, Divisor = 8)]", "[SqueezeExcite(r: 8, Divisor = 8)]")));

        var after = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith("SeResNet50.SeDsl.Summary.g.cs", System.StringComparison.Ordinal)).SourceText.ToString();
        Assert.NotEqual(before, after);
        var plans = Reasons(driver, NetworkGenerator.Steps.Plan);
        Assert.Equal(3, plans.Count(r => r == IncrementalStepRunReason.Modified));   // SE-ResNet-50, -101 and -152; the plain and Caffe-layout networks are unchanged
    }

    [Fact]
    public void Pipeline_models_hold_no_roslyn_symbols_syntax_or_compilations()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location) };
        var models = typeof(NetworkSpec).Assembly.GetTypes().Where(t => t.Namespace == typeof(NetworkSpec).Namespace).ToArray();
        var seen = new HashSet<Type>();

        void Check(Type type, string path)
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum)
            {
                return;
            }

            Assert.False(forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} is a {type.Name}");
            foreach (var argument in type.GetGenericArguments())
            {
                Check(argument, $"{path}<{argument.Name}>");
            }

            if (type.Namespace == typeof(NetworkSpec).Namespace)
            {
                foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    Check(field.FieldType, $"{type.Name}.{field.Name}");
                }
            }
        }

        Assert.NotEmpty(models);
        foreach (var model in models)
        {
            Check(model, model.Name);
        }
    }
}
