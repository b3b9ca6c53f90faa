using System.Text.Json;
using Aftercare.Core.DataFiles;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;

namespace Aftercare.Core.Replies;

/// <summary>
/// Reads and checks one triage rule file. Every problem is a <see cref="TriageRuleValidationException"/> naming the file
/// and the field path, so a broken file stops the app at start-up rather than letting an urgent reply go unnoticed.
/// </summary>
internal static class TriageRuleParser
{
    private static readonly string[] FileFields =
        ["locale", "negations", "pseudoNegations", "negationWindow", "clauseWords", "spellings", "answers", "rules"];

    private static readonly string[] RuleFields = ["id", "kind", "emergency", "negatable", "any", "all"];
    private static readonly string[] AnswerFields = ["urgent", "emergency"];
    private static readonly string[] AnswerPlaceholders = [MessageTemplates.ClinicName, MessageTemplates.ClinicPhone];
    private static readonly HashSet<string> NoWords = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string[]> NoSpellings = new(StringComparer.Ordinal);

    public static TriageRulebook Parse(TriageRuleFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.Json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new TriageRuleValidationException(
                file.FileName, e.Path?.TrimStart('$', '.') ?? string.Empty, $"not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        using (document)
        {
            return new Reader(file.FileName).Rulebook(document.RootElement);
        }
    }


    private sealed class Reader(string fileName)
    {
        public TriageRulebook Rulebook(JsonElement root)
        {
            RequireObject(root, string.Empty, FileFields);
            var locale = NonEmptyString(Property(root, "locale", "locale"), "locale");
            if (!PlanParser.LocaleTag().IsMatch(locale))
            {
                throw Fail("locale", $"'{locale}' is not a locale tag like \"en\" or \"es-MX\"");
            }

            if (!string.Equals(Path.GetFileNameWithoutExtension(fileName), locale, StringComparison.Ordinal))
            {
                throw Fail("locale", $"'{locale}' must be the file's name (a file per locale: {locale}.json)");
            }

            var clauseWords = Words(root, "clauseWords", NoSpellings).ToHashSet(StringComparer.Ordinal);
            var spellings = Spellings(root);
            var negations = Words(root, "negations", spellings).ToHashSet(StringComparer.Ordinal);
            if (negations.Count == 0)
            {
                throw Fail("negations", "must list at least one negation word");
            }

            var pseudo = Terms(Property(root, "pseudoNegations", "pseudoNegations"), "pseudoNegations", spellings, allowEmpty: true);
            var window = Property(root, "negationWindow", "negationWindow");
            if (window.ValueKind != JsonValueKind.Number || !window.TryGetInt32(out var negationWindow) || negationWindow is < 1 or > 6)
            {
                throw Fail("negationWindow", "must be a whole number of words from 1 to 6");
            }

            var rules = Rules(root, spellings);
            if (!rules.Any(r => r.Kind == TriageKind.Urgent) || !rules.Any(r => r.Kind == TriageKind.Question))
            {
                throw Fail("rules", "needs at least one urgent and one question rule");
            }

            if (!rules.Any(r => r.Emergency))
            {
                throw Fail("rules", "needs at least one emergency rule (trouble breathing)");
            }

            return new TriageRulebook(locale, rules, negations, pseudo, negationWindow, clauseWords, spellings, Answers(root, locale));
        }

        private List<TriageRule> Rules(JsonElement root, Dictionary<string, string[]> spellings)
        {
            var element = Property(root, "rules", "rules");
            if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
            {
                throw Fail("rules", "must be a non-empty array");
            }

            var rules = new List<TriageRule>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var path = $"rules[{index++}]";
                RequireObject(item, path, RuleFields);
                var id = NonEmptyString(Property(item, "id", $"{path}.id"), $"{path}.id");
                if (!PlanParser.KeySafeId().IsMatch(id))
                {
                    throw Fail($"{path}.id", $"'{id}' must use only a-z, 0-9 and single dashes");
                }

                if (rules.Any(r => r.Id == id))
                {
                    throw Fail($"{path}.id", $"'{id}' is used by another rule of this file");
                }

                var kind = NonEmptyString(Property(item, "kind", $"{path}.kind"), $"{path}.kind") switch
                {
                    "urgent" => TriageKind.Urgent,
                    "question" => TriageKind.Question,
                    _ => throw Fail($"{path}.kind", "must be \"urgent\" or \"question\" (anything else is other)"),
                };
                var emergency = Flag(item, "emergency", $"{path}.emergency", false);
                if (emergency && kind != TriageKind.Urgent)
                {
                    throw Fail($"{path}.emergency", "only an urgent rule can be an emergency");
                }

                var negatable = Flag(item, "negatable", $"{path}.negatable", true);
                rules.Add(new TriageRule(id, kind, emergency, negatable, Groups(item, path, spellings)));
            }

            return rules;
        }

        private List<IReadOnlyList<TriageTerm>> Groups(JsonElement rule, string path, Dictionary<string, string[]> spellings)
        {
            var hasAny = rule.TryGetProperty("any", out var any);
            var hasAll = rule.TryGetProperty("all", out var all);
            if (hasAny == hasAll)
            {
                throw Fail(path, "needs either \"any\" (a list of terms) or \"all\" (a list of term lists), not both or neither");
            }

            if (hasAny)
            {
                return [Terms(any, $"{path}.any", spellings, allowEmpty: false)];
            }

            if (all.ValueKind != JsonValueKind.Array || all.GetArrayLength() < 2)
            {
                throw Fail($"{path}.all", "must be an array of at least two term lists");
            }

            return all.EnumerateArray()
                .Select((group, i) => (IReadOnlyList<TriageTerm>)Terms(group, $"{path}.all[{i}]", spellings, allowEmpty: false))
                .ToList();
        }

        private List<TriageTerm> Terms(JsonElement element, string path, Dictionary<string, string[]> spellings, bool allowEmpty)
        {
            if (element.ValueKind != JsonValueKind.Array || (!allowEmpty && element.GetArrayLength() == 0))
            {
                throw Fail(path, allowEmpty ? "must be an array of terms" : "must be a non-empty array of terms");
            }

            var terms = new List<TriageTerm>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var field = $"{path}[{index++}]";
                var source = NonEmptyString(item, field);
                var tokens = new List<TermToken>();
                foreach (var piece in source.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var stem = piece.EndsWith('*');
                    var words = ReplyText.Tokenize(piece.TrimEnd('*'), spellings, NoWords);
                    if (piece.TrimEnd('*').Contains('*', StringComparison.Ordinal) || (stem && (words.Count != 1 || words[0].Text.Length < 3)))
                    {
                        throw Fail(field, $"'{piece}': a stem is one word of at least 3 letters with a single trailing *");
                    }

                    tokens.AddRange(words.Select(w => new TermToken(w.Text, stem)));
                }

                if (tokens.Count == 0)
                {
                    throw Fail(field, $"'{source}' has no words");
                }

                terms.Add(new TriageTerm(source, tokens));
            }

            return terms;
        }

