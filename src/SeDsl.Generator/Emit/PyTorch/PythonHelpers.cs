namespace SeDsl.Generator.Emit.PyTorch;

/// <summary>The helpers an exported file defines before its blocks, each only where a layer needs it.</summary>
internal static class PythonHelpers
{
    public static void Write(PythonWriter w, PythonHelper helper)
    {
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
            case PythonHelper.SqueezeExcitation:
                w.Line("class SqueezeExcitation(nn.Module):");
                w.Line("    \"\"\"x * gate(fc2(relu(fc1(squeeze(x))))) with 1x1 convolutions fc1 and fc2 (timm's SEModule keys).\"\"\"");
                w.Line();
                w.Line("    def __init__(self, channels, reduced_channels, squeeze=\"average\", gate=\"sigmoid\", bias=True):");
                w.Line("        super().__init__()");
                w.Line("        if squeeze not in (\"average\", \"max\"):");
                w.Line("            raise ValueError(f\"unknown squeeze operator {squeeze!r}\")");
                w.Line("        if gate not in (\"sigmoid\", \"relu\", \"tanh\", \"hardsigmoid\"):");
                w.Line("            raise ValueError(f\"unknown excitation gate {gate!r}\")");
                w.Line("        self.squeeze = squeeze");
                w.Line("        self.gate = gate");
                w.Line("        self.fc1 = nn.Conv2d(channels, reduced_channels, kernel_size=1, bias=bias)");
                w.Line("        self.fc2 = nn.Conv2d(reduced_channels, channels, kernel_size=1, bias=bias)");
                w.Line();
                w.Line("    def forward(self, x):");
                w.Line("        if self.squeeze == \"max\":");
                w.Line("            s = x.amax((2, 3), keepdim=True)");
                w.Line("        else:");
                w.Line("            s = x.mean((2, 3), keepdim=True)");
                w.Line("        s = self.fc2(torch.relu(self.fc1(s)))");
                w.Line("        if self.gate == \"relu\":");
                w.Line("            s = torch.relu(s)");
                w.Line("        elif self.gate == \"tanh\":");
                w.Line("            s = torch.tanh(s)");
                w.Line("        elif self.gate == \"hardsigmoid\":");
                w.Line("            s = nn.functional.hardsigmoid(s)");
                w.Line("        else:");
                w.Line("            s = torch.sigmoid(s)");
                w.Line("        return x * s");
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
