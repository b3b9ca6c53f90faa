using System.Security.Cryptography;
using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Aftercare.Testing;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableClinicStoreTests(AzuriteFixture azurite)
{
    private static Clinic NewClinic(string id) => new()
    {
        Id = id,
        Name = "Clínica Piel 'Sana'",
        TimeZoneId = "Europe/Madrid",
        SenderPhone = "+34600000001",
        BookingUrl = "https://example.test/book?c=1&x=2",
        ContactPhone = "+34910000000",
        AlertWebhookUrl = "https://example.test/alerts",
        AlertTypes = new HashSet<ClinicAlertType> { ClinicAlertType.ClientReplyUrgent, ClinicAlertType.ClientReply, ClinicAlertType.ClientOptedOut },
        QuietHours = new QuietHours(new LocalTime(21, 30), new LocalTime(8, 15)),
        DefaultLocale = "es",
        WebhookSecret = "c2VjcmV0",
        TemplateOverrides = new Dictionary<string, string> { [Clinic.TemplateOverrideKey("day1", "es")] = "Hola {firstName} 😀" },
        CreatedAt = Instant.FromUtc(2026, 1, 2, 3, 4, 5).PlusTicks(1234567),
    };

    [Fact]
    public async Task Created_clinic_reads_back_field_for_field()
    {
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync(), TestKeys.SecretCipher);
        var clinic = NewClinic(ClinicIds.Create());

        await store.CreateAsync(clinic, CancellationToken.None);
        var read = await store.FindAsync(clinic.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(clinic with { TemplateOverrides = read.TemplateOverrides, AlertTypes = read.AlertTypes }, read);
        Assert.Equal(clinic.TemplateOverrides, read.TemplateOverrides);
        Assert.Equal(clinic.AlertTypes.Order(), read.AlertTypes.Order());
    }

    [Fact]
    public async Task The_sender_index_follows_a_clinic_to_its_new_sender()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var store = new TableClinicStore(tables, TestKeys.SecretCipher);
        var senders = new TableSenderDirectory(tables);
        var first = NewClinic(ClinicIds.Create());
        var second = NewClinic(ClinicIds.Create()) with { SenderPhone = null, MessagingServiceSid = "MG" + new string('a', 32) };
        await store.CreateAsync(first, CancellationToken.None);
        await store.CreateAsync(second, CancellationToken.None);

        Assert.Equal([first.Id], await senders.FindClinicIdsAsync("+34600000001", CancellationToken.None));
        Assert.Equal([second.Id], await senders.FindClinicIdsAsync("MG" + new string('a', 32), CancellationToken.None));

        await store.UpdateAsync(second.Id, c => c with { SenderPhone = "+34600000001", MessagingServiceSid = null }, CancellationToken.None);

        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal), await senders.FindClinicIdsAsync("+34600000001", CancellationToken.None));
        Assert.Empty(await senders.FindClinicIdsAsync("MG" + new string('a', 32), CancellationToken.None));
        Assert.Empty(await senders.FindClinicIdsAsync("+34600000002", CancellationToken.None));
    }

    [Fact]
    public async Task Optional_fields_stay_absent()
    {
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync(), TestKeys.SecretCipher);
        var clinic = NewClinic(ClinicIds.Create()) with
        {
            SenderPhone = null,
            MessagingServiceSid = "MG0123",
            AlertWebhookUrl = null,
            TemplateOverrides = new Dictionary<string, string>(),
            QuietHours = QuietHours.Default,
        };

        await store.CreateAsync(clinic, CancellationToken.None);
        var read = await store.FindAsync(clinic.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Null(read.SenderPhone);
        Assert.Null(read.AlertWebhookUrl);
        Assert.Equal("MG0123", read.MessagingServiceSid);
        Assert.Empty(read.TemplateOverrides);
        Assert.Equal(QuietHours.Default, read.QuietHours);
    }

    [Fact]
    public async Task Creating_an_existing_clinic_throws_and_keeps_the_first()
    {
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync(), TestKeys.SecretCipher);
        var clinic = NewClinic(ClinicIds.Create());
        await store.CreateAsync(clinic, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(clinic with { Name = "Other" }, CancellationToken.None));

        Assert.Equal(clinic.Name, (await store.FindAsync(clinic.Id, CancellationToken.None))!.Name);
    }

    [Theory]
    [InlineData("cl_00000000000000000000")]
    [InlineData("x' or PartitionKey ne 'y")]
    [InlineData("a/b#c?d")]
    public async Task Unknown_or_hostile_ids_find_nothing(string clinicId)
    {
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync(), TestKeys.SecretCipher);
        await store.CreateAsync(NewClinic(ClinicIds.Create()), CancellationToken.None);

        Assert.Null(await store.FindAsync(clinicId, CancellationToken.None));
    }

    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);

    private static SecretCipher Ring(string active, params (string Id, byte[] Key)[] keys) =>
        new(keys.ToDictionary(k => k.Id, k => k.Key), active);

    [Fact]
    public async Task Secrets_are_sealed_at_rest_and_a_rotation_round_trips()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var store = new TableClinicStore(tables, TestKeys.SecretCipher);
        var clinic = NewClinic(ClinicIds.Create()) with { WebhookSecret = WebhookSecrets.Create() };
        await store.CreateAsync(clinic, CancellationToken.None);
        var next = WebhookSecrets.Create();
        var until = Instant.FromUtc(2026, 5, 1, 12, 0);

        var rotated = await store.UpdateAsync(clinic.Id, c => WebhookSecrets.Rotate(c, next, until - Duration.FromHours(24), Duration.FromHours(24)), CancellationToken.None);
        var read = (await store.FindAsync(clinic.Id, CancellationToken.None))!;

        Assert.Equal(next, read.WebhookSecret);
        Assert.Equal(new RetiringSecret(clinic.WebhookSecret, until), read.RetiringWebhookSecret);
        Assert.Equal(rotated, read with { TemplateOverrides = rotated!.TemplateOverrides, AlertTypes = rotated.AlertTypes });
        var row = Assert.Single(await tables.Clinics.QueryAsync().ToListAsync());
        Assert.False(row.ContainsKey("WebhookSecret"));
        Assert.All(row.Select(p => p.Value).OfType<string>(), value =>
        {
            Assert.DoesNotContain(clinic.WebhookSecret, value, StringComparison.Ordinal);
            Assert.DoesNotContain(next, value, StringComparison.Ordinal);
        });
        Assert.StartsWith($"v1:{TestKeys.SecretKeyId}:", row.GetString("WebhookSecretSealed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_clinic_whose_key_is_no_longer_configured_fails_naming_the_clinic_and_the_key_only()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var clinic = NewClinic(ClinicIds.Create()) with { WebhookSecret = WebhookSecrets.Create() };
        await new TableClinicStore(tables, Ring("old", ("old", OldKey))).CreateAsync(clinic, CancellationToken.None);

        var stillConfigured = await new TableClinicStore(tables, Ring("new", ("old", OldKey), ("new", NewKey))).FindAsync(clinic.Id, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new TableClinicStore(tables, Ring("new", ("new", NewKey))).FindAsync(clinic.Id, CancellationToken.None));

        Assert.Equal(clinic.WebhookSecret, stillConfigured!.WebhookSecret);
        Assert.Contains(clinic.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("'old'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aftercare__Privacy__SecretKeys__old", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(clinic.WebhookSecret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sealed_secret_copied_onto_another_clinic_does_not_open_there()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var store = new TableClinicStore(tables, TestKeys.SecretCipher);
        var victim = NewClinic(ClinicIds.Create()) with { WebhookSecret = WebhookSecrets.Create() };
        var attacker = NewClinic(ClinicIds.Create());
        await store.CreateAsync(victim, CancellationToken.None);
        await store.CreateAsync(attacker, CancellationToken.None);

        var victimRow = (await tables.Clinics.FindAsync(victim.Id, "clinic"))!;
        var attackerRow = (await tables.Clinics.FindAsync(attacker.Id, "clinic"))!;
        attackerRow["WebhookSecretSealed"] = victimRow["WebhookSecretSealed"];
        await tables.Clinics.UpsertAsync(attackerRow, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.FindAsync(attacker.Id, CancellationToken.None));
        Assert.Contains(attacker.Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resealing_seals_clear_legacy_secrets_and_older_keys_with_the_active_key()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var legacy = NewClinic(ClinicIds.Create()) with { WebhookSecret = WebhookSecrets.Create() };
        var older = NewClinic(ClinicIds.Create()) with { WebhookSecret = WebhookSecrets.Create() };
        var current = NewClinic(ClinicIds.Create());
        await new TableClinicStore(tables, Ring("old", ("old", OldKey))).CreateAsync(older, CancellationToken.None);
        var ring = Ring("new", ("old", OldKey), ("new", NewKey));
        var store = new TableClinicStore(tables, ring);
        await store.CreateAsync(current, CancellationToken.None);

        // A row as the app wrote it before secrets were sealed: the secret in clear.
        var clear = new TableEntity(legacy.Id, "clinic");
        var sealedRow = (await tables.Clinics.FindAsync(current.Id, "clinic"))!;
        foreach (var (name, value) in sealedRow.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" or "WebhookSecretSealed")))
        {
            clear[name] = value;
        }

        clear["WebhookSecret"] = legacy.WebhookSecret;
        await tables.Clinics.UpsertAsync(clear, TableUpdateMode.Replace);
        Assert.Equal(legacy.WebhookSecret, (await store.FindAsync(legacy.Id, CancellationToken.None))!.WebhookSecret);

        Assert.Equal(2, await store.ResealSecretsAsync(CancellationToken.None));
        Assert.Equal(0, await store.ResealSecretsAsync(CancellationToken.None));

        var onlyNew = new TableClinicStore(tables, Ring("new", ("new", NewKey)));
        Assert.Equal(legacy.WebhookSecret, (await onlyNew.FindAsync(legacy.Id, CancellationToken.None))!.WebhookSecret);
        Assert.Equal(older.WebhookSecret, (await onlyNew.FindAsync(older.Id, CancellationToken.None))!.WebhookSecret);
        Assert.All(await tables.Clinics.QueryAsync().ToListAsync(), row =>
        {
            Assert.False(row.ContainsKey("WebhookSecret"));
            Assert.StartsWith("v1:new:", row.GetString("WebhookSecretSealed"), StringComparison.Ordinal);
        });
    }
}
