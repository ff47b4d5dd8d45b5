using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SeDsl.Generator;
using SeDsl.Generator.Diagnostics;
using SeDsl.Generator.Model;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>
/// The parse cache reuses a class's parse across compilations only where nothing it read changed. Each test edits a
/// project step by step and, after every step, compares the reused driver's output (sources and located diagnostics)
/// with a fresh driver's on the same compilation: a stale result anywhere makes them differ.
/// </summary>
public class ParseCacheTests
{
    private const string Blocks = Sources.Usings + """
        namespace Cache;

        [Block(Residual = true)]
        public partial class Unit
        {
            [Param] private readonly int width;

            [Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv1;
            [BatchNorm2d] private readonly BatchNorm2d bn1;
            [ReLU] private readonly ReLU relu1;
            [Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;
            [BatchNorm2d] private readonly BatchNorm2d bn2;
            [SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;
        }

        public static class Widths
        {
            public const int Stem = 16;
        }
        """;

    private const string Networks = Sources.Usings + """
        namespace Cache;

        [Network(3, 32, 32)]
        public partial class First
        {
            [Conv2d(Widths.Stem, 3, Padding = 1)] private readonly Conv2d stem;
            [ReLU] private readonly ReLU relu;
            [Stage(typeof(Unit), 2, 16)] private readonly Sequential stage1;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(10)] private readonly Linear fc;
        }

        [Network(3, 32, 32)]
        public partial class Second
        {
            [Conv2d(24, 3, Padding = 1)] private readonly Conv2d stem;
            [SqueezeExcite(r: 5)] private readonly SqueezeExcitation se;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(10)] private readonly Linear fc;
        }
        """;

    private const string Other = Sources.Usings + """
        namespace Cache;

        [Network(1, 28, 28)]
        public partial class Third
        {
            [Conv2d(8, 3)] private readonly Conv2d conv;
            [ReLU] private readonly ReLU relu;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(10)] private readonly Linear fc;
        }

        public class Helper
        {
            public int Count() { return 1; }
        }

        [System.Serializable]
        public partial class second
        {
        }
        """;

    private sealed class Project
    {
        private GeneratorDriver driver = GeneratorHarness.CreateDriver();

        public Project(params string[] sources)
        {
            Compilation = GeneratorHarness.Compile(sources);
            Run();
        }

        public Compilation Compilation { get; private set; }

        public GeneratorDriverRunResult Last { get; private set; } = null!;

        public void Edit(int file, string before, string after)
        {
            var old = Compilation.SyntaxTrees.ElementAt(file);
            string text = old.GetText().ToString();
            Assert.Contains(before, text, StringComparison.Ordinal);
            Edit(file, text.IndexOf(before, StringComparison.Ordinal), before.Length, after);
        }

