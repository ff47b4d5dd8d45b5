using SeDsl.Generator.Model;

namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>The helpers an exported file defines before its blocks, each only where a layer needs it.</summary>
internal static class PythonHelpers
{
    /// <summary>Each <c>SeDsl.Activation</c> member's PyTorch module; <c>None</c> passes its input through, as the runtime's layer does.</summary>
    public static readonly (string Member, string Module)[] ActivationModules =
    [
        ("ReLU", "ReLU"), ("ReLU6", "ReLU6"), ("Sigmoid", "Sigmoid"), ("Tanh", "Tanh"), ("HardSigmoid", "Hardsigmoid"),
        ("SiLU", "SiLU"), ("Hardswish", "Hardswish"), ("GELU", "GELU"), ("None", "Identity"),
    ];

    /// <summary>Writes <paramref name="helper"/>; <paramref name="enumClass"/> names the Python class of an enum by its full C# name.</summary>
    public static void Write(PythonWriter w, PythonHelper helper, System.Func<string, string> enumClass)
    {
        string activation = enumClass(ChosenActivationSpec.EnumType);
        switch (helper)
        {
            case PythonHelper.ReducedWidth:
                w.Line("def reduced_width(channels, r, divisor):");
                w.Line("    \"\"\"The SE bottleneck width: channels // r for divisor 1 (the paper), else timm's make_divisible rounding.\"\"\"");
                w.Line("    if divisor <= 1:");
                w.Line("        return channels // r");
                w.Line("    rounded = (2 * channels + r * divisor) // (2 * r) // divisor * divisor");
                w.Line("    return max(rounded, divisor)");
                break;
            case PythonHelper.MakeDivisible:
                w.Line("def make_divisible(value, divisor):");
                w.Line("    \"\"\"torchvision's _make_divisible for integers: the nearest multiple of divisor, at least divisor, never under 90% of value.\"\"\"");
                w.Line("    rounded = max(divisor, (value + divisor // 2) // divisor * divisor)");
                w.Line("    if 10 * rounded < 9 * value:");
                w.Line("        rounded += divisor");
                w.Line("    return rounded");
                break;
            case PythonHelper.ActivationModule:
                w.Line("def activation_module(kind):");
                w.Line($"    \"\"\"The module for kind, an {activation} value, as SeDsl.Layers.ActivationLayer applies it; NONE passes its input through.\"\"\"");
                w.Line("    return {");
                foreach (var (member, module) in ActivationModules)
                {
                    w.Line($"        {activation}.{PythonNames.EnumMember(member)}: nn.{module},");
                }

                w.Line($"    }}[{activation}(kind)]()");
                break;
            case PythonHelper.SqueezeExcitation:
                string squeeze = enumClass(SqueezeExciteSpec.SqueezeType.EnumType), gate = enumClass(SqueezeExciteSpec.GateType.EnumType);
                w.Line("class SqueezeExcitation(nn.Module):");
                w.Line("    \"\"\"x * gate(fc2(act(fc1(squeeze(x))))) with 1x1 convolutions fc1 and fc2 (timm's SEModule keys).\"\"\"");
                w.Line();
                w.Line($"    def __init__(self, channels, reduced_channels, squeeze={squeeze}.AVERAGE, gate={gate}.SIGMOID, bias=True, activation={activation}.RELU):");
                w.Line("        super().__init__()");
                w.Line($"        self.squeeze = {squeeze}(squeeze)");
                w.Line($"        self.gate = {gate}(gate)");
                w.Line("        self.fc1 = nn.Conv2d(channels, reduced_channels, kernel_size=1, bias=bias)");
                w.Line("        self.act = activation_module(activation)");
                w.Line("        self.fc2 = nn.Conv2d(reduced_channels, channels, kernel_size=1, bias=bias)");
                w.Line();
                w.Line("    def forward(self, x):");
                w.Line($"        if self.squeeze == {squeeze}.MAX:");
                w.Line("            s = x.amax((2, 3), keepdim=True)");
                w.Line("        else:");
                w.Line("            s = x.mean((2, 3), keepdim=True)");
                w.Line("        s = self.fc2(self.act(self.fc1(s)))");
                w.Line($"        if self.gate == {gate}.RELU:");
                w.Line("            s = torch.relu(s)");
                w.Line($"        elif self.gate == {gate}.TANH:");
                w.Line("            s = torch.tanh(s)");
                w.Line($"        elif self.gate == {gate}.HARDSIGMOID:");
                w.Line("            s = nn.functional.hardsigmoid(s)");
                w.Line("        else:");
                w.Line("            s = torch.sigmoid(s)");
                w.Line("        return x * s");
                break;
            case PythonHelper.DropPath:
                w.Line("class DropPath(nn.Module):");
                w.Line("    \"\"\"Stochastic depth per sample (torchvision's StochasticDepth(p, \"row\")): while training, each sample is kept with");
                w.Line("    probability 1 - p and scaled by 1 / (1 - p); otherwise the input itself.\"\"\"");
                w.Line();
                w.Line("    def __init__(self, p):");
                w.Line("        super().__init__()");
                w.Line("        self.p = p");
                w.Line();
                w.Line("    def forward(self, x):");
                w.Line("        if not self.training or self.p == 0:");
                w.Line("            return x");
                w.Line("        keep = 1 - self.p");
                w.Line("        mask = x.new_empty([x.shape[0]] + [1] * (x.dim() - 1)).bernoulli_(keep).div_(keep)");
                w.Line("        return x * mask");
                break;
            case PythonHelper.ChannelShuffle:
                w.Line("class ChannelShuffle(nn.Module):");
                w.Line("    \"\"\"ShuffleNet's channel shuffle as view and transpose (PyTorch 1.13's nn.ChannelShuffle has no backward).\"\"\"");
                w.Line();
                w.Line("    def __init__(self, groups):");
                w.Line("        super().__init__()");
                w.Line("        self.groups = groups");
                w.Line();
                w.Line("    def forward(self, x):");
                w.Line("        n, c, h, w = x.shape");
                w.Line("        x = x.view(n, self.groups, c // self.groups, h, w)");
                w.Line("        return x.transpose(1, 2).reshape(n, c, h, w)");
                break;
        }
    }
}
