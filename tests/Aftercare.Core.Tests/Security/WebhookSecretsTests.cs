using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Security;

public class WebhookSecretsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 20, 15, 0);

    private static readonly Clinic Clinic = new()
    {
        Id = "cl_00000000000000000001",
        Name = "Glow",
        TimeZoneId = "Europe/London",
        BookingUrl = "https://glow.example/book",
        ContactPhone = "+442071234567",
        QuietHours = QuietHours.Default,
        DefaultLocale = "en",
        WebhookSecret = "whsec_first",
        CreatedAt = Now,
    };

    [Fact]
    public void A_clinic_printed_into_a_log_shows_neither_secret()
    {
        var rotated = WebhookSecrets.Rotate(Clinic, "whsec_second", Now, Duration.FromHours(2));

        var printed = rotated.ToString();

        Assert.DoesNotContain("whsec_", printed, StringComparison.Ordinal);
        Assert.Contains(Clinic.Id, printed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_replaced_secret_is_accepted_until_its_grace_period_ends_the_new_one_throughout()
    {
        var rotated = WebhookSecrets.Rotate(Clinic, "whsec_second", Now, Duration.FromHours(2));

        Assert.Equal("whsec_second", rotated.WebhookSecret);
        Assert.Equal(["whsec_second", "whsec_first"], WebhookSecrets.AcceptedAt(rotated, Now));
        Assert.Equal(["whsec_second", "whsec_first"], WebhookSecrets.AcceptedAt(rotated, Now + Duration.FromHours(2) - Duration.Epsilon));
        Assert.Equal(["whsec_second"], WebhookSecrets.AcceptedAt(rotated, Now + Duration.FromHours(2)));
    }

    [Fact]
    public void A_second_rotation_ends_the_oldest_secret_at_once_and_a_zero_grace_keeps_none()
    {
        var once = WebhookSecrets.Rotate(Clinic, "whsec_second", Now, Duration.FromHours(24));
        var twice = WebhookSecrets.Rotate(once, "whsec_third", Now + Duration.FromHours(1), Duration.FromHours(24));
        var atOnce = WebhookSecrets.Rotate(twice, "whsec_fourth", Now + Duration.FromHours(2), Duration.Zero);

        Assert.Equal(["whsec_third", "whsec_second"], WebhookSecrets.AcceptedAt(twice, Now + Duration.FromHours(1)));
        Assert.Equal(Now + Duration.FromHours(25), twice.RetiringWebhookSecret!.AcceptedUntil);
        Assert.Null(atOnce.RetiringWebhookSecret);
        Assert.Equal(["whsec_fourth"], WebhookSecrets.AcceptedAt(atOnce, Now + Duration.FromHours(2)));
    }

    [Fact]
    public void Grace_periods_are_from_zero_to_a_week()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookSecrets.Rotate(Clinic, "whsec_x", Now, Duration.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookSecrets.Rotate(Clinic, "whsec_x", Now, WebhookSecrets.MaxGrace + Duration.FromSeconds(1)));
        Assert.NotNull(WebhookSecrets.Rotate(Clinic, "whsec_x", Now, WebhookSecrets.MaxGrace).RetiringWebhookSecret);
    }

    [Fact]
    public void A_retiring_secret_never_prints_itself()
    {
        var rotated = WebhookSecrets.Rotate(Clinic, "whsec_second", Now, Duration.FromHours(2));
        Assert.DoesNotContain("whsec_first", rotated.RetiringWebhookSecret!.ToString(), StringComparison.Ordinal);
    }
}