        private List<string> Words(JsonElement root, string name, Dictionary<string, string[]> spellings) =>
            Terms(Property(root, name, name), name, spellings, allowEmpty: true)
                .Select((term, i) => term.Tokens.Count == 1 ? term.Tokens[0].Text : throw Fail($"{name}[{i}]", "must be a single word"))
                .ToList();

        private Dictionary<string, string[]> Spellings(JsonElement root)
        {
            var element = Property(root, "spellings", "spellings");
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail("spellings", "must be an object of SMS spelling → word(s), e.g. {\"u\": \"you\"}");
            }

            var spellings = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var field = $"spellings.{property.Name}";
                var from = ReplyText.Tokenize(property.Name, NoSpellings, NoWords);
                var to = ReplyText.Tokenize(NonEmptyString(property.Value, field), NoSpellings, NoWords);
                if (from.Count != 1 || to.Count == 0)
                {
                    throw Fail(field, "must map one word to one or more words");
                }

                spellings[from[0].Text] = to.Select(t => t.Text).ToArray();
            }

            return spellings;
        }

        private UrgentAnswers Answers(JsonElement root, string locale)
        {
            var element = Property(root, "answers", "answers");
            RequireObject(element, "answers", AnswerFields);
            return new UrgentAnswers(Answer(element, "urgent", locale), Answer(element, "emergency", locale));
        }

        private string Answer(JsonElement answers, string name, string locale)
        {
            var field = $"answers.{name}";
            var text = NonEmptyString(Property(answers, name, field), field);
            var placeholders = MessageTemplates.PlaceholdersIn(text);
            if (placeholders.FirstOrDefault(p => !AnswerPlaceholders.Contains(p)) is { } unknown)
            {
                throw Fail(field, $"{{{unknown}}} is not available here; use {{{MessageTemplates.ClinicName}}} and {{{MessageTemplates.ClinicPhone}}}");
            }

            if (name == "urgent" && !placeholders.Contains(MessageTemplates.ClinicPhone))
            {
                throw Fail(field, $"must give the clinic's number ({{{MessageTemplates.ClinicPhone}}}): the client is told to call it");
            }

            // The plans' check: within 2 segments with the longest clinic name and number, even with the opt-out line.
            var problems = MessageTemplates.Validate(text, locale);
            return problems.Count == 0 ? text : throw Fail(field, string.Join("; ", problems));
        }

        private bool Flag(JsonElement owner, string name, string path, bool fallback) =>
            !owner.TryGetProperty(name, out var value) ? fallback : value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fail(path, "must be true or false"),
            };

        private string NonEmptyString(JsonElement element, string path) => JsonFields.NonEmptyString(element, path, Fail);

        private JsonElement Property(JsonElement owner, string name, string path) => JsonFields.Property(owner, name, path, Fail);

        private void RequireObject(JsonElement element, string path, IReadOnlyCollection<string> allowed) =>
            JsonFields.RequireObject(element, path, allowed, Fail);

        private TriageRuleValidationException Fail(string field, string problem) => new(fileName, field, problem);
    }
}
