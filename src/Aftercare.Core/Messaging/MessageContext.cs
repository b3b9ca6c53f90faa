using Aftercare.Core.Clinics;

namespace Aftercare.Core.Messaging;

/// <summary>Who a text is for: the client's preferred locale and first name, and the clinic it comes from.</summary>
public sealed record MessageContext(string Locale, string FirstName, Clinic Clinic);
