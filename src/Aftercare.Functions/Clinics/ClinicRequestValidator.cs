using Aftercare.Core;
using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Phones;
using Aftercare.Core.Plans;
using Aftercare.Core.Security;
using Aftercare.Functions.Alerts;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Aftercare.Functions.Plans;

namespace Aftercare.Functions.Clinics;

/// <summary>Turns clinic administration bodies into clinics and changes, or says what is wrong with each field.</summary>
internal static class ClinicRequestValidator
{
    /// <summary>A new clinic with a fresh id and webhook secret, or null with the errors filled in.</summary>
    public static Clinic? ValidateCreate(CreateClinicRequest request, IPlanCatalog plans, ValidationErrors errors, TimeProvider time)
    {
        var name = errors.Required("name", request.Name, ContentLimits.ClinicNameMaxLength);
        if (name is not null && ContentLimits.Exceeds(name, ContentLimits.ClinicNameMaxLength) is { } tooLong)
        {
            errors.Add("name", tooLong);
            name = null;
        }

        var zone = errors.TimeZone("timeZone", request.TimeZone);
        var sender = errors.Phone("senderPhone", request.SenderPhone, PhoneUse.AnyLine, required: false);
        var service = errors.MessagingServiceSid("messagingServiceSid", request.MessagingServiceSid);
        if ((request.SenderPhone is null) == (request.MessagingServiceSid is null))
        {
            errors.Add("senderPhone", "Give exactly one of senderPhone and messagingServiceSid.");
        }

        var booking = BookingUrl(errors, request.BookingUrl);
        var contact = errors.Phone("contactPhone", request.ContactPhone, PhoneUse.AnyLine);
        var alert = AlertWebhookUrl(errors, request.AlertWebhookUrl);
        var alertTypes = request.AlertTypes is null ? ClinicAlertTypes.Default : AlertTypes(errors, request.AlertTypes);
        var quiet = request.QuietHours is { } hours ? QuietHours(errors, hours) : Core.Clinics.QuietHours.Default;

        var locale = errors.Locale("defaultLocale", request.DefaultLocale ?? MessageRenderer.FallbackLocale, PlanLocales.Supported(plans));
        if (errors.Any || name is null || zone is null || booking is null || contact is null || quiet is null || locale is null || alertTypes is null)
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
            AlertTypes = alertTypes,
            QuietHours = quiet,
            DefaultLocale = locale,
            WebhookSecret = WebhookSecrets.Create(),
            CreatedAt = time.GetCurrentInstant(),
        };
    }

    /// <summary>Checks every field present and returns the change to apply, or null with the errors filled in.</summary>
    public static Func<Clinic, Clinic>? ValidateUpdate(UpdateClinicRequest request, IPlanCatalog plans, ValidationErrors errors)
    {
        var booking = request.BookingUrl is null ? null : BookingUrl(errors, request.BookingUrl);
        var contact = request.ContactPhone is null ? null : errors.Phone("contactPhone", request.ContactPhone, PhoneUse.AnyLine);
        // An empty string removes the alert URL (null means "unchanged" in a PATCH): its alerts then show on the timeline only.
        var removeAlert = request.AlertWebhookUrl is { Length: 0 };
        var alert = removeAlert ? null : AlertWebhookUrl(errors, request.AlertWebhookUrl);
        var alertTypes = request.AlertTypes is null ? null : AlertTypes(errors, request.AlertTypes);
        var quiet = request.QuietHours is { } hours ? QuietHours(errors, hours) : null;

        var stageIds = plans.All.SelectMany(p => p.Stages).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var locales = PlanLocales.Supported(plans);
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
                if (errors.Locale(field, locale, locales) is null)
                {
                    continue;
                }

                if (text is not null && MessageTemplates.Validate(text, locale) is { Count: > 0 } problems)
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
                AlertWebhookUrl = removeAlert ? null : alert?.ToString() ?? clinic.AlertWebhookUrl,
                AlertTypes = alertTypes ?? clinic.AlertTypes,
                QuietHours = quiet ?? clinic.QuietHours,
                TemplateOverrides = templates,
            };
        };
    }

    /// <summary>The booking link is printed in texts: plain GSM-7 only, so it can never push a text past two segments.</summary>
    /// <summary>
    /// An absolute https URL whose shape passes the alert SSRF guard (<see cref="AlertAddressRules.ShapeProblem"/>): no
    /// user info, no loopback, private or link-local literal address. Where a name resolves is checked at each send.
    /// The API never accepts a private target, whatever <c>Aftercare__Alerts__AllowPrivateNetworks</c> says.
    /// </summary>
    private static Uri? AlertWebhookUrl(ValidationErrors errors, string? value)
    {
        var url = errors.AbsoluteUrl("alertWebhookUrl", value, 2048, required: false);
        if (url is not null && AlertAddressRules.ShapeProblem(url, allowPrivateNetworks: false) is { } problem)
        {
            errors.Add("alertWebhookUrl", problem);
            return null;
        }

        return url;
    }

    /// <summary>
    /// The alert types a clinic receives, by wire name (<see cref="ClinicAlertTypes.ToWire"/>); each at most once, and
    /// always <see cref="ClinicAlertTypes.Required"/>: the client is told the clinic has been told.
    /// </summary>
    private static HashSet<ClinicAlertType>? AlertTypes(ValidationErrors errors, IReadOnlyList<string?> names)
    {
        var types = new HashSet<ClinicAlertType>();
        for (var i = 0; i < names.Count; i++)
        {
            if (!ClinicAlertTypes.TryParse(names[i], out var type))
            {
                errors.Add($"alertTypes[{i}]", "Use client-reply-urgent, client-reply, client-opted-out or message-failed.");
            }
            else if (!types.Add(type))
            {
                errors.Add($"alertTypes[{i}]", "Each alert type at most once.");
            }
        }

        if (!types.Contains(ClinicAlertTypes.Required))
        {
            errors.Add("alertTypes", "Must include client-reply-urgent: a client whose reply sounds urgent is told the clinic has been told.");
        }

        return errors.Any ? null : types;
    }

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
}
