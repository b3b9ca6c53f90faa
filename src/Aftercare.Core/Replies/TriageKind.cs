namespace Aftercare.Core.Replies;

/// <summary>What a client's free-text reply is, for the clinic: general triage, not diagnosis.</summary>
public enum TriageKind
{
    /// <summary>Nothing that needs the clinic: thanks, small talk, off-topic, a wrong number.</summary>
    Other,

    /// <summary>The client asks something (a question mark or a question's wording) and nothing sounds urgent.</summary>
    Question,

    /// <summary>
    /// It sounds like infection or a bad reaction (the warning signs of the seed content: pus, fever, spreading or
    /// worsening redness, swelling of lips, eyes or throat, trouble breathing, blisters, bleeding that won't stop,
    /// severe or rising pain, dark patches): the clinic is alerted and the client told to call it.
    /// </summary>
    Urgent,
}

/// <summary>The wire names of <see cref="TriageKind"/> (the timeline's and the alert's <c>triage</c>).</summary>
public static class TriageKinds
{
    /// <summary><c>urgent</c>, <c>question</c> or <c>other</c>.</summary>
    public static string ToWire(this TriageKind kind) => kind switch
    {
        TriageKind.Urgent => "urgent",
        TriageKind.Question => "question",
        _ => "other",
    };

    /// <summary>Reads a stored wire name back; an unknown one is <see cref="TriageKind.Other"/>.</summary>
    public static TriageKind FromWire(string? wire) => wire switch
    {
        "urgent" => TriageKind.Urgent,
        "question" => TriageKind.Question,
        _ => TriageKind.Other,
    };
}
