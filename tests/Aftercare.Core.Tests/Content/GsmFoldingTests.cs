using Aftercare.Core.Messaging;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class GsmFoldingTests
{
    [Theory]
    [InlineData("Zoë", "Zoe")]
    [InlineData("Małgorzata Świętosława", "Malgorzata Swietoslawa")]
    [InlineData("Nguyễn Thị Phương Lê", "Nguyen Thi Phuong Le")]
    [InlineData("Ştefan Çelik", "Stefan Çelik")]
    [InlineData("Åsa Müller", "Åsa Müller")]
    [InlineData("Ana 😀", "Ana")]
    [InlineData("王小明", "")]
    [InlineData("Skin [&] Co", "Skin & Co")]
    public void Folding_keeps_GSM7_letters_strips_other_diacritics_and_drops_the_rest(string input, string expected)
    {
        var folded = GsmFolding.Fold(input);

        Assert.Equal(expected, folded);
        Assert.True(SmsText.IsGsm7Basic(folded));
    }
}
