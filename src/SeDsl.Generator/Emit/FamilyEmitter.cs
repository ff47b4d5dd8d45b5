using System.Linq;
using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit;

/// <summary>
/// Writes the part of a network family: no module, since a family's parameters have values only in each of its
/// networks, whose generated parts create the layers. The family's fields are descriptions the generator reads; this
/// part gives them a private constructor that assigns and reads them, so the compiler has nothing to say of them, and
/// so that nothing outside the class can create a family.
/// </summary>
internal static class FamilyEmitter
{
    /// <param name="fileScopedNamespace">Whether the project's C# has file-scoped namespaces (10 and later).</param>
    /// <param name="nullable">Whether the project's C# has nullable reference types (8 and later).</param>
    public static string Emit(FamilyPlan plan, bool fileScopedNamespace, bool nullable)
    {
        string className = plan.Type.Name;
        var outline = plan.Outline;
        var w = new SourceWriter();
        using (ModuleSkeleton.Header(w, plan.Type.Namespace, className, "Network", fileScopedNamespace))
        using (w.Block($"partial class {className}"))
        {
            // A constructor of the user's own is theirs to keep; the part is then empty.
            if (!outline.Declares(".ctor()"))
            {
                Constructor(w, className, outline, nullable);
            }
        }

        return w.ToString();
    }

    private static void Constructor(SourceWriter w, string className, ClassOutline outline, bool nullable)
    {
        w.Line($"/// <summary>Not for use: {className} is a network family, whose networks are the [Network(typeof({className}), ...)] classes.</summary>");
        w.Line(Code.GeneratedCode);
        using (w.Block($"private {className}()"))
        {
            foreach (string field in outline.Fields)
            {
                // A parameter is an int, bool, double or enum; a layer field a module, null here.
                w.Line($"this.{field} = default{(nullable && !outline.Parameters.Contains(field) ? "!" : "")};");
            }

            if (outline.Fields.Count > 0)
            {
                w.Line("// Assigned and read, so that the compiler has nothing to say of the fields (CS8618, CS0169, CS0414).");
                w.Line($"_ = new object{(nullable ? "?" : "")}[] {{ {string.Join(", ", outline.Fields.Select(f => "this." + f))} }};");
            }
        }
    }
}
