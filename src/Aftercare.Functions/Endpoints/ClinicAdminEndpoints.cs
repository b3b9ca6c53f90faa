using Aftercare.Core;
using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Security;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using NodaTime.Text;

namespace Aftercare.Functions.Endpoints;

/// <summary>
/// Clinic administration. In Azure these functions use authLevel "admin" (the host's master key). The route is
/// /api/manage/… rather than /api/admin/… because the Functions host reserves every route starting with "admin".
/// </summary>
internal static class ClinicAdminEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly string[] Locales = ["en", "es"];

    public static IEndpointRouteBuilder MapClinicAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/manage/clinics", CreateAsync).WithName("CreateClinic").WithTags("Administration");
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpRequest httpRequest, IClinicStore clinics, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await BoundedBody.ReadAsync(httpRequest, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.PayloadTooLarge(MaxBodyBytes);
        }

        if (!JsonBody.TryParse<CreateClinicRequest>(body, out var request, out var problem))
        {
            return problem!;
        }

        var errors = new ValidationErrors();
        var clinic = Validate(request!, errors, time);
        if (clinic is null)
        {
            return Problems.Validation(errors);
        }

        await clinics.CreateAsync(clinic, cancellationToken);
        return TypedResults.Created($"/api/manage/clinics/{clinic.Id}", new CreatedClinicResponse(clinic.Id, clinic.WebhookSecret, ToResponse(clinic)));
    }

    private static Clinic? Validate(CreateClinicRequest request, ValidationErrors errors, TimeProvider time)
    {
        var name = errors.Required("name", request.Name, ContentLimits.ClinicNameMaxLength);
        var zone = errors.TimeZone("timeZone", request.TimeZone);
        var sender = errors.Phone("senderPhone", request.SenderPhone, required: false);
        var service = errors.MessagingServiceSid("messagingServiceSid", request.MessagingServiceSid);
        if ((request.SenderPhone is null) == (request.MessagingServiceSid is null))
        {
            errors.Add("senderPhone", "Give exactly one of senderPhone and messagingServiceSid.");
        }

        var booking = errors.AbsoluteUrl("bookingUrl", request.BookingUrl, ContentLimits.BookingUrlMaxLength);
        var contact = errors.Phone("contactPhone", request.ContactPhone);
        var alert = errors.AbsoluteUrl("alertWebhookUrl", request.AlertWebhookUrl, 2048, required: false);
        var quiet = QuietHours.Default;
        if (request.QuietHours is { } hours)
        {
            var start = errors.TimeOfDay("quietHours.start", hours.Start);
            var end = errors.TimeOfDay("quietHours.end", hours.End);
            if (start is not null && end is not null)
            {
                quiet = new QuietHours(start.Value, end.Value);
            }
        }

        var locale = request.DefaultLocale ?? "en";
        if (!Locales.Contains(locale))
        {
            errors.Add("defaultLocale", "Supported locales: " + string.Join(", ", Locales) + ".");
        }

        if (errors.Any || name is null || zone is null || booking is null || contact is null)
        {
            return null;
        }

        return new Clinic
        {
            Id = ClinicIds.Create(),
            Name = name,
            TimeZoneId = zone,
            SenderPhone = sender,
            MessagingServiceSid = service,
            BookingUrl = booking.ToString(),
            ContactPhone = contact,
            AlertWebhookUrl = alert?.ToString(),
            QuietHours = quiet,
            DefaultLocale = locale,
            WebhookSecret = WebhookSecrets.Create(),
            CreatedAt = time.GetCurrentInstant(),
        };
    }

    private static ClinicResponse ToResponse(Clinic clinic) => new(
        clinic.Id,
        clinic.Name,
        clinic.TimeZoneId,
        clinic.SenderPhone,
        clinic.MessagingServiceSid,
        clinic.BookingUrl,
        clinic.ContactPhone,
        clinic.AlertWebhookUrl,
        new QuietHoursDto(TimePattern.Format(clinic.QuietHours.Start), TimePattern.Format(clinic.QuietHours.End)),
        clinic.DefaultLocale);
}
