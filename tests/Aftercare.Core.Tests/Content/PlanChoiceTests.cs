using Aftercare.Core.Plans;
using Aftercare.Core.Treatments;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class PlanChoiceTests
{
    [Theory]
    [InlineData("pen", "1.5", "face", PlanIds.Default)]
    [InlineData("dermapen", "1.0", "face", PlanIds.Default)]
    [InlineData("roller", null, "neck", PlanIds.Default)]
    [InlineData("stamp", "2", "other", PlanIds.Default)]
    [InlineData("pen", "1.5", "acne scars", PlanIds.Default)]
    [InlineData("pen", "2.0", "Cheek scars", PlanIds.Default)]
    [InlineData("pen", null, "décolleté", PlanIds.Default)]
    [InlineData("pen", "0.5", "face", PlanIds.Light)]
    [InlineData("roller", "0.99", "forehead", PlanIds.Light)]
    [InlineData("home roller", null, "face", PlanIds.Light)]
    [InlineData("home roller", "1.5", "face", PlanIds.Default)]
    [InlineData("pen", "2.0", "stretch marks", PlanIds.Body)]
    [InlineData("pen", "2.0", "Stretch-Marks", PlanIds.Body)]
    [InlineData("pen", "1.5", "scars", PlanIds.Body)]
    [InlineData("pen", "1.5", "surgical scar", PlanIds.Body)]
    [InlineData("pen", "2.0", "abdomen", PlanIds.Body)]
    [InlineData("pen", "2.0", "Thighs", PlanIds.Body)]
    [InlineData("pen", null, "upper arms", PlanIds.Body)]
    [InlineData("pen", "2.0", "lower-back", PlanIds.Body)]
    [InlineData("pen", "2.0", "buttocks", PlanIds.Body)]
    [InlineData("pen", "2.0", "chest", PlanIds.Body)]
    [InlineData("pen", "0.5", "hands", PlanIds.Body)]
    [InlineData("pen", "1.5", "acne scars on back", PlanIds.Body)]
    public void The_plan_follows_device_depth_and_area(string device, string? depth, string area, string expected)
    {
        var details = Details(device, depth is null ? null : decimal.Parse(depth, System.Globalization.CultureInfo.InvariantCulture), area);

        Assert.Equal(expected, PlanChoice.PlanIdFor(details));
        Assert.Equal(expected, ContentTestData.Shipped.Choose(details).Id);
    }

    [Fact]
    public void A_catalog_without_the_chosen_plan_falls_back_to_the_default()
    {
        var catalog = PlanCatalog.Load(ContentTestData.ReadPlanFiles().Where(f => f.FileName.Contains("default", StringComparison.Ordinal)));

        Assert.Equal(PlanIds.Default, catalog.Choose(Details("pen", 0.5m, "face")).Id);
    }

    private static TreatmentDetails Details(string device, decimal? depth, string area) =>
        new("microneedling", device, depth, area, new OffsetDateTime(new LocalDateTime(2026, 3, 1, 10, 0), Offset.FromHours(-5)));
}
