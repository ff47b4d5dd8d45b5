using System.Collections.Generic;
using SeDsl.Generator.Analysis;
using Xunit;

namespace SeDsl.Tests.Analysis;

public class ExpressionTests
{
    private static readonly Dictionary<string, long> Values = new() { ["planes"] = 64, ["groups"] = 32, ["inChannels"] = 256 };

    [Theory]
    [InlineData("planes", 64, "planes")]
    [InlineData("planes * 4", 256, "planes * 4")]
    [InlineData(" planes*4 ", 256, "planes * 4")]
    [InlineData("planes * 2 / 64 * groups", 64, "planes * 2 / 64 * groups")]
    [InlineData("planes * (2 / 64)", 0, "planes * (2 / 64)")]
    [InlineData("planes - (1 + 1)", 62, "planes - (1 + 1)")]
    [InlineData("(planes + 1) * 2", 130, "(planes + 1) * 2")]
    [InlineData("inChannels - planes - 1", 191, "inChannels - planes - 1")]
    [InlineData("7", 7, "7")]
    public void Parses_evaluates_and_prints_back(string text, long value, string csharp)
    {
        var expr = Expr.Parse(text, out string error);

        Assert.True(expr is not null, error);
        Assert.Equal(value, expr!.Evaluate(Values, out _));
        Assert.Equal(csharp, expr.ToCSharp());
    }

    [Fact]
    public void Substitution_folds_constants_and_keeps_the_rest_symbolic()
    {
        var expr = Expr.Parse("width + width * 3 / 2", out _)!;

        Assert.Equal("80", expr.Substitute(_ => new Expr.Number(32)).ToCSharp());
        Assert.Equal("this.width + this.width * 3 / 2", expr.Substitute(n => new Expr.Name("this." + n)).ToCSharp());
        Assert.Equal("(a + b) * 2", Expr.Parse("x * 2", out _)!.Substitute(_ => Expr.Parse("a + b", out _)!).ToCSharp());
    }

    [Theory]
    [InlineData("", "it ends where a number, a name or '(' is expected")]
    [InlineData("planes *", "it ends where a number, a name or '(' is expected")]
    [InlineData("(planes", "'(' at position 1 is not closed")]
    [InlineData("planes ^ 2", "unexpected '^' at position 8")]
    [InlineData("99999999999999999999", "a number is too large")]
    public void Rejects_malformed_text_with_a_reason(string text, string reason)
    {
        Assert.Null(Expr.Parse(text, out string error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("planes / 0", "it divides by zero")]
    [InlineData("planes * 9223372036854775807", "the value overflows a 64-bit integer")]
    [InlineData("width * 2", "'width' is not a parameter of the block")]
    public void Reports_why_a_value_is_undefined(string text, string reason)
    {
        var expr = Expr.Parse(text, out _)!;

        Assert.Null(expr.Evaluate(Values, out string error));
        Assert.Equal(reason, error);
    }
}
