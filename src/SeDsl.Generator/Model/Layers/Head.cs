using System.Globalization;
using SeDsl.Generator.Diagnostics;

namespace SeDsl.Generator.Model;

/// <summary><c>[Flatten]</c>: C x H x W becomes C·H·W features.</summary>
internal sealed record FlattenSpec(string Name) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.FlattenAttribute", "TorchSharp.Modules.Flatten", (n, _) => new FlattenSpec(n));

    public override string Kind => "Flatten";

    public override bool MayReturnInput => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink) =>
        Free(Dims.Features(input.Channels * input.Height * input.Width), Make.Call(Make.Nn + ".Flatten")) with
        {
            FlattensSpatialInput = input.Height.Constant is not 1 || input.Width.Constant is not 1,
        };
}

/// <summary><c>[Linear]</c> on a flat input: in · out weights (+ out bias); multiply-adds in · out.</summary>
internal sealed record LinearSpec(string Name, Expr OutFeatures, bool Bias) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.LinearAttribute", "TorchSharp.Modules.Linear", (n, a) =>
        a.Size("OutFeatures", 0) is { } outFeatures ? new LinearSpec(n, outFeatures, a.Bool("Bias", true)) : null);

    public override string Kind => "Linear";

    public override bool NeedsSpatialInput => false;

    public override bool KeepsNoOutputForBackward => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        if (scope.Checked(OutFeatures, name, "OutFeatures", sink, v => v >= 1, "at least 1") is not { } outFeatures)
        {
            return null;
        }

        if (!input.Flat && !input.IsUnknown)
        {
            sink.Add(DiagnosticIds.NeedsFlatInput, null, name, input.ToString());
            return null;
        }

        var weights = input.Channels * outFeatures;
        var create = Make.Call(Make.Nn + ".Linear", Make.Arg("inputSize", input.Channels), Make.Arg("outputSize", outFeatures), Make.Arg("hasBias", Bias));
        return new LayerResult(Dims.Features(outFeatures), Bias ? weights + outFeatures : weights, weights, create);
    }
}

/// <summary><c>[Dropout(p)]</c>: zeroes elements with probability p while training; shape unchanged.</summary>
internal sealed record DropoutSpec(string Name, Expr P) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.DropoutAttribute", "TorchSharp.Modules.Dropout", (n, a) =>
        a.Value("P", new Expr.Real(0.5), DslType.Real) is { } p ? new DropoutSpec(n, p) : null);

    public override string Kind => "Dropout";

    public override bool NeedsSpatialInput => false;

    public override bool MayReturnInput => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        if (scope.Size(P, scope.Prefix + Name, "P", sink) is not { } p)
        {
            return null;
        }

        if (p is Expr.Real { Value: var v } && !(v >= 0 && v <= 1))
        {
            sink.Add(DiagnosticIds.InvalidArgument, "P", scope.Prefix + Name, "P", "between 0 and 1", v.ToString("R", CultureInfo.InvariantCulture), "Layer");
            return null;
        }

        return Free(input, Make.Call(Make.Nn + ".Dropout", Make.Arg("p", ArgumentValue.Of(p))));
    }
}

/// <summary><c>[Identity]</c>: passes its input through.</summary>
internal sealed record IdentitySpec(string Name) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.IdentityAttribute", "TorchSharp.Modules.Identity", (n, _) => new IdentitySpec(n));

    public override string Kind => "Identity";

    public override bool NeedsSpatialInput => false;

    public override bool MayReturnInput => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink) => Free(input, Make.Call(Make.Nn + ".Identity"));
}

/// <summary><c>[ChannelShuffle(groups)]</c>: ShuffleNet's interleaving of channel groups; groups must divide C.</summary>
internal sealed record ChannelShuffleSpec(string Name, Expr Groups) : LayerSpec(Name)
{
    public static readonly LayerKind Kind1 = new("SeDsl.ChannelShuffleAttribute", "TorchSharp.Modules.ChannelShuffle", (n, a) =>
        a.Size("Groups", 0) is { } groups ? new ChannelShuffleSpec(n, groups) : null);

    public override string Kind => "ChannelShuffle";

    public override bool MayReturnInput => true;

    public override LayerResult? Apply(Dims input, Scope scope, FindingSink sink)
    {
        string name = scope.Prefix + Name;
        if (scope.Checked(Groups, name, "Groups", sink, v => v >= 1, "at least 1") is not { } groups || !ConvSpec.Divides(groups, input.Channels, name, "input", sink))
        {
            return null;
        }

        return Free(input, Make.Call(Make.Nn + ".ChannelShuffle", Make.Arg("groups", groups)));
    }
}
