using System.Net;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// An external id the API accepts is the path segment its treatment is read and cancelled with, through the local
/// Functions host's forwarder and the worker's routing; every other id is a 400, never trimmed or altered.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class ExternalIdTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    [Fact]
    public async Task Ids_that_would_not_survive_the_path_are_refused_and_none_is_trimmed()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();

        foreach (var id in new[] { "a/b", ".", "..", "  padded  ", "padded ", "a%2Fb", "a b", "visit.", ".visit", "a?b", "a#b", "a\\b", "é", "a\nb", "", new string('x', 129) })
        {
            using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body(id, Now.AddHours(-1)));
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("externalId", out _), JsonSerializer.Serialize(id));
        }

        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Fact]
    public async Task Any_id_the_API_accepts_round_trips_post_get_delete()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var config = Config.QuickThrowOnFailure.WithMaxTest(100).WithReplay(new Replay(new Rnd(13UL), null));

        Check.One(config, Prop.ForAll(Arb.From(Ids(), Shrink), id => Task.Run(() => RoundTripAsync(host, clinic, id))));
    }

    private static async Task RoundTripAsync(AftercareApp host, ClinicCredentials clinic, string id)
    {
        var shown = JsonSerializer.Serialize(id);
        var accepted = IsUnreservedId(id);
        var stored = accepted ? 0 : await host.CountStoredEntitiesAsync();
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body(id, Now.AddHours(-1)));
        if (!accepted)
        {
            var problem = await created.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("externalId", out _), shown);
            Assert.Equal(stored, await host.CountStoredEntitiesAsync());
            return;
        }

        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{shown}: {created.StatusCode}");
        Assert.Equal(id, (await created.ReadJsonAsync()).GetProperty("externalId").GetString());
        Assert.Equal(id, Uri.EscapeDataString(id));

        var path = $"{clinic.TreatmentsPath}/{id}";
        using var read = await host.SendSignedAsync(HttpMethod.Get, path, clinic.Secret);
        Assert.True(read.StatusCode == HttpStatusCode.OK, $"GET {shown}: {read.StatusCode}");
        Assert.Equal(id, (await read.ReadJsonAsync()).GetProperty("externalId").GetString());

        using var cancelled = await host.SendSignedAsync(HttpMethod.Delete, path, clinic.Secret);
        Assert.True(cancelled.StatusCode == HttpStatusCode.OK, $"DELETE {shown}: {cancelled.StatusCode}");
        var timeline = await cancelled.ReadJsonAsync();
        Assert.Equal(id, timeline.GetProperty("externalId").GetString());
        Assert.Equal("cancelled", timeline.GetProperty("status").GetString());
    }

    /// <summary>The rule README states, written independently of the app's pattern.</summary>
    private static bool IsUnreservedId(string id) =>
        id.Length is >= 1 and <= 128 && id.All(c => Unreserved.Contains(c, StringComparison.Ordinal)) && id[0] != '.' && id[^1] != '.';

    /// <summary>Mostly unreserved characters (dots and tildes often), sometimes anything a URL path treats specially.</summary>
    private static Gen<string> Ids()
    {
        var unreserved = Gen.Elements(Unreserved.ToCharArray()).Select(c => c.ToString());
        var special = Gen.Elements(".", "..", "~", "/", "%2F", "%2f", "%", "%41", " ", "?", "#", "\\", "+", ":", "@", ";", "=", "&", "é", "\u00A0", "\n", "\t", "\u0000");
        var piece = Gen.Frequency((12, unreserved), (3, Gen.Elements(".", "~", "-", "_")), (2, special));
        var shortId = Gen.ListOf(piece).Select(parts => string.Concat(parts));
        var longId = Gen.Choose(125, 131).SelectMany(length => Gen.ArrayOf(Gen.Elements(Unreserved.ToCharArray()), length)).Select(chars => new string(chars));
        return Gen.Frequency((9, shortId), (1, longId));
    }

    private static IEnumerable<string> Shrink(string id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            yield return id.Remove(i, 1);
        }
    }
}
