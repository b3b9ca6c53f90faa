using System.Text.Json.Nodes;
using Aftercare.Core.Plans;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class PlanLoadingTests
{
    private const string ValidPlan = """
        {
          "id": "test-plan",
          "title": "Test plan",
          "stages": [
            {
              "id": "first",
              "timing": { "offset": "PT0S" },
              "freshFor": "PT12H",
              "sources": ["004_6d63dfd62eefdfcb.txt"],
              "templates": { "en": "Hi {firstName}, reply STOP to opt out. {clinicName}", "es": "Hola {firstName}, responde STOP. {clinicName}" }
            },
            {
              "id": "second",
              "timing": { "day": 1, "at": "09:00" },
              "freshFor": "P2D",
              "cancelOnRebook": true,
              "sources": ["003_3d211de58384a7ba.txt"],
              "templates": { "en": "Book at {bookingUrl} or call {clinicPhone}. {clinicName}", "es": "Reserva en {bookingUrl}. {clinicName}" }
            }
          ]
        }
        """;

    [Fact]
    public void A_valid_plan_loads_with_its_timings_durations_and_templates()
    {
        var catalog = PlanCatalog.Load([new PlanFile("test-plan.json", ValidPlan)]);

        var plan = Assert.Single(catalog.All);
        Assert.Same(plan, catalog.Find("test-plan"));
        Assert.Equal("Test plan", plan.Title);
        Assert.Equal(new AfterTreatment(NodaTime.Duration.Zero), plan.Stages[0].Timing);
        Assert.Equal(new OnLocalDay(1, new NodaTime.LocalTime(9, 0)), plan.Stages[1].Timing);
        Assert.Equal(NodaTime.Duration.FromDays(2), plan.Stages[1].FreshFor);
        Assert.False(plan.Stages[0].CancelOnRebook);
        Assert.True(plan.Stages[1].CancelOnRebook);
        Assert.Equal("Hola {firstName}, responde STOP. {clinicName}", plan.Stages[0].Templates["es"]);
    }

    [Fact]
    public void Every_shipped_plan_file_loads()
    {
        var files = ContentTestData.ReadPlanFiles();

        Assert.Equal(3, files.Count);
        foreach (var file in files)
        {
            var plan = Assert.Single(PlanCatalog.Load([file]).All);
            Assert.Equal(Path.GetFileNameWithoutExtension(file.FileName), plan.Id);
        }
    }

    public static TheoryData<string, Action<JsonObject>, string, string> BrokenPlans() => new()
    {
        { "bad duration", p => Stage(p, 1)["freshFor"] = "two days", "stages[1].freshFor", "ISO 8601" },
        { "months duration", p => Stage(p, 1)["freshFor"] = "P1M", "stages[1].freshFor", "ISO 8601" },
        { "zero freshness", p => Stage(p, 0)["freshFor"] = "PT0S", "stages[0].freshFor", "longer than zero" },
        { "bad offset", p => Stage(p, 0)["timing"] = new JsonObject { ["offset"] = "soon" }, "stages[0].timing.offset", "ISO 8601" },
        { "missing es", p => Templates(p, 1).Remove("es"), "stages[1].templates.es", "missing" },
        { "missing en", p => Templates(p, 0).Remove("en"), "stages[0].templates.en", "missing" },
        { "unknown placeholder", p => Templates(p, 1)["es"] = "Hola {nombre}. {clinicName}", "stages[1].templates.es", "unknown placeholder {nombre}" },
        { "unclosed brace", p => Templates(p, 0)["en"] = "Hi {firstName. {clinicName}", "stages[0].templates.en", "not closed" },
        { "stray brace", p => Templates(p, 0)["en"] = "Hi } {clinicName}", "stages[0].templates.en", "closes no placeholder" },
        { "too long", p => Templates(p, 1)["es"] = "Hola {firstName}, " + new string('a', 280), "stages[1].templates.es", "Gsm7 units" },
        { "no room for the opt-out line", p => Templates(p, 1)["es"] = "Hola {firstName}, " + new string('a', 260), "stages[1].templates.es", "and the opt-out line" },
        { "no opt-out line in its language", p => Templates(p, 0)["fr"] = "Salut {firstName}. {clinicName}", "stages[0].templates.fr", "no opt-out line" },
        { "too long in UCS-2", p => Templates(p, 0)["en"] = "Hi {firstName} 😀 " + new string('a', 120), "stages[0].templates.en", "segments" },
        { "negative day", p => Stage(p, 1)["timing"] = new JsonObject { ["day"] = -1, ["at"] = "09:00" }, "stages[1].timing.day", "0 or more" },
        { "bad time", p => Stage(p, 1)["timing"] = new JsonObject { ["day"] = 1, ["at"] = "9am" }, "stages[1].timing.at", "local time" },
        { "offset and day", p => Stage(p, 1)["timing"] = new JsonObject { ["day"] = 1, ["at"] = "09:00", ["offset"] = "PT0S" }, "stages[1].timing", "not both" },
        { "no sources", p => Stage(p, 0)["sources"] = new JsonArray(), "stages[0].sources", "seed articles" },
        { "unsafe plan id", p => p["id"] = "Test Plan", "id", "a-z" },
        { "unsafe stage id", p => Stage(p, 1)["id"] = "second/stage", "stages[1].id", "a-z" },
        { "duplicate stage id", p => Stage(p, 1)["id"] = "first", "stages[1].id", "another stage" },
        { "day stage on the day of an offset stage", p => Stage(p, 1)["timing"] = new JsonObject { ["day"] = 0, ["at"] = "23:00" }, "stages[1].timing", "must come after stage 'first'" },
        { "unknown field", p => Stage(p, 0)["freshfor"] = "PT1H", "stages[0].freshfor", "not a known field" },
        { "missing title", p => p.Remove("title"), "title", "missing" },
        { "no stages", p => p["stages"] = new JsonArray(), "stages", "non-empty" },
        { "bad locale", p => Templates(p, 0)["English"] = "Hi. {clinicName}", "stages[0].templates.English", "locale tag" },
    };

    [Theory]
    [MemberData(nameof(BrokenPlans))]
    public void A_broken_plan_fails_naming_the_file_and_the_field(string why, Action<JsonObject> breakIt, string field, string problem)
    {
        var plan = JsonNode.Parse(ValidPlan)!.AsObject();
        breakIt(plan);

        var error = Assert.Throws<PlanValidationException>(() => PlanCatalog.Load([new PlanFile("broken.json", plan.ToJsonString())]));

        Assert.True(error.FileName == "broken.json", why);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("broken.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stages_listed_out_of_order_fail_on_the_later_stage()
    {
        var plan = JsonNode.Parse(ValidPlan)!.AsObject();
        var stages = plan["stages"]!.AsArray();
        var first = stages[0]!.DeepClone();
        stages.RemoveAt(0);
        stages.Add(first);

        var error = Assert.Throws<PlanValidationException>(() => PlanCatalog.Load([new PlanFile("order.json", plan.ToJsonString())]));

        Assert.Equal("stages[1].timing", error.Field);
        Assert.Contains("must come after stage 'second'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_fails_naming_the_file()
    {
        var error = Assert.Throws<PlanValidationException>(() => PlanCatalog.Load([new PlanFile("truncated.json", ValidPlan[..200])]));

        Assert.Equal("truncated.json", error.FileName);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_files_with_the_same_plan_id_fail_naming_the_second()
    {
        var error = Assert.Throws<PlanValidationException>(() =>
            PlanCatalog.Load([new PlanFile("a.json", ValidPlan), new PlanFile("b.json", ValidPlan)]));

        Assert.Equal("b.json", error.FileName);
        Assert.Equal("id", error.Field);
        Assert.Contains("a.json", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Stage(JsonObject plan, int index) => plan["stages"]![index]!.AsObject();

    private static JsonObject Templates(JsonObject plan, int index) => Stage(plan, index)["templates"]!.AsObject();
}
