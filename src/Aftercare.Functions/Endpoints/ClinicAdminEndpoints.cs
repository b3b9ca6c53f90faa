using Aftercare.Core;
using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
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
    private const int MaxBodyBytes = 32 * 1024;
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly string[] Locales = ["en", "es"];

    public static IEndpointRouteBuilder MapClinicAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var manage = routes.MapGroup("/api/manage/clinics").WithTags("Administration");
        manage.MapPost("/", CreateAsync).WithName("CreateClinic");
        manage.MapGet("/{clinicId}", GetAsync).WithName("GetClinic");
        manage.MapPatch("/{clinicId}", UpdateAsync).WithName("UpdateClinic");
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpRequest httpRequest, IClinicStore clinics, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<CreateClinicRequest>(httpRequest, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
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

    private static async Task<IResult> GetAsync(string clinicId, IClinicStore clinics, CancellationToken cancellationToken)
    {
        var clinic = ClinicIds.IsWellFormed(clinicId) ? await clinics.FindAsync(clinicId, cancellationToken) : null;
        return clinic is null ? Problems.NotFound("No such clinic.") : TypedResults.Ok(ToResponse(clinic));
    }

    private static async Task<IResult> UpdateAsync(string clinicId, HttpRequest httpRequest, IClinicStore clinics, IPlanCatalog plans, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<UpdateClinicRequest>(httpRequest, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var change = ValidateUpdate(request!, plans, errors);
        if (change is null)
        {
            return Problems.Validation(errors);
        }

        var updated = ClinicIds.IsWellFormed(clinicId) ? await clinics.UpdateAsync(clinicId, change, cancellationToken) : null;
        return updated is null ? Problems.NotFound("No such clinic.") : TypedResults.Ok(ToResponse(updated));
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

        var booking = BookingUrl(errors, request.BookingUrl);
        var contact = errors.Phone("contactPhone", request.ContactPhone);
        var alert = errors.AbsoluteUrl("alertWebhookUrl", request.AlertWebhookUrl, 2048, required: false);
        var quiet = request.QuietHours is { } hours ? QuietHours(errors, hours) : Core.Clinics.QuietHours.Default;

        var locale = request.DefaultLocale ?? "en";
        if (!Locales.Contains(locale))
        {
            errors.Add("defaultLocale", "Supported locales: " + string.Join(", ", Locales) + ".");
        }

        if (errors.Any || name is null || zone is null || booking is null || contact is null || quiet is null)
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
            BookingUrl = booking,
            ContactPhone = contact,
            AlertWebhookUrl = alert?.ToString(),
            QuietHours = quiet,
            DefaultLocale = locale,
            WebhookSecret = WebhookSecrets.Create(),
            CreatedAt = time.GetCurrentInstant(),
        };
    }

    /// <summary>Checks every field present and returns the change to apply, or null with the errors filled in.</summary>
    private static Func<Clinic, Clinic>? ValidateUpdate(UpdateClinicRequest request, IPlanCatalog plans, ValidationErrors errors)
    {
        var booking = request.BookingUrl is null ? null : BookingUrl(errors, request.BookingUrl);
        var contact = request.ContactPhone is null ? null : errors.Phone("contactPhone", request.ContactPhone);
        var alert = errors.AbsoluteUrl("alertWebhookUrl", request.AlertWebhookUrl, 2048, required: false);
        var quiet = request.QuietHours is { } hours ? QuietHours(errors, hours) : null;

        var stageIds = plans.All.SelectMany(p => p.Stages).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (stageId, texts) in request.TemplateOverrides ?? [])
        {
            if (!stageIds.Contains(stageId))
            {
                errors.Add($"templateOverrides.{stageId}", "No plan has a stage with this id.");
                continue;
            }

            foreach (var (locale, text) in texts ?? [])
            {
                var field = $"templateOverrides.{stageId}.{locale}";
                if (!Locales.Contains(locale))
                {
                    errors.Add(field, "Supported locales: " + string.Join(", ", Locales) + ".");
                }
                else if (text is not null && MessageTemplates.Validate(text) is { Count: > 0 } problems)
                {
                    foreach (var templateProblem in problems)
                    {
                        errors.Add(field, templateProblem);
                    }
                }
                else
                {
                    overrides[Clinic.TemplateOverrideKey(stageId, locale)] = text;
                }
            }
        }

        if (errors.Any)
        {
            return null;
        }

        return clinic =>
        {
            var templates = new Dictionary<string, string>(clinic.TemplateOverrides, StringComparer.Ordinal);
            foreach (var (key, text) in overrides)
            {
                if (text is null)
                {
                    templates.Remove(key);
                }
                else
                {
                    templates[key] = text;
                }
            }

            return clinic with
            {
                BookingUrl = booking ?? clinic.BookingUrl,
                ContactPhone = contact ?? clinic.ContactPhone,
                AlertWebhookUrl = alert?.ToString() ?? clinic.AlertWebhookUrl,
                QuietHours = quiet ?? clinic.QuietHours,
                TemplateOverrides = templates,
            };
        };
    }

    /// <summary>The booking link is printed in texts: plain GSM-7 only, so it can never push a text past two segments.</summary>
    private static string? BookingUrl(ValidationErrors errors, string? value)
    {
        var url = errors.AbsoluteUrl("bookingUrl", value, ContentLimits.BookingUrlMaxLength);
        if (url is not null && !SmsText.IsGsm7Basic(value!))
        {
            errors.Add("bookingUrl", "Use plain characters only: the link is sent in texts.");
            return null;
        }

        return url is null ? null : value;
    }

    private static QuietHours? QuietHours(ValidationErrors errors, QuietHoursDto hours)
    {
        var start = errors.TimeOfDay("quietHours.start", hours.Start);
        var end = errors.TimeOfDay("quietHours.end", hours.End);
        return start is null || end is null ? null : new QuietHours(start.Value, end.Value);
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
        clinic.DefaultLocale,
        clinic.TemplateOverrides
            .Select(o => (Key: o.Key.Split(':', 2), Text: o.Value))
            .GroupBy(o => o.Key[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(o => o.Key[1], o => o.Text, StringComparer.Ordinal), StringComparer.Ordinal));
}
