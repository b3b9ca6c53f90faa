using Aftercare.Core.Messaging;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class OptOutLineTests
{
    [Theory]
    [InlineData("en", "Reply STOP to opt out.")]
    [InlineData("en-GB", "Reply STOP to opt out.")]
    [InlineData("es", "Responde STOP para no recibir mas.")]
    [InlineData("ES_mx", "Responde STOP para no recibir mas.")]
    [InlineData("fr", "Reply STOP to opt out.")]
    [InlineData(null, "Reply STOP to opt out.")]
    public void The_line_is_in_the_texts_language_as_it_is_sent(string? locale, string line)
    {
        Assert.Equal(line, OptOutLine.For(locale));
    }

    [Fact]
    public void It_goes_on_a_line_of_its_own_and_never_twice()
    {
        var once = OptOutLine.AppendTo("Hola Ana. Glow", "es");

        Assert.Equal("Hola Ana. Glow\nResponde STOP para no recibir mas.", once);
        Assert.Equal(once, OptOutLine.AppendTo(once, "es"));
        Assert.Equal("Hi. Reply STOP to opt out. Glow", OptOutLine.AppendTo("Hi. Reply STOP to opt out. Glow", "en"));
    }

    [Fact]
    public void Every_shipped_welcome_already_says_it()
    {
        foreach (var plan in ContentTestData.Shipped.All)
        {
            foreach (var (locale, template) in plan.Stages[0].Templates)
            {
                Assert.True(OptOutLine.IsIn(SmsText.Normalize(template), locale), $"{plan.Id} {locale}");
            }
        }
    }
}
