using System.Text.Json.Nodes;
using Aftercare.Core.Replies;
using Xunit;

namespace Aftercare.Core.Tests.Replies;

/// <summary>A broken rule file stops start-up with the file and field named, as a broken plan does.</summary>
public sealed class TriageRuleFileTests
{
    [Fact]
    public void The_shipped_files_load_for_English_and_Spanish() =>
        Assert.Equal(["en", "es"], TriageTestData.Shipped.Locales.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("locale", "\"english\"", "locale")]
    [InlineData("locale", "\"es\"", "locale")]
    [InlineData("negations", "[]", "negations")]
    [InlineData("negations", "[\"not this\"]", "negations[0]")]
    [InlineData("negationWindow", "0", "negationWindow")]
    [InlineData("negationWindow", "\"3\"", "negationWindow")]
    [InlineData("spellings", "{\"u r\": \"you are\"}", "spellings.u r")]
    [InlineData("rules", "[]", "rules")]
    [InlineData("answers", "{\"urgent\": \"Call us.\", \"emergency\": \"Call 112.\"}", "answers.urgent")]
    public void A_bad_top_level_field_is_named(string field, string json, string expectedField)
    {
        var file = ShippedEnglish();
        file[field] = JsonNode.Parse(json);

        var error = Assert.Throws<TriageRuleValidationException>(() => Load(file));

        Assert.Equal("en.json", error.FileName);
        Assert.Equal(expectedField, error.Field);
    }

    [Theory]
    [InlineData("{\"id\": \"Pus!\", \"kind\": \"urgent\", \"any\": [\"pus\"]}", "rules[0].id")]
    [InlineData("{\"id\": \"x\", \"kind\": \"worry\", \"any\": [\"pus\"]}", "rules[0].kind")]
    [InlineData("{\"id\": \"x\", \"kind\": \"question\", \"emergency\": true, \"any\": [\"?\"]}", "rules[0].emergency")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"negatable\": \"no\", \"any\": [\"pus\"]}", "rules[0].negatable")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\"}", "rules[0]")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"any\": [\"pus\"], \"all\": [[\"a\"], [\"b\"]]}", "rules[0]")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"any\": []}", "rules[0].any")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"all\": [[\"red\"]]}", "rules[0].all")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"any\": [\"pus\", \"  \"]}", "rules[0].any[1]")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"any\": [\"sw*ell\"]}", "rules[0].any[0]")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"any\": [\"re*\"]}", "rules[0].any[0]")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"any\": [\"😭\"]}", "rules[0].any[0]")]
    [InlineData("{\"id\": \"x\", \"kind\": \"urgent\", \"any\": [\"pus\"], \"weight\": 2}", "rules[0].weight")]
    public void A_bad_rule_is_named(string rule, string expectedField)
    {
        var file = ShippedEnglish();
        var rules = file["rules"]!.AsArray();
        rules.Insert(0, JsonNode.Parse(rule));

        var error = Assert.Throws<TriageRuleValidationException>(() => Load(file));

        Assert.Equal(expectedField, error.Field);
    }

    [Fact]
    public void A_rule_id_used_twice_is_named_at_its_second_use()
    {
        var file = ShippedEnglish();
        var rules = file["rules"]!.AsArray();
        rules.Add(JsonNode.Parse("{\"id\": \"pus\", \"kind\": \"urgent\", \"any\": [\"ooze\"]}"));

        var error = Assert.Throws<TriageRuleValidationException>(() => Load(file));

        Assert.Equal($"rules[{rules.Count - 1}].id", error.Field);
    }

    [Theory]
    [InlineData("urgent", "Hi {firstName}, call {clinicPhone}.")]
    [InlineData("urgent", "{clinicName} has been told. Please call the clinic now.")]
    [InlineData("emergency", "Call {clinicPhone")]
    public void An_answer_with_a_placeholder_it_cannot_have_or_without_the_clinic_number_is_refused(string answer, string text)
    {
        var file = ShippedEnglish();
        file["answers"]![answer] = text;

        var error = Assert.Throws<TriageRuleValidationException>(() => Load(file));

        Assert.Equal($"answers.{answer}", error.Field);
    }

    [Fact]
    public void An_answer_that_could_take_three_segments_is_refused()
    {
        var file = ShippedEnglish();
        file["answers"]!["emergency"] = string.Concat(Enumerable.Repeat("Call emergency services now. ", 10)) + "{clinicName}";

        var error = Assert.Throws<TriageRuleValidationException>(() => Load(file));

        Assert.Equal("answers.emergency", error.Field);
    }

    [Fact]
    public void A_file_without_an_emergency_rule_is_refused()
    {
        var file = ShippedEnglish();
        foreach (var rule in file["rules"]!.AsArray())
        {
            rule!.AsObject().Remove("emergency");
        }

        Assert.Equal("rules", Assert.Throws<TriageRuleValidationException>(() => Load(file)).Field);
    }

    [Fact]
    public void Broken_JSON_is_reported_with_its_line() =>
        Assert.Contains(
            "not valid JSON (line",
            Assert.Throws<TriageRuleValidationException>(() => ReplyTriage.Load([new TriageRuleFile("en.json", "{\n  \"locale\": ")])).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Two_files_for_one_locale_or_none_for_English_are_refused()
    {
        var spanish = new TriageRuleFile("es.json", TriageTestData.ShippedJson("es"));

        Assert.Throws<TriageRuleValidationException>(() => ReplyTriage.Load([spanish]));
        Assert.Throws<TriageRuleValidationException>(() => ReplyTriage.Load([spanish, spanish, .. EnglishOnly()]));
    }

    private static JsonObject ShippedEnglish() =>
        JsonNode.Parse(TriageTestData.ShippedJson("en"), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();

    private static TriageRuleFile[] EnglishOnly() => [new("en.json", TriageTestData.ShippedJson("en"))];

    private static ReplyTriage Load(JsonObject english) => ReplyTriage.Load([new TriageRuleFile("en.json", english.ToJsonString())]);
}
