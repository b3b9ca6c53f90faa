using Aftercare.Core.Clinics;
using Aftercare.Core.Treatments;

namespace Aftercare.Core.Conversation;

/// <summary>A clinic sending from the sender a reply reached, and the client's most recent treatment there (null when none).</summary>
public sealed record ReplyRecipient(Clinic Clinic, Treatment? LatestTreatment);
