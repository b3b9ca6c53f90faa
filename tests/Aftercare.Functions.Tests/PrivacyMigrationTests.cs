using System.Net;
using System.Security.Cryptography;
using System.Text;
using Aftercare.Core.Treatments;
using Aftercare.Storage;
using Aftercare.Testing;
using Azure.Data.Tables;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// <c>POST /api/manage/privacy/migrate</c> over real HTTP: data as the app stored it before keyed hashes and sealed
/// secrets (a clinic secret in clear, an opt-out and a client history keyed by the bare SHA-256 of the number, no
/// retention entry) is brought up to date, and the STOP it held is honoured again.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class PrivacyMigrationTests(Infrastructure infrastructure)
{
    private const string Maya = "+447911123456";
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Legacy_rows_move_to_keyed_hashes_the_clear_secret_is_sealed_and_the_old_opt_out_is_honoured_again()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        using (var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", TreatedAt, phone: Maya)))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var tables = new AftercareTables(host.Tables, host.TablePrefix);
        var legacy = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Maya)));
        var keyed = TestKeys.PhoneHasher.Hash(Maya);
        await MakeLegacyAsync(tables, clinic, legacy, keyed);

        // Before the migration the clear secret still verifies, but the STOP under the old key is not seen.
        using (var read = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/visit-1", clinic.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var migrated = await MigrateAsync(host, body: null);
        Assert.Equal(HttpStatusCode.OK, migrated.StatusCode);
        Assert.Equal("""{"clinicsResealed":1,"treatmentsMigrated":1,"continuation":null,"done":true}""", (await migrated.ReadJsonAsync()).ToString());
        using var again = await MigrateAsync(host, body: null);
        Assert.Equal("""{"clinicsResealed":0,"treatmentsMigrated":1,"continuation":null,"done":true}""", (await again.ReadJsonAsync()).ToString());

        // No row is keyed by the bare hash any more; the secret is sealed; the opt-out, the history and the retention
        // entry are where the app looks for them.
        var stored = await host.RawEntitiesAsync();
        Assert.DoesNotContain(stored, e => e.RowKey == legacy);
        var clinicRow = (await tables.Clinics.FindAsync(clinic.Id, "clinic"))!;
        Assert.False(clinicRow.ContainsKey("WebhookSecret"));
        Assert.StartsWith($"v1:{TestKeys.SecretKeyId}:", clinicRow.GetString("WebhookSecretSealed"), StringComparison.Ordinal);
        Assert.Null(RawEntities.FindAny(stored, [clinic.Secret]));
        Assert.Equal("STOP", (await tables.OptOuts.FindAsync(clinic.Id, keyed))!.GetString("Source"));
        Assert.Contains(TreatmentIds.For(clinic.Id, "visit-1"), (await tables.ClientHistory.FindAsync(clinic.Id, keyed))!.GetString("TreatmentIds"), StringComparison.Ordinal);
        Assert.Single(await tables.DueIndex.QueryAsync().ToListAsync(), row => row.RowKey.StartsWith("retain|", StringComparison.Ordinal));

        // The clinic's secret still verifies; her STOP is honoured; erasure finds her treatment through the history.
        using var comeback = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-2", TreatedAt, phone: Maya));
        Assert.Equal("opted-out", (await comeback.ReadJsonAsync()).GetProperty("status").GetString());
        using var erased = await host.SendSignedAsync(HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/{Uri.EscapeDataString(Maya)}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(2, (await erased.ReadJsonAsync()).GetProperty("erasedTreatments").GetInt32());
    }

    [Fact]
    public async Task Only_the_master_key_migrates_and_a_bad_continuation_is_a_400()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt);

        using var withFunctionKey = await host.Http.PostAsync("/api/manage/privacy/migrate", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.StatusCode);
        using var malformed = await MigrateAsync(host, "[");
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>Rewrites what registration stored as the previous version stored it.</summary>
    private static async Task MakeLegacyAsync(AftercareTables tables, ClinicCredentials clinic, string legacy, string keyed)
    {
        var clinicRow = (await tables.Clinics.FindAsync(clinic.Id, "clinic"))!;
        clinicRow.Remove("WebhookSecretSealed");
        clinicRow["WebhookSecret"] = clinic.Secret;
        await tables.Clinics.UpsertAsync(clinicRow, TableUpdateMode.Replace);

        var history = (await tables.ClientHistory.FindAsync(clinic.Id, keyed))!;
        await tables.ClientHistory.UpsertAsync(new TableEntity(clinic.Id, legacy) { ["TreatmentIds"] = history.GetString("TreatmentIds") }, TableUpdateMode.Replace);
        await tables.ClientHistory.DeleteAsync(clinic.Id, keyed);
        await tables.OptOuts.UpsertAsync(new TableEntity(clinic.Id, legacy) { ["Source"] = "STOP", ["At"] = TreatedAt.AddHours(1) }, TableUpdateMode.Replace);

        await foreach (var entry in tables.DueIndex.QueryAsync())
        {
            if (entry.RowKey.StartsWith("retain|", StringComparison.Ordinal))
            {
                await tables.DueIndex.DeleteAsync(entry.PartitionKey, entry.RowKey);
            }
        }
    }

    private static Task<HttpResponseMessage> MigrateAsync(AftercareApp host, string? body) =>
        host.Admin.PostAsync("/api/manage/privacy/migrate", body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
}
