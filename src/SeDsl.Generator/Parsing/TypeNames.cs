using Microsoft.CodeAnalysis;

namespace SeDsl.Generator.Parsing;

/// <summary>
/// Compares a type with a full metadata name (<c>SeDsl.BlockAttribute</c>) segment by segment, without building the
/// type's display string: the parse runs for every attributed class on every compilation, so this is on the hot path.
/// </summary>
internal static class TypeNames
{
    /// <summary>Whether <paramref name="type"/> is the top-level type <paramref name="fullName"/> (namespaces dotted).</summary>
    public static bool Is(ITypeSymbol? type, string fullName)
    {
        if (type is null || type.ContainingType is not null)
        {
            return false;
        }

        ISymbol current = type;
        int end = fullName.Length;
        while (true)
        {
            int dot = end == 0 ? -1 : fullName.LastIndexOf('.', end - 1);
            string name = current.MetadataName;
            int length = end - dot - 1;
            if (name.Length != length || string.CompareOrdinal(fullName, dot + 1, name, 0, length) != 0)
            {
                return false;
            }

            var ns = current.ContainingNamespace;
            if (dot < 0)
            {
                return ns is null || ns.IsGlobalNamespace;
            }

            if (ns is null || ns.IsGlobalNamespace)
            {
                return false;
            }

            current = ns;
            end = dot;
        }
    }

    /// <summary>Whether any of <paramref name="symbol"/>'s attributes is of the type <paramref name="fullName"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, string fullName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (Is(attribute.AttributeClass, fullName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type's full name as C# writes it without <c>global::</c>, e.g. <c>SeDsl.Activation</c> or <c>N.Outer.Inner</c>.</summary>
    public static string FullName(ITypeSymbol type) =>
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
}
