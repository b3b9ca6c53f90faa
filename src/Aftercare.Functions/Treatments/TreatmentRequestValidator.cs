using Aftercare.Core.Messaging;
using Aftercare.Core.Phones;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using NodaTime;

namespace Aftercare.Functions.Treatments;

/// <summary>Turns a clinic's registration body into a <see cref="RegisterTreatment"/>, or says what is wrong with each field.</summary>
internal static class TreatmentRequestValidator
{
    /// <summary>
    /// How far in the future <c>treatment.performedAt</c> and <c>consent.capturedAt</c> may be (clock skew between the
    /// clinic and us); neither may be before <see cref="TimestampRange.Floor"/>.
    /// </summary>
    public static Duration FutureSkew { get; } = Duration.FromMinutes(5);

    /// <param name="phoneRegion">The region a national client number is read in: the clinic's (<see cref="CanonicalPhone.RegionOf"/>).</param>
    /// <param name="locales">The locales <c>client.locale</c> may name (<see cref="Plans.PlanLocales"/>).</param>
    public static RegisterTreatment? Validate(
        RegisterTreatmentRequest request, Instant now, string? phoneRegion, IReadOnlyList<string> locales, ValidationErrors errors)
    {
        var externalId = request.ExternalId;
        if (!ExternalIds.IsValid(externalId))
        {
            errors.Add("externalId", externalId is null ? "Required." : ExternalIds.Rule);
        }

        var dates = TimestampRange.UpToNow(now, FutureSkew);

        string? firstName = null, phone = null, locale = null, zone = null;
        if (request.Client is null)
        {
            errors.Add("client", "Required.");
        }
        else
        {
            firstName = errors.Required("client.firstName", request.Client.FirstName, ContentLimits.FirstNameMaxLength);
            if (firstName is not null && ContentLimits.Exceeds(firstName, ContentLimits.FirstNameMaxLength) is { } tooLong)
            {
                errors.Add("client.firstName", tooLong);
                firstName = null;
            }

            phone = errors.Phone("client.phone", request.Client.Phone, PhoneUse.Texting, phoneRegion);
            locale = errors.Locale("client.locale", request.Client.Locale, locales, required: false);
            zone = errors.TimeZone("client.timeZone", request.Client.TimeZone, required: false);
        }

        TreatmentDetails? details = null;
        if (request.Treatment is not { } treatment)
        {
            errors.Add("treatment", "Required.");
        }
        else
        {
            var type = errors.Required("treatment.type", treatment.Type, 64);
            var device = errors.Required("treatment.device", treatment.Device, 64);
            var area = errors.Required("treatment.area", treatment.Area, 64);
            if (treatment.NeedleDepthMm is { } depth && (depth <= 0 || depth > 5))
            {
                errors.Add("treatment.needleDepthMm", "Needle depth must be more than 0 and at most 5 mm.");
            }

            var performedAt = errors.Timestamp("treatment.performedAt", treatment.PerformedAt, dates);

            if (type is not null && device is not null && area is not null && performedAt is not null)
            {
                details = new TreatmentDetails(type, device.ToLowerInvariant(), treatment.NeedleDepthMm, area.ToLowerInvariant(), performedAt.Value);
            }
        }

        SmsConsent? consent = null;
        if (request.Consent is not { } given)
        {
            errors.Add("consent", "SMS consent is required before any text is sent.");
        }
        else
        {
            if (given.Sms is not true)
            {
                errors.Add("consent.sms", "Must be true: the client has to agree to receive texts.");
            }

            var capturedAt = errors.Timestamp("consent.capturedAt", given.CapturedAt, dates);
            var method = errors.Required("consent.method", given.Method, 64);
            if (given.Sms is true && capturedAt is not null && method is not null)
            {
                consent = new SmsConsent(true, capturedAt.Value, method);
            }
        }

        if (errors.Any || externalId is null || firstName is null || phone is null || details is null || consent is null)
        {
            return null;
        }

        return new RegisterTreatment(externalId, firstName, phone, locale, zone, details, consent);
    }
}