        /// <summary>An IDE keystroke: the new tree is parsed incrementally from the old one, sharing unchanged nodes.</summary>
        public void Edit(int file, int start, int length, string replacement)
        {
            var old = Compilation.SyntaxTrees.ElementAt(file);
            var edited = old.WithChangedText(old.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new(start, length), replacement)));
            Compilation = Compilation.ReplaceSyntaxTree(old, edited);
            Run();
        }

        public void Replace(Func<Compilation, Compilation> change)
        {
            Compilation = change(Compilation);
            Run();
        }

        /// <summary>
        /// Runs the reused driver and asserts it produced what a fresh driver produces: the same sources and located
        /// diagnostics, and the same parse models (which also hold the line of every location).
        /// </summary>
        private void Run()
        {
            driver = driver.RunGenerators(Compilation);
            Last = driver.GetRunResult();
            var fresh = GeneratorHarness.CreateDriver().RunGenerators(Compilation).GetRunResult();
            Assert.Equal(Describe(fresh), Describe(Last));
            foreach (string step in new[] { NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.BlockParse })
            {
                Assert.Equal(Models(fresh, step), Models(Last, step));
            }
        }

        private static object?[] Models(GeneratorDriverRunResult run, string step) =>
            run.Results.Single().TrackedSteps.TryGetValue(step, out var steps) ? steps.SelectMany(s => s.Outputs).Where(o => o.Reason != IncrementalStepRunReason.Removed).Select(o => o.Value).ToArray() : Array.Empty<object?>();

        /// <summary>The output of the run's generator, as lines: each source in full, each diagnostic with its location.</summary>
        private static string[] Describe(GeneratorDriverRunResult run)
        {
            var result = run.Results.Single();
            Assert.Null(result.Exception);
            return result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.HintName + "\n" + s.SourceText)
                .Concat(result.Diagnostics.Select(d => $"{d.Id} {d.Severity} {d.Location.GetLineSpan()} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
                    .OrderBy(d => d, StringComparer.Ordinal))
                .ToArray();
        }
    }

    /// <summary>The parse result objects of the tracked step, by class name; a reused result is the very same object.</summary>
    private static Dictionary<string, object> ParseResults(GeneratorDriverRunResult run) =>
        run.Results.Single().TrackedSteps[NetworkGenerator.Steps.Parse]
            .SelectMany(s => s.Outputs).Select(o => o.Value).Cast<NetworkParse>()
            .ToDictionary(r => r.Type.Name, r => (object)r);

    [Fact]
    public void A_one_argument_edit_reads_only_the_edited_network_again()
    {
        var project = new Project(Blocks, Networks, Other);
        var before = ParseResults(project.Last);

        project.Edit(1, "[Linear(10)] private readonly Linear fc;\n}\n\n[Network(3, 32, 32)]\npublic partial class Second", "[Linear(12)] private readonly Linear fc;\n}\n\n[Network(3, 32, 32)]\npublic partial class Second");

        var after = ParseResults(project.Last);
        Assert.NotSame(before["First"], after["First"]);
        Assert.Same(before["Second"], after["Second"]);
        Assert.Same(before["Third"], after["Third"]);

        // A method body, in the file of a network: nothing is read again.
        project.Edit(2, "return 1;", "return 2;");
        Assert.All(ParseResults(project.Last), r => Assert.Same(after[r.Key], r.Value));
    }

    [Fact]
    public void A_block_edit_reads_only_the_block_again_and_a_constant_edit_reads_every_class()
    {
        var project = new Project(Blocks, Networks, Other);

        // The block a network uses, in another file: networks name their blocks, so no network is read again; the check
        // step combines each network with the new block table, and the network using the block changes.
        var before = ParseResults(project.Last);
        var blocks = BlockParseResults(project.Last);
        var sources = project.Last.Results.Single().GeneratedSources.ToDictionary(g => g.HintName, g => g.SourceText.ToString());
        project.Edit(0, "[SqueezeExcite(r: 4)]", "[SqueezeExcite(r: 8)]");
        Assert.All(ParseResults(project.Last), r => Assert.Same(before[r.Key], r.Value));
        Assert.NotSame(blocks["Unit"], BlockParseResults(project.Last)["Unit"]);
        Assert.NotEqual(sources["Cache.Unit.SeDsl.Block.g.cs"], Source(project.Last, "Cache.Unit.SeDsl.Block.g.cs"));
        Assert.NotEqual(sources["Cache.First.SeDsl.Module.g.cs"], Source(project.Last, "Cache.First.SeDsl.Module.g.cs"));
        Assert.Equal(sources["Cache.Second.SeDsl.Module.g.cs"], Source(project.Last, "Cache.Second.SeDsl.Module.g.cs"));

        // A constant a network's argument names, in another file.
        before = ParseResults(project.Last);
        project.Edit(0, "public const int Stem = 16;", "public const int Stem = 32;");
        Assert.NotSame(before["First"], ParseResults(project.Last)["First"]);
    }

    private static string Source(GeneratorDriverRunResult run, string hintName) =>
        run.Results.Single().GeneratedSources.Single(g => g.HintName == hintName).SourceText.ToString();

    private static Dictionary<string, object> BlockParseResults(GeneratorDriverRunResult run) =>
        run.Results.Single().TrackedSteps[NetworkGenerator.Steps.BlockParse]
            .SelectMany(s => s.Outputs).Select(o => o.Value).Cast<BlockParse>()
            .ToDictionary(r => r.Type.Name, r => (object)r);

    [Fact]
    public void Reused_and_fresh_output_agree_through_a_sequence_of_edits()
    {
        var project = new Project(Blocks, Networks, Other);

        // Arguments: in the network, in the block it uses, in an unrelated file, and one that changes a length so that
        // every later class of the file moves.
        project.Edit(1, "[Linear(10)] private readonly Linear fc;\n}\n\n[Network(3, 32, 32)]\npublic partial class Second", "[Linear(1000)] private readonly Linear fc;\n}\n\n[Network(3, 32, 32)]\npublic partial class Second");
        project.Edit(0, "[Conv2d(nameof(width), 3, Padding = 1, Bias = false)] private readonly Conv2d conv2;", "[Conv2d(nameof(width), 5, Padding = 2, Bias = false)] private readonly Conv2d conv2;");
        project.Edit(2, "[Conv2d(8, 3)]", "[Conv2d(16, 3)]");
        project.Edit(1, "[SqueezeExcite(r: 5)]", "[SqueezeExcite(r: 7)]");

        // Declarations elsewhere: a constant, a method body, a comment, a new member, a shadowing attribute type.
        project.Edit(0, "public const int Stem = 16;", "public const int Stem = 8;");
        project.Edit(2, "return 1;", "return 2;");
        project.Edit(2, "public class Helper", "// helpers\npublic class Helper");
        project.Edit(2, "public int Count()", "public int Total;\n    public int Count()");
        project.Edit(2, "public class Helper", "public sealed class ReLUAttribute : System.Attribute { }\n\npublic class Helper");
        project.Edit(2, "public sealed class ReLUAttribute : System.Attribute { }", "");

        // Lines moved above a network, a nullable context and a preprocessor symbol around the block.
        project.Edit(1, "[Network(3, 32, 32)]\npublic partial class First", "\n\n[Network(3, 32, 32)]\npublic partial class First");
        project.Edit(1, "[Network(3, 32, 32)]\npublic partial class First", "/* moved */\n[Network(3, 32, 32)]\npublic partial class First");
        project.Edit(1, "/* moved */", "/*\nmoved */");
        project.Edit(0, "namespace Cache;", "#nullable disable\nnamespace Cache;");
        project.Edit(0, "    [SqueezeExcite(r: 4)]", "#if NEVER\n    [SqueezeExcite(r: 4)]\n#endif\n    [ReLU]");

        // Errors appearing and going away, a block that stops being one, a class that becomes a namesake.
        project.Edit(1, "[Stage(typeof(Unit), 2, 16)]", "[Stage(typeof(Unit), 2, 0)]");
        project.Edit(1, "[Stage(typeof(Unit), 2, 0)]", "[Stage(typeof(Unit), 2, 16)]");
        project.Edit(0, "[Block(Residual = true)]", "");
        project.Edit(0, "public partial class Unit", "[Block(Residual = true)]\npublic partial class Unit");
        project.Edit(2, "public class Helper", "[Network(3, 32, 32)]\npublic partial class first { [Linear(2)] private readonly Linear fc; }\n\npublic class Helper");
        project.Edit(2, "[System.Serializable]", "[Network(3, 32, 32)]");

        // Options, references and files.
        project.Replace(c => c.WithOptions(((CSharpCompilationOptions)c.Options).WithNullableContextOptions(NullableContextOptions.Disable)));
        project.Replace(c => c.RemoveSyntaxTrees(c.SyntaxTrees.Last()));
        project.Replace(c => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Other, GeneratorHarness.ParseOptions, "Network2.cs")));
    }

    /// <summary>
    /// Pairs of random declarations from the fuzzer, valid and invalid, edited the way a user types: a number inside an
    /// attribute's arguments changed in either file, and a blank line inserted above everything of a file.
    /// </summary>
    [Fact]
    public void Random_edits_of_random_declarations_agree_with_a_fresh_run()
    {
        var numbers = new Regex(@"(?<=\[[A-Za-z0-9_.]+\([^\]\)]*)\b\d+\b");
        for (int seed = 20261125; seed < 20261125 + 120; seed++)
        {
            var random = new Random(seed);
            var project = new Project(Fuzz.NetworkFuzzer.Generate(seed).Source, Fuzz.NetworkFuzzer.Generate(seed + 100_000).Source);
            foreach (int file in new[] { 0, 1, 0, 1 })
            {
                string text = project.Compilation.SyntaxTrees.ElementAt(file).ToString();
                var matches = numbers.Matches(text);
                if (matches.Count == 0)
                {
                    continue;
                }

                var match = matches[random.Next(matches.Count)];
                int value = int.Parse(match.Value, System.Globalization.CultureInfo.InvariantCulture);
                string edited = random.Next(4) == 0 ? "0" : (value + (random.Next(2) == 0 ? 1 : 7)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                project.Edit(file, match.Index, match.Length, edited);
            }

            project.Edit(1, 0, 0, "\n");
        }
    }

    [Fact]
    public void A_custom_layers_module_in_another_file_is_read_again_when_its_constructor_or_base_changes()
    {
        // A [Custom] layer reads its module's constructors and base type: declarations of another file, which a change
        // there invalidates, while an edit of a constructor's body keeps the parse.
        const string network = Sources.Usings + """
            namespace Cache;

            [Network(3, 8, 8)]
            public partial class Gated
            {
                [Conv2d(8, 1)] private readonly Conv2d conv;
                [Custom(typeof(Gate), 4)] private readonly Gate gate;
            }
            """;
        const string module = """
            namespace Cache;

            public sealed class Gate : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>
            {
                public Gate(long inChannels, int reduction) : base(nameof(Gate)) { }
                public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;
            }
            """;
        var project = new Project(network, module);
        Assert.Empty(project.Last.Diagnostics);

        project.Edit(1, "base(nameof(Gate)) { }", "base(nameof(Gate)) { _ = reduction; }");
        project.Edit(1, "int reduction", "string reduction");
        Assert.Contains(project.Last.Diagnostics, d => d.Id == DiagnosticIds.CustomModuleNotCreatable);
        project.Edit(1, "string reduction", "int reduction");
        Assert.Empty(project.Last.Diagnostics);
        project.Edit(1, "public sealed class Gate", "public abstract class Gate");
        Assert.Contains(project.Last.Diagnostics, d => d.Id == DiagnosticIds.CustomTypeNotAModule);
    }

    [Fact]
    public void Two_files_with_one_path_are_read_afresh_and_still_agree()
    {
        var project = new Project(Blocks, Networks);
        project.Replace(c => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Other, GeneratorHarness.ParseOptions, "Network1.cs")));

        project.Edit(1, "[SqueezeExcite(r: 5)]", "[SqueezeExcite(r: 6)]");
        project.Edit(2, "[Conv2d(8, 3)]", "[Conv2d(16, 3)]");
    }


    private const string Toggled = "#define WIDE\n" + Sources.Usings + """
        namespace Cache;

        [Network(3, 32, 32)]
        public partial class Toggled
        {
            [Conv2d(
        #if WIDE
                32,
        #else
                16,
        #endif
                3, Padding = 1)] private readonly Conv2d stem;
            [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
            [Flatten] private readonly Flatten flatten;
            [Linear(10)] private readonly Linear fc;
        }
        """;

    [Fact]
    public void A_define_that_toggles_an_if_inside_attribute_arguments_reads_the_network_again()
    {
        var project = new Project(Blocks, Toggled);
        project.Edit(1, "#define WIDE", "#define NARR");
    }

    [Fact]
    public void A_define_that_toggles_an_if_inside_a_used_blocks_arguments_reads_both_again()
    {
        string blocks = "#define WIDE\n" + Blocks.Replace("[SqueezeExcite(r: 4)]", "[SqueezeExcite(r:\n#if WIDE\n4\n#else\n2\n#endif\n)]");
        var project = new Project(blocks, Networks);
        project.Edit(0, "#define WIDE", "#define NARR");
    }

    [Fact]
    public void Reordering_files_reorders_the_fields_of_a_partial_network()
    {
        const string partA = Sources.Usings + """
            namespace Cache;

            [Network(3, 32, 32)]
            public partial class Split
            {
                [Conv2d(8, 3, Padding = 1)] private readonly Conv2d conv;
                [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
                [Flatten] private readonly Flatten flatten;
                [Linear(10)] private readonly Linear fc;
            }
            """;
        const string partB = Sources.Usings + """
            namespace Cache;

            public partial class Split
            {
                [ReLU] private readonly ReLU relu;
            }
            """;
        var project = new Project(partA, partB);
        project.Replace(c => { var first = c.SyntaxTrees.First(); return c.RemoveSyntaxTrees(first).AddSyntaxTrees(first); });
    }

    [Fact]
    public void A_file_that_shrinks_past_a_read_block_does_not_throw()
    {
        string comment = "// " + new string('x', 3000);
        string blocks = Blocks.Replace("namespace Cache;\n", "namespace Cache;\n\npublic class Padder\n{\n    public int Count()\n    {\n        " + comment + "\n        return 1;\n    }\n}\n");
        var project = new Project(blocks, Networks);
        project.Edit(0, comment, "");
    }

    [Fact]
    public void Two_files_with_one_path_each_get_their_own_block()
    {
        const string first = Sources.Usings + """
            namespace Cache;

            [Block]
            public partial class U1
            {
                [Use(typeof(U2))] private readonly U2 inner;
                [ReLU] private readonly ReLU relu;
            }
            """;
        const string second = Sources.Usings + """
            namespace Cache;

            [Block]
            public partial class U2
            {
                [ReLU] private readonly ReLU relu;
            }
            """;
        var project = new Project(Networks.Replace("[Stage(typeof(Unit), 2, 16)] private readonly Sequential stage1;", ""));
        project.Replace(c => c.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(first, GeneratorHarness.ParseOptions, "Same.cs"),
            CSharpSyntaxTree.ParseText(second, GeneratorHarness.ParseOptions, "Same.cs")));
        var result = project.Last.Results.Single();
        Assert.Empty(result.Diagnostics.Where(d => d.Id == "SEDSL901").Select(d => d.GetMessage()));
        Assert.Contains(result.GeneratedSources, s => s.HintName.Contains("U2", StringComparison.Ordinal));
        Assert.Contains(result.GeneratedSources, s => s.HintName.Contains("U1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_nullable_directive_before_a_network_with_a_nullable_field_agrees()
    {
        const string network = "#nullable enable \n" + Sources.Usings + """
            namespace Cache;

            [Network(3, 32, 32)]
            public partial class Maybe
            {
                [Conv2d(8, 3, Padding = 1)] private readonly Conv2d? conv;
                [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
                [Flatten] private readonly Flatten flatten;
                [Linear(10)] private readonly Linear fc;
            }
            """;
        var project = new Project(Blocks, network);
        project.Edit(1, "#nullable enable ", "#nullable disable");
    }


    [Fact]
    public void Global_aliases_enum_members_and_chained_constants_agree()
    {
        const string globals = """
            global using W = Cache.Widths;
            namespace Cache
            {
                public enum Sizes { Small = 8, Large = 64 }
                public static class More { public const int Base = 4; }
            }
            """;
        var project = new Project(Blocks, Networks.Replace("[Conv2d(Widths.Stem, 3, Padding = 1)]", "[Conv2d(W.Stem, 3, Padding = 1)]").Replace("[Linear(10)] private readonly Linear fc;\n}\n\n[Network(3, 32, 32)]\npublic partial class Second", "[Linear((int)Sizes.Small)] private readonly Linear fc;\n}\n\n[Network(3, 32, 32)]\npublic partial class Second"), globals);
        project.Edit(2, "Small = 8", "Small = 9");
        project.Edit(2, "Small = 9", "Small");
        project.Edit(2, "enum Sizes { Small,", "enum Sizes { Tiny, Small,");
        project.Edit(0, "public const int Stem = 16;", "public const int Stem = More.Base * 2;");
        project.Edit(2, "Base = 4", "Base = 5");
        project.Edit(2, "global using W = Cache.Widths;", "global using W = Cache.Other;");
        project.Edit(2, "public static class More", "public static class Other { public const int Stem = 12; }\n    public static class More");
        project.Edit(2, "global using W = Cache.Other;", "global using W = Cache.Widths;");
        project.Edit(2, "namespace Cache\n{", "System.Console.WriteLine();\nnamespace Cache\n{");
        project.Edit(2, "public const int Base = 5;", "public const int Base = 5; public static int P => Base + 1;");
        project.Edit(2, "P => Base + 1", "P => Base + 2");
    }

    [Fact]
    public void Recursion_and_block_changes_agree()
    {
        const string more = Sources.Usings + """
            namespace Cache;

            [Block]
            public partial class Inner
            {
                [ReLU] private readonly ReLU relu;
            }
            """;
        var project = new Project(Blocks, Networks, more);
        project.Edit(0, "[SqueezeExcite(r: 4)] private readonly SqueezeExcitation se;", "[Use(typeof(Inner))] private readonly Inner inner;");
        project.Edit(2, "[ReLU] private readonly ReLU relu;", "[Use(typeof(Unit), 4)] private readonly Unit unit;");
        project.Edit(2, "[Use(typeof(Unit), 4)] private readonly Unit unit;", "[ReLU] private readonly ReLU relu;");
        project.Edit(2, "[ReLU] private readonly ReLU relu;", "[Use(typeof(Inner))] private readonly Inner self;");
        project.Edit(2, "[Use(typeof(Inner))] private readonly Inner self;", "[ReLU] private readonly ReLU relu;");
        project.Edit(2, "[Block]", "[Obsolete]");
        project.Edit(2, "[Obsolete]", "[Block]");
        project.Edit(2, "namespace Cache;", "namespace Cache {");
        project.Replace(c => c.ReplaceSyntaxTree(c.SyntaxTrees.ElementAt(2), CSharpSyntaxTree.ParseText(more, GeneratorHarness.ParseOptions, "Network2.cs")));
        project.Edit(2, "public partial class Inner", "public partial class inner { }\n[Block]\npublic partial class Inner");
        project.Edit(1, "[Stage(typeof(Unit), 2, 16)]", "[Stage(typeof(Inner), 2)]");
        project.Edit(2, "[ReLU] private readonly ReLU relu;", "[ReLU] private readonly ReLU relu;\n    [Param] private readonly int w;");
        project.Replace(c => c.ReplaceSyntaxTree(c.SyntaxTrees.ElementAt(2), CSharpSyntaxTree.ParseText(c.SyntaxTrees.ElementAt(2).GetText(), GeneratorHarness.ParseOptions, "Renamed.cs")));
        project.Edit(2, "public partial class inner { }", "[Block] public partial class inner { }");
    }

    [Fact]
    public void A_block_split_across_files_agrees()
    {
        const string part = Sources.Usings + """
            namespace Cache;

            public partial class Unit
            {
                [ReLU] private readonly ReLU extra;
            }
            """;
        var project = new Project(Blocks, Networks, part);
        project.Edit(2, "[ReLU] private readonly ReLU extra;", "[Conv2d(nameof(width), 1)] private readonly Conv2d extra;");
        project.Edit(2, "[Conv2d(nameof(width), 1)]", "[Conv2d(nameof(width), 3)]");
        project.Edit(2, "namespace Cache;", "\nnamespace Cache;");
        project.Edit(0, "[SqueezeExcite(r: 4)]", "[SqueezeExcite(r: 2)]");
        project.Edit(2, "public partial class Unit", "public partial class Unit : System.Object");
    }
}
