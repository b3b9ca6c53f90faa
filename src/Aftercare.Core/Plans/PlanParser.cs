using System.Text.Json;
using System.Text.RegularExpressions;
using Aftercare.Core.DataFiles;
using Aftercare.Core.Messaging;
using NodaTime;
using NodaTime.Text;

namespace Aftercare.Core.Plans;

/// <summary>
/// Reads and checks one plan file. Every problem is reported as a <see cref="PlanValidationException"/> naming the
/// file and the field path, so a broken plan stops the app at start-up rather than a client's text at send time.
/// </summary>
internal static partial class PlanParser
{
    public static readonly IReadOnlyList<string> RequiredLocales = ["en", "es"];

    private static readonly string[] PlanFields = ["id", "title", "selection", "stages"];
    private static readonly string[] StageFields = ["id", "topic", "timing", "freshFor", "cancelOnRebook", "sources", "templates"];
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static Plan Parse(PlanFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.Json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new PlanValidationException(
                file.FileName, e.Path?.TrimStart('$', '.') ?? string.Empty, $"not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        using (document)
        {
            return new Reader(file.FileName).Plan(document.RootElement);
        }
    }

    /// <summary>An id safe in a table key: lower-case letters and digits in dash-separated parts. Also the triage rule ids' rule.</summary>
    [GeneratedRegex(@"\A[a-z0-9]+(-[a-z0-9]+)*\z")]
    internal static partial Regex KeySafeId();

    /// <summary>A BCP 47-shaped locale tag (<c>en</c>, <c>es-MX</c>). Also the triage rule files' rule.</summary>
    [GeneratedRegex(@"\A[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\z")]
    internal static partial Regex LocaleTag();

    private sealed class Reader(string fileName)
    {
        public Plan Plan(JsonElement root)
        {
            RequireObject(root, string.Empty, PlanFields);
            var id = Id(root, "id");
            var title = NonEmptyString(root, "title", "title");
            if (root.TryGetProperty("selection", out var selection) && selection.ValueKind != JsonValueKind.String)
            {
                throw Fail("selection", "must be a string describing when the plan is chosen");
            }

            var stagesElement = Property(root, "stages", "stages");
            if (stagesElement.ValueKind != JsonValueKind.Array || stagesElement.GetArrayLength() == 0)
            {
                throw Fail("stages", "must be a non-empty array");
            }

            var stages = new List<PlanStage>();
            var index = 0;
            foreach (var element in stagesElement.EnumerateArray())
            {
                var path = $"stages[{index++}]";
                var stage = Stage(element, path);
                if (stages.Any(s => s.Id == stage.Id))
                {
                    throw Fail($"{path}.id", $"'{stage.Id}' is used by another stage of this plan");
                }

                if (stages.Count > 0 && !Follows(stages[^1].Timing, stage.Timing))
                {
                    throw Fail($"{path}.timing", $"must come after stage '{stages[^1].Id}': stages are listed in the order they are sent");
                }

                stages.Add(stage);
            }

            return new Plan(id, title, stages);
        }

        private PlanStage Stage(JsonElement element, string path)
        {
            RequireObject(element, path, StageFields);
            var id = Id(element, $"{path}.id");
            var timing = Timing(Property(element, "timing", $"{path}.timing"), $"{path}.timing");
            var freshFor = PositiveDuration(element, "freshFor", $"{path}.freshFor");
            var cancelOnRebook = false;
            if (element.TryGetProperty("cancelOnRebook", out var cancel))
            {
                cancelOnRebook = cancel.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Fail($"{path}.cancelOnRebook", "must be true or false"),
                };
            }

            return new PlanStage(id, timing, freshFor, Templates(element, $"{path}.templates"), Sources(element, $"{path}.sources"), cancelOnRebook);
        }

        private StageTiming Timing(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, "must be {\"offset\": \"PT0S\"} or {\"day\": 1, \"at\": \"09:00\"}");
            }

            var hasOffset = element.TryGetProperty("offset", out _);
            var hasDay = element.TryGetProperty("day", out var day);
            if (hasOffset == hasDay)
            {
                throw Fail(path, "needs either \"offset\" or \"day\" with \"at\", not both or neither");
            }

