using System;
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
    // [Stage] and [Use] are read by ClassReader itself: they name a block rather than a TorchSharp module.
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
            LayerCatalogue.Entries.Select(e => e.AttributeName).Order());
        Assert.Equal(LayerCatalogue.NetworkAttribute, typeof(NetworkAttribute).FullName);
        Assert.Equal(LayerCatalogue.LayerAttributeBase, typeof(LayerAttribute).FullName);
        Assert.Equal(ClassReader.StageAttribute, typeof(StageAttribute).FullName);
        Assert.Equal(ClassReader.BlockAttribute, typeof(BlockAttribute).FullName);
        Assert.Equal(ClassReader.ParamAttribute, typeof(ParamAttribute).FullName);
        Assert.Equal(ClassReader.UseAttribute, typeof(UseAttribute).FullName);
        Assert.Equal(ClassReader.OnShortcutAttribute, typeof(OnShortcutAttribute).FullName);
        Assert.Equal(ClassReader.AfterAdditionAttribute, typeof(AfterAdditionAttribute).FullName);
        Assert.NotNull(typeof(TorchSharp.torch).Assembly.GetType(ClassReader.SequentialType));
    }

    [Fact]
    public void Every_module_type_in_the_catalogue_exists()
    {
        var assemblies = new[] { typeof(TorchSharp.torch).Assembly, typeof(LayerAttribute).Assembly };
        Assert.All(LayerCatalogue.Entries, e => Assert.Contains(assemblies, a => a.GetType(e.ModuleType) is not null));
    }

    [Fact]
    public void Enums_and_constants_match()
    {
        Assert.Equal(Enum.GetNames<SqueezeOperator>(), Enum.GetNames<SqueezeKind>());
        Assert.Equal(Enum.GetValues<SqueezeOperator>().Select(v => (int)v), Enum.GetValues<SqueezeKind>().Select(v => (int)v));
        Assert.Equal(Enum.GetNames<ExcitationGate>(), Enum.GetNames<GateKind>());
        Assert.Equal(Enum.GetValues<ExcitationGate>().Select(v => (int)v), Enum.GetValues<GateKind>().Select(v => (int)v));
        Assert.Equal(Pad.Same, Padding.Same);
        Assert.Equal(SeDsl.Strides.OfBlock, SeDsl.Generator.Analysis.Strides.OfBlock);
        Assert.Equal(Enum.GetNames<ResidualActivation>(), new[] { "ReLU", "None" });
    }

    [Fact]
    public void Parser_defaults_equal_the_attributes_own_defaults()
    {
        // Each attribute written with only its required arguments, all 1, read by the parser and by reflection.
        var fields = RuntimeLayerAttributes.Select((t, i) =>
        {
            int required = LiteralConstructor(t).GetParameters().Count(p => !p.HasDefaultValue);
            string args = required == 0 ? "" : "(" + string.Join(", ", Enumerable.Repeat("1", required)) + ")";
            return $"[{t.Name.Replace("Attribute", "")}{args}] private readonly object f{i};";
        });
        var compilation = GeneratorHarness.Compile(Sources.Usings + "class Holder {\n" + string.Join("\n", fields) + "\n}");
        var holder = compilation.GetTypeByMetadataName("Holder")!;

        foreach (var field in holder.GetMembers().OfType<Microsoft.CodeAnalysis.IFieldSymbol>())
        {
            var data = field.GetAttributes().Single();
            var type = RuntimeLayerAttributes.Single(t => t.FullName == data.AttributeClass!.ToDisplayString());
            var spec = LayerCatalogue.Find(type.FullName!)!.Read(field.Name, new AttributeReader(data, default));
            var ctor = LiteralConstructor(type);
            var instance = ctor.Invoke(ctor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : (object)1).ToArray());

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.DeclaringType == type))
            {
                var specProperty = spec.GetType().GetProperty(property.Name);
                Assert.True(specProperty is not null, $"{spec.GetType().Name} has no {property.Name} for {type.Name}");
                object expected = property.PropertyType.IsEnum ? (int)property.GetValue(instance)! : property.GetValue(instance)!;
                object actual = specProperty!.PropertyType.IsEnum ? (int)specProperty.GetValue(spec)! : specProperty.GetValue(spec)!;
                Assert.True(Equals(expected, actual), $"{type.Name}.{property.Name}: attribute default {expected}, parser default {actual}");
            }
        }
    }
}
