using System.Collections.Generic;
using SeDsl.Generator.Model;
using SeDsl.Generator.Parsing;
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
        var expr = ExpressionParser.Parse(text, out string error);

        Assert.True(expr is not null, error);
        Assert.Equal(value, expr!.Substitute(Value).Constant);
        Assert.Equal(csharp, expr.ToString());
    }

    [Theory]
    [InlineData("c ? a : (c ? b : d)", "c ? a : d")]
    [InlineData("c ? (c ? a : b) : d", "c ? a : d")]
    [InlineData("(k == 17 ? 7 : 3) == 3", "k != 17")]
    [InlineData("(k == 35 ? 0 : k == 17 ? 160 : 224) == 0", "k == 35")]
    [InlineData("k != 35 && k != 17 ? (k == 35 ? 1 : k == 17 ? 2 : 3) : 4", "k != 35 && k != 17 ? 3 : 4")]
    [InlineData("(k == 35 ? 5 : 6) > 0 && k == 35", "k == 35")]
    [InlineData("c ? true : false", "c")]
    [InlineData("c ? false : true", "!c")]
    public void A_choice_is_simplified_by_what_its_test_decides(string text, string simplified)
    {
        // The branches of a chain of optional layers repeat their conditions; knowing the test shortens them.
        var expr = ExpressionParser.Parse(text, out string error);

        Assert.True(expr is not null, error);
        Assert.Equal(simplified, expr!.Substitute(_ => null).ToString());
    }

    [Fact]
    public void Simplifying_a_long_chain_of_conditions_stays_linear()
    {
        // 50 nested choices over 50 conjunctions (the parser's limit of 256 operators): each node is visited once per assumption, never once per path, which would be 2^50.
        string chain = "w";
        for (int i = 0; i < 50; i++)
        {
            chain = $"a{i} > 0 && b{i} > 0 ? {i} : ({chain})";
        }

        var expr = ExpressionParser.Parse(chain, out string error);
        Assert.True(expr is not null, error);
        var folded = expr!.Substitute(n => n == "a49" ? new Expr.Number(0) : null);
        Assert.StartsWith("a48 > 0 && b48 > 0 ? 48 :", folded.ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Substitution_folds_constants_and_keeps_the_rest_symbolic()
    {
        var expr = ExpressionParser.Parse("width + width * 3 / 2", out _)!;

        Assert.Equal("80", expr.Substitute(_ => new Expr.Number(32)).ToString());
        Assert.Equal("this.width + this.width * 3 / 2", expr.Substitute(n => new Expr.Name("this." + n)).ToString());
        Assert.Equal("(a + b) * 2", ExpressionParser.Parse("x * 2", out _)!.Substitute(_ => ExpressionParser.Parse("a + b", out _)!).ToString());
        Assert.Equal("planes * 4", ExpressionParser.Parse("planes * 4 * 1 + 0", out _)!.Substitute(_ => null).ToString());
    }

    [Theory]
    [InlineData("", "it ends where a number, a name or '(' is expected")]
    [InlineData("planes *", "it ends where a number, a name or '(' is expected")]
    [InlineData("(planes", "'(' at position 1 is not closed")]
    [InlineData("planes ^ 2", "unexpected '^' at position 8")]
    [InlineData("99999999999999999999", "a number is too large")]
    public void Rejects_malformed_text_with_a_reason(string text, string reason)
    {
        Assert.Null(ExpressionParser.Parse(text, out string error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("planes / 0", "divides by zero")]
    [InlineData("planes * 9223372036854775807", "overflows a 64-bit integer")]
    [InlineData("(planes - 64) / (planes - 64)", "divides by zero")]
    public void Reports_why_a_value_is_undefined(string text, string reason)
    {
        var expr = ExpressionParser.Parse(text, out _)!;

        var failure = Assert.Throws<SizeException>(() => expr.Substitute(Value));
        Assert.Equal(reason, failure.Reason);
    }

    [Fact]
    public void Names_left_unbound_stay_symbolic()
    {
        var expr = ExpressionParser.Parse("planes * 4 + width", out _)!.Substitute(n => n == "planes" ? 64 : null);

        Assert.Equal("256 + width", expr.ToString());
        Assert.Null(expr.Constant);
        Assert.Equal(new[] { "width" }, expr.Names());
    }

    private static Expr? Value(string name) => Values.TryGetValue(name, out long v) ? v : null;
}