            if (hasOffset)
            {
                RequireObject(element, path, ["offset"]);
                var offset = Duration(element, "offset", $"{path}.offset");
                return offset < NodaTime.Duration.Zero ? throw Fail($"{path}.offset", "must not be negative") : new AfterTreatment(offset);
            }

            RequireObject(element, path, ["day", "at"]);
            if (day.ValueKind != JsonValueKind.Number || !day.TryGetInt32(out var dayNumber) || dayNumber < 0)
            {
                throw Fail($"{path}.day", "must be a whole number of days, 0 or more");
            }

            var at = NonEmptyString(element, "at", $"{path}.at");
            var time = TimePattern.Parse(at);
            return time.Success
                ? new OnLocalDay(dayNumber, time.Value)
                : throw Fail($"{path}.at", $"'{at}' is not a local time like \"09:00\"");
        }

        private Dictionary<string, string> Templates(JsonElement stage, string path)
        {
            var element = Property(stage, "templates", path);
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, "must be an object of locale → text");
            }

            var templates = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var field = $"{path}.{property.Name}";
                if (!LocaleTag().IsMatch(property.Name))
                {
                    throw Fail(field, "is not a locale tag like \"en\" or \"es-MX\"");
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw Fail(field, "must be a string");
                }

                var text = property.Value.GetString()!;
                var problems = MessageTemplates.Validate(text, property.Name);
                if (problems.Count > 0)
                {
                    throw Fail(field, string.Join("; ", problems));
                }

                templates[property.Name] = text;
            }

            foreach (var locale in RequiredLocales)
            {
                if (!templates.ContainsKey(locale))
                {
                    throw Fail($"{path}.{locale}", $"is missing: every stage needs {string.Join(" and ", RequiredLocales)}");
                }
            }

            return templates;
        }

        private List<string> Sources(JsonElement stage, string path)
        {
            var element = Property(stage, "sources", path);
            if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
            {
                throw Fail(path, "must list the seed articles that support the advice");
            }

            var sources = new List<string>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                {
                    throw Fail($"{path}[{index}]", "must be a file name");
                }

                sources.Add(item.GetString()!);
                index++;
            }

            return sources;
        }

        private string Id(JsonElement owner, string path)
        {
            var id = NonEmptyString(owner, "id", path);
            return KeySafeId().IsMatch(id) ? id : throw Fail(path, $"'{id}' must use only a-z, 0-9 and single dashes");
        }

        private Duration PositiveDuration(JsonElement owner, string name, string path)
        {
            var duration = Duration(owner, name, path);
            return duration > NodaTime.Duration.Zero ? duration : throw Fail(path, "must be longer than zero");
        }

        private Duration Duration(JsonElement owner, string name, string path)
        {
            var text = NonEmptyString(owner, name, path);
            var parsed = PeriodPattern.NormalizingIso.Parse(text);
            if (!parsed.Success || parsed.Value.Years != 0 || parsed.Value.Months != 0)
            {
                throw Fail(path, $"'{text}' is not an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. \"PT12H\", \"P2D\")");
            }

            return parsed.Value.ToDuration();
        }

        private string NonEmptyString(JsonElement owner, string name, string path) =>
            JsonFields.NonEmptyString(Property(owner, name, path), path, Fail);

        private JsonElement Property(JsonElement owner, string name, string path) => JsonFields.Property(owner, name, path, Fail);

        private void RequireObject(JsonElement element, string path, IReadOnlyCollection<string> allowed) =>
            JsonFields.RequireObject(element, path, allowed, Fail);

        private PlanValidationException Fail(string field, string problem) => new(fileName, field, problem);
    }

    /// <summary>
    /// Plan order: offset stages first (growing offsets), then day stages (growing day and time). A day stage after an
    /// offset stage must fall on a later day than the offset can reach, so order holds whatever the treatment's hour.
    /// </summary>
    private static bool Follows(StageTiming previous, StageTiming next) => (previous, next) switch
    {
        (AfterTreatment a, AfterTreatment b) => b.Offset > a.Offset,
        (AfterTreatment a, OnLocalDay b) => b.Day >= 1 + (int)Math.Ceiling(a.Offset.TotalDays),
        (OnLocalDay a, OnLocalDay b) => b.Day > a.Day || (b.Day == a.Day && b.Time > a.Time),
        _ => false,
    };
}
