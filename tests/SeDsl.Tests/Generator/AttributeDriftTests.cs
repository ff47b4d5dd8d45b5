using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using SeDsl.Generator.Analysis;
using SeDsl.Generator.Model;
using SeDsl.Generator.Parsing;
using SeDsl.Tests.Infrastructure;
using Xunit;

namespace SeDsl.Tests.Generator;

/// <summary>The generator matches the runtime's attributes by name and mirrors their defaults; these tests catch drift.</summary>
public class AttributeDriftTests
{
    // [Stage] and [Use] are read by LayerReader itself: they name a block rather than a TorchSharp module.
    private static readonly Type[] RuntimeLayerAttributes = typeof(LayerAttribute).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(LayerAttribute)) && !t.IsAbstract && t != typeof(StageAttribute) && t != typeof(UseAttribute)).ToArray();

    /// <summary>
    /// The shortest constructor taking literal values (Conv2d and SqueezeExcite also take expression strings, and
    /// Conv2d a rectangular kernel).
    /// </summary>
    private static ConstructorInfo LiteralConstructor(Type type) =>
        type.GetConstructors().Where(c => c.GetParameters().All(p => p.ParameterType != typeof(string))).MinBy(c => c.GetParameters().Length)!;

    [Fact]
    public void Every_runtime_layer_attribute_is_in_the_catalogue_and_vice_versa()
    {
        Assert.Equal(
            RuntimeLayerAttributes.Select(t => t.FullName!).Order(),
            LayerKinds.All.Select(e => e.AttributeName).Order());
        Assert.Equal(ClassChecks.NetworkAttribute, typeof(NetworkAttribute).FullName);
        Assert.Equal(LayerKinds.LayerAttributeBase, typeof(LayerAttribute).FullName);
        Assert.Equal(LayerReader.StageAttribute, typeof(StageAttribute).FullName);
        Assert.Equal(ClassChecks.BlockAttribute, typeof(BlockAttribute).FullName);
        Assert.Equal(ClassParser.ParamAttribute, typeof(ParamAttribute).FullName);
        Assert.Equal(LayerReader.UseAttribute, typeof(UseAttribute).FullName);
        Assert.Equal(LayerReader.OnShortcutAttribute, typeof(OnShortcutAttribute).FullName);
        Assert.Equal(LayerReader.AfterAdditionAttribute, typeof(AfterAdditionAttribute).FullName);
        Assert.Equal(LayerReader.AfterConcatenationAttribute, typeof(AfterConcatenationAttribute).FullName);
        Assert.NotNull(typeof(TorchSharp.torch).Assembly.GetType("TorchSharp.Modules.Sequential"));
    }

    [Fact]
    public void Every_module_type_in_the_catalogue_exists()
    {
        var assemblies = new[] { typeof(TorchSharp.torch).Assembly, typeof(LayerAttribute).Assembly };
        Assert.All(LayerKinds.All, e => Assert.Contains(assemblies, a => a.GetType(e.ModuleType) is not null));
    }

    [Fact]
    public void Enums_and_constants_match()
    {
        Assert.Equal(Enum.GetNames<SqueezeOperator>(), SqueezeExciteSpec.SqueezeType.Members.Select(m => m.Name));
        Assert.Equal(Enum.GetValues<SqueezeOperator>().Select(v => (long)v), SqueezeExciteSpec.SqueezeType.Members.Select(m => m.Value));
        Assert.Equal(Enum.GetNames<ExcitationGate>(), SqueezeExciteSpec.GateType.Members.Select(m => m.Name));
        Assert.Equal(Enum.GetValues<ExcitationGate>().Select(v => (long)v), SqueezeExciteSpec.GateType.Members.Select(m => m.Value));
        Assert.Equal(Pad.Same, AttributeReader.PadSame);
        Assert.Equal(SeDsl.Strides.OfBlock, AttributeReader.StrideOfBlock);
        Assert.Equal(Enum.GetNames<ResidualActivation>(), new[] { "ReLU", "None" });
        Assert.Equal(Enum.GetNames<Activation>(), ChosenActivationSpec.Type.Members.Select(m => m.Name));
        Assert.Equal(Enum.GetValues<Activation>().Select(v => (long)v), ChosenActivationSpec.Type.Members.Select(m => m.Value));
        Assert.Equal(Enum.GetNames<ActivationKind>(), Enum.GetNames<Activation>().Where(n => n != "None"));
    }

    [Fact]
    public void Parser_defaults_equal_the_attributes_own_defaults()
    {
        // Each attribute written with only its required arguments, all 1, read by the parser and by reflection.
        // [Custom] needs a module type: its defaults have a test of their own.
        var fields = RuntimeLayerAttributes.Where(t => t != typeof(CustomAttribute)).Select((t, i) =>
        {
            var required = LiteralConstructor(t).GetParameters().Where(p => !p.HasDefaultValue).ToList();
            string args = required.Count == 0 ? "" : "(" + string.Join(", ", required.Select(p => p.Name == "activation" ? "Activation.ReLU" : "1")) + ")";
            return $"[{t.Name.Replace("Attribute", "")}{args}] private readonly object f{i};";
        });
        var compilation = GeneratorHarness.Compile(Sources.Usings + "class Holder {\n" + string.Join("\n", fields) + "\n}");
        var holder = compilation.GetTypeByMetadataName("Holder")!;

        foreach (var field in holder.GetMembers().OfType<Microsoft.CodeAnalysis.IFieldSymbol>())
        {
            var data = field.GetAttributes().Single();
            var type = RuntimeLayerAttributes.Single(t => t.FullName == data.AttributeClass!.ToDisplayString());
            var kind = LayerKinds.All.Single(k => k.AttributeName == type.FullName);
            var spec = kind.Read(field.Name, new AttributeReader(data, field.Name, new Dictionary<string, DslType>(), compilation, new List<DiagnosticInfo>(), default))!;
            var ctor = LiteralConstructor(type);
            var instance = ctor.Invoke(ctor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : p.Name == "activation" ? Activation.ReLU : (object)1).ToArray());

            // LayerAttribute's own When is on every spec (LayerSpec.When) and checked by the optional-layer tests.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.DeclaringType == type))
            {
                var specProperty = spec.GetType().GetProperty(property.Name);
                Assert.True(specProperty is not null, $"{spec.GetType().Name} has no {property.Name} for {type.Name}");
                object expected = Plain(property.GetValue(instance));
                object actual = Plain(specProperty!.GetValue(spec));
                Assert.True(Same(expected, actual), $"{type.Name}.{property.Name}: attribute default {expected}, parser default {actual}");
            }
        }
    }

    [Fact]
    public void Custom_layer_defaults_equal_the_attributes_own_defaults()
    {
        var compilation = GeneratorHarness.Compile(Sources.Usings + "class Holder { [Custom(typeof(Identity))] private readonly object f; }");
        var field = compilation.GetTypeByMetadataName("Holder")!.GetMembers("f").Single();
        var data = field.GetAttributes().Single();
        var reader = new AttributeReader(data, "f", CustomSpec.RuleNames.ToDictionary(n => n, _ => DslType.Int), compilation, new List<DiagnosticInfo>(), default);
        var spec = CustomSpec.Read("f", "TorchSharp.Modules.Identity", EquatableArray<Expr>.Empty, reader)!;
        var attribute = new CustomAttribute(typeof(TorchSharp.Modules.Identity));

        Assert.Equal(attribute.OutChannels, spec.OutChannels.ToString());
        Assert.Equal(attribute.Stride, Assert.IsType<Stride.Fixed>(spec.Stride).Value);
        Assert.Equal(attribute.Parameters, spec.Parameters.ToString());
        Assert.Equal(attribute.MultiplyAdds, spec.MultiplyAdds.ToString());
        Assert.Empty(attribute.Arguments);
    }

    /// <summary>Equal values; a number compares by value, since an <c>object</c> argument holds the 1 given as an int where the parser reads a double.</summary>
    private static bool Same(object expected, object actual) =>
        Equals(expected, actual) || (expected is long or double && actual is long or double && Convert.ToDouble(expected, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToDouble(actual, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A typed spec value as the attribute's plain one: sizes, strides and padding as numbers, enums as ints; a pool's "kernel" stride as 0.</summary>
    private static object Plain(object? value) => value switch
    {
        Expr.Number n => n.Value,
        Expr.Member m => m.Value,
        Expr.Truth t => t.Value,
        Expr.Real r => r.Value,
        Stride.Fixed f => Plain(f.Value),
        Padding.Explicit p => Plain(p.Value),
        null => 0L,
        Enum e => (long)Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture),
        int i => (long)i,
        _ => value,
    };
}
