using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace Aftercare.Functions.Tests;

/// <summary>
/// A seeded FsCheck property over the registration and clinic endpoints (issue 13, "Must show"): random JSON and valid
/// bodies with fields broken (random strings, numbers, nulls, nested values, edge dates, phone spellings, ids and
/// locales) are sent through the local Functions host to one app. Never a 5xx; every 4xx is problem+json and leaves
/// every table exactly as it was. A failure shrinks to the fewest, simplest edits of the body.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class EdgeFuzzTests(Infrastructure infrastructure, ITestOutputHelper output)
{
    private const int Bodies = 1200;
    private const ulong Seed = 13_2026_11_30UL;
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    private enum Endpoint
    {
        RegisterTreatment,
        CreateClinic,
        UpdateClinic,
    }

    [Fact]
    public async Task No_body_is_a_5xx_and_every_4xx_is_a_problem_that_stores_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var target = new Target(host, await Clinics.CreateAsync(host), await Clinics.CreateAsync(host), await host.SnapshotStorageAsync());
        var config = Config.QuickThrowOnFailure.WithMaxTest(Bodies).WithReplay(new Replay(new Rnd(Seed), null));
        var stopwatch = Stopwatch.StartNew();

        Check.One(config, Prop.ForAll(Arb.From(Cases(), Shrink), fuzz => Task.Run(() => target.SendAsync(fuzz))));

        output.WriteLine($"{target.Sent} bodies in {stopwatch.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", target.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(target.Sent >= Bodies);
        Assert.Contains(target.Statuses.Keys, status => status is >= 200 and < 300);
        Assert.Contains(target.Statuses.Keys, status => status is >= 400 and < 500);
    }

    /// <summary>A body for one endpoint: a starting body (valid, or an empty object) with edits applied in order.</summary>
    private sealed record Fuzz(Endpoint Endpoint, bool StartValid, string ExternalId, IReadOnlyList<Edit> Edits)
    {
        public string Json()
        {
            JsonNode? body = StartValid ? ValidBody(Endpoint, ExternalId) : new JsonObject();
            foreach (var edit in Edits)
            {
                body = edit.ApplyTo(body);
            }

            return body?.ToJsonString() ?? "null";
        }

        public override string ToString() => $"{Endpoint} {Json()}";
    }

    /// <summary>Sets (or with <see cref="Remove"/>, removes) the value at <see cref="Path"/>; an empty path replaces the body.</summary>
    private sealed record Edit(IReadOnlyList<string> Path, string? Value, bool Remove = false)
    {
        public JsonNode? ApplyTo(JsonNode? body)
        {
            if (Path.Count == 0)
            {
                return Parse(Value);
            }

            if (body is not JsonObject root)
            {
                return body;
            }

            var parent = root;
            foreach (var key in Path.Take(Path.Count - 1))
            {
                if (parent[key] is not JsonObject child)
                {
                    child = [];
                    parent[key] = child;
                }

                parent = child;
            }

            if (Remove)
            {
                parent.Remove(Path[^1]);
            }
            else
            {
                parent[Path[^1]] = Parse(Value);
            }

            return root;
        }

        private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
    }

    private sealed class Target(AftercareApp host, ClinicCredentials registering, ClinicCredentials updated, IReadOnlyList<string> stored)
    {
        private IReadOnlyList<string> _stored = stored;

        public int Sent { get; private set; }

        public Dictionary<int, int> Statuses { get; } = [];

        public async Task SendAsync(Fuzz fuzz)
        {
            var json = fuzz.Json();
            using var response = fuzz.Endpoint switch
            {
                Endpoint.RegisterTreatment => await host.SendSignedAsync(HttpMethod.Post, registering.TreatmentsPath, registering.Secret, json),
                Endpoint.CreateClinic => await host.Admin.PostAsync("/api/manage/clinics", JsonContent(json)),
                _ => await host.Admin.PatchAsync($"/api/manage/clinics/{updated.Id}", JsonContent(json)),
            };
            var status = (int)response.StatusCode;
            Sent++;
            Statuses[status] = Statuses.GetValueOrDefault(status) + 1;

            Assert.True(status < 500, $"{status} for {fuzz}: {await response.Content.ReadAsStringAsync()}");
            var now = await host.SnapshotStorageAsync();
            if (status >= 400)
            {
                await response.AssertProblemAsync(response.StatusCode);
                Assert.True(_stored.SequenceEqual(now), $"{status} for {fuzz} changed storage");
            }

            _stored = now;
        }

        private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
    }

    private static readonly Dictionary<Endpoint, string[][]> Fields = new()
    {
        [Endpoint.RegisterTreatment] =
        [
            ["externalId"], ["client"], ["client", "firstName"], ["client", "phone"], ["client", "locale"], ["client", "timeZone"],
            ["treatment"], ["treatment", "type"], ["treatment", "device"], ["treatment", "needleDepthMm"], ["treatment", "area"],
            ["treatment", "performedAt"], ["consent"], ["consent", "sms"], ["consent", "capturedAt"], ["consent", "method"], ["extra"],
        ],
        [Endpoint.CreateClinic] =
        [
            ["name"], ["timeZone"], ["senderPhone"], ["messagingServiceSid"], ["bookingUrl"], ["contactPhone"], ["alertWebhookUrl"],
            ["quietHours"], ["quietHours", "start"], ["quietHours", "end"], ["defaultLocale"], ["extra"],
        ],
        [Endpoint.UpdateClinic] =
        [
            ["bookingUrl"], ["contactPhone"], ["alertWebhookUrl"], ["quietHours"], ["quietHours", "start"], ["quietHours", "end"],
            ["templateOverrides"], ["templateOverrides", "welcome-redness"], ["templateOverrides", "welcome-redness", "en"],
            ["templateOverrides", "rebook", "es"], ["templateOverrides", "no-such-stage", "en"], ["templateOverrides", "rebook", "xx"],
        ],
    };

    private static readonly string[] Dates =
    [
        "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1600-12-31T23:59:59Z", "1601-01-01T00:00:00Z",
        "1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z", "2026-11-20T14:00:00Z", "2026-11-20T15:04:59Z", "2026-11-20T15:05:01Z",
        "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-18:00", "2026-02-30T10:00:00Z", "2026-11-20T14:00:00", "2026-11-20",
        "2026-11-20T14:00:00+25:00", "2026-11-20T14:00:00Z\n", " 2026-11-20T14:00:00Z", "+275760-09-13T00:00:00Z", "1764547200",
    ];

    private static readonly string[] Phones =
    [
        "+447400123456", "07400 123456", "0044 7400 123456", "+44 (0)7400 123456", "+447400123456\n", "+447400123456 ",
        "+447400123456abc", "+447400123456 +447400123457", "+442079460000", "+1 (201) 555-0123", "+1 800 555 0100",
        "+6104312345678", "+61 412 345 678", "+34 612 34 56 78", "+52 1 55 1234 5678", "+91 98765 43210", "+", "00", "0",
        "+44740012345678901234567890", "\uFF0B\uFF14\uFF14\uFF17\uFF14\uFF10\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16",
        "+44 7400 123456 ext. 12", "tel:+447400123456", "+15005550006", "+4474001234\u00A056",
    ];

    private static readonly string[] Words =
    [
        "", " ", "\n", "\t", "\u0000", "en", "es", "xx", "EN", "en-GB", "Europe/London", "Mars/Olympus", "UTC", "visit-1",
        "a/b", ".", "..", "~", "%2F", "https://book.example.com/x", "http://localhost/x", "javascript:alert(1)", "09:00",
        "21:00", "24:00", "9:00", "MG" + new string('f', 32), "MG" + new string('f', 32) + "\n", "{firstName}", "{{", "}",
        "Hi {firstName}, reply STOP to opt out.", new string('…', 400), new string('x', 5000), "é", "\uD83D\uDE00", "\uFEFF",
    ];

    private static Gen<Fuzz> Cases() =>
        from endpoint in Gen.Elements(Endpoint.RegisterTreatment, Endpoint.RegisterTreatment, Endpoint.CreateClinic, Endpoint.UpdateClinic)
        from startValid in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
        from externalId in Gen.Elements("visit-1", "visit-2", "visit-3", "visit-4")
        from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Choose(2, 4)), (1, Gen.Constant(0)))
        from edits in Gen.ListOf(EditFor(endpoint), count)
        select new Fuzz(endpoint, startValid, externalId, [.. edits]);

    private static Gen<Edit> EditFor(Endpoint endpoint) =>
        Gen.Frequency(
            (12, from path in Gen.Elements(Fields[endpoint]) from value in Values() select new Edit(path, value)),
            (2, Gen.Elements(Fields[endpoint]).Select(path => new Edit(path, null, Remove: true))),
            (1, Values().Select(value => new Edit([], value))));

    /// <summary>JSON texts (null: JSON null) of every kind, weighted towards the values an edge check is about.</summary>
    private static Gen<string?> Values()
    {
        var text = Gen.Frequency(
            (3, Gen.Elements(Dates)),
            (3, Gen.Elements(Phones)),
            (3, Gen.Elements(Words)),
            (2, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)))
            .Select(s => JsonSerializer.Serialize(s));
        var number = Gen.OneOf(
            ArbMap.Default.GeneratorFor<int>().Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Elements("0", "-0", "1.5", "-1", "0.0001", "1e400", "-1e400", "1e-400", "9223372036854775808", "79228162514264337593543950336"));
        var scalar = Gen.Frequency(
            (6, text.Select(s => (string?)s)),
            (2, number.Select(s => (string?)s)),
            (1, Gen.Elements<string?>("true", "false", null)));
        return Gen.Sized(size => Nested(scalar, Math.Min(size, 3)));
    }

    private static Gen<string?> Nested(Gen<string?> scalar, int depth) => depth <= 0
        ? scalar
        : Gen.Frequency(
            (8, scalar),
            (1, Gen.ListOf(Nested(scalar, depth - 1), 3).Select(items => (string?)$"[{string.Join(",", items.Select(i => i ?? "null"))}]")),
            (1, from keys in Gen.ListOf(Gen.Elements("a", "phone", "performedAt", "en", ""), 2)
                from values in Gen.ListOf(Nested(scalar, depth - 1), 2)
                select (string?)$"{{{string.Join(",", keys.Distinct().Zip(values, (k, v) => $"{JsonSerializer.Serialize(k)}:{v ?? "null"}"))}}}"));

    /// <summary>Fewer edits first, then each edit's value simpler: JSON null, then its string shortened.</summary>
    private static IEnumerable<Fuzz> Shrink(Fuzz fuzz)
    {
        for (var i = 0; i < fuzz.Edits.Count; i++)
        {
            yield return fuzz with { Edits = [.. fuzz.Edits.Where((_, j) => j != i)] };
        }

        for (var i = 0; i < fuzz.Edits.Count; i++)
        {
            var edit = fuzz.Edits[i];
            foreach (var simpler in SimplerValues(edit.Value))
            {
                yield return fuzz with { Edits = [.. fuzz.Edits.Select((e, j) => j == i ? e with { Value = simpler } : e)] };
            }
        }
    }

    private static IEnumerable<string?> SimplerValues(string? json)
    {
        if (json is null)
        {
            yield break;
        }

        yield return null;
        if (JsonNode.Parse(json) is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            yield return JsonSerializer.Serialize(text[..(text.Length / 2)]);
            yield return JsonSerializer.Serialize(text[1..]);
        }
    }

    private static JsonNode ValidBody(Endpoint endpoint, string externalId) => endpoint switch
    {
        Endpoint.RegisterTreatment => JsonNode.Parse(Registrations.Body(externalId, Now.AddHours(-1)))!,
        Endpoint.CreateClinic => new JsonObject
        {
            ["name"] = "Riverside Skin Clinic",
            ["timeZone"] = "Europe/London",
            ["senderPhone"] = "+15005550006",
            ["bookingUrl"] = "https://book.example.com/riverside",
            ["contactPhone"] = "+442079460000",
            ["defaultLocale"] = "en",
        },
        _ => new JsonObject { ["bookingUrl"] = "https://book.example.com/renamed" },
    };
}
