using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Reads the <see cref="ClassOutline"/> of a class that cannot be generated, from its own declarations only: what the
/// completing part must assign and must not declare again.
/// </summary>
internal static class OutlineReader
{
    /// <summary>The members a completing part declares (<c>CompletionEmitter</c>), constructors included.</summary>
    private static readonly HashSet<string> Completed = new(ClassChecks.ReservedNames) { ".ctor", "SeDslError" };

    public static ClassOutline Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var parameters = new List<string>();
        var types = new List<string>();
        var declared = new List<string>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared)
            {
                continue;
            }

            if (member is IFieldSymbol field)
            {
                bool parameter = TypeNames.HasAttribute(field, ClassParser.ParamAttribute);
                if (!parameter && !field.GetAttributes().Any(LayerReader.IsLayerAttribute))
                {
                    declared.Add(field.Name);
                    continue;
                }

                // A field with an initializer, or one that is static or constant, needs no assignment (and gets SEDSL007).
                bool initialized = field.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer: not null });
                if (field.IsStatic || field.IsConst || initialized)
                {
                    continue;
                }

                fields.Add(ClassChecks.IsKeyword(field.Name) ? "@" + field.Name : field.Name);
                if (parameter && ClassParser.ValueTypeOf(field.Type) is { } parameterType && !ClassChecks.IsKeyword(field.Name)
                    && !ClassChecks.ReservedInBlocks.Contains(field.Name) && !ClassChecks.ReservedNames.Contains(field.Name))
                {
                    parameters.Add(field.Name);
                    types.Add(parameterType.CSharp);
                }
            }
            else if (member is IMethodSymbol method)
            {
                string name = method.MethodKind == MethodKind.Constructor ? ".ctor" : method.Name;
                declared.Add(name + "(" + string.Join(", ", method.Parameters.Select(p => p.Type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString())) + ")");
            }
            else
            {
                declared.Add(member.Name);
            }
        }

        // Only names the completing part may declare: an edit of any other member leaves the outline, and the parse, equal.
        var relevant = declared.Where(d => Completed.Contains(d.IndexOf('(') is var open and >= 0 ? d.Substring(0, open) : d));
        return new ClassOutline(fields.ToEquatableArray(), parameters.ToEquatableArray(), relevant.Distinct().OrderBy(d => d, System.StringComparer.Ordinal).ToEquatableArray())
        {
            ParameterTypes = types.ToEquatableArray(),
        };
    }
}
