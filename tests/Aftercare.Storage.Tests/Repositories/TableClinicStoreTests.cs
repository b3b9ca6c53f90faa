using Aftercare.Core.Clinics;
using Aftercare.Testing;
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
        QuietHours = new QuietHours(new LocalTime(21, 30), new LocalTime(8, 15)),
        DefaultLocale = "es",
        WebhookSecret = "c2VjcmV0",
        TemplateOverrides = new Dictionary<string, string> { [Clinic.TemplateOverrideKey("day1", "es")] = "Hola {firstName} 😀" },
        CreatedAt = Instant.FromUtc(2026, 1, 2, 3, 4, 5).PlusTicks(1234567),
    };

    [Fact]
    public async Task Created_clinic_reads_back_field_for_field()
    {
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync());
        var clinic = NewClinic(ClinicIds.Create());

        await store.CreateAsync(clinic, CancellationToken.None);
        var read = await store.FindAsync(clinic.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(clinic with { TemplateOverrides = read.TemplateOverrides }, read);
        Assert.Equal(clinic.TemplateOverrides, read.TemplateOverrides);
    }

    [Fact]
    public async Task Optional_fields_stay_absent()
    {
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync());
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
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync());
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
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync());
        await store.CreateAsync(NewClinic(ClinicIds.Create()), CancellationToken.None);

        Assert.Null(await store.FindAsync(clinicId, CancellationToken.None));
    }
}
