namespace Aftercare.Core.Conversation;

/// <summary>What a client's reply asks for, as far as keywords tell.</summary>
public enum ReplyKind
{
    /// <summary>Free text: anything that is not a keyword (triage reads it).</summary>
    Text,

    /// <summary>An opt-out keyword (STOP family): no more texts from the clinics on that sender.</summary>
    OptOut,

    /// <summary>An opt-in keyword (START family): lifts an earlier opt-out.</summary>
    OptIn,

    /// <summary>A help keyword (HELP, INFO): the clinic's name, contact phone and the STOP line.</summary>
    Help,
}

/// <summary>The wire names of <see cref="ReplyKind"/> (the timeline's <c>replies[].kind</c>).</summary>
public static class ReplyKinds
{
    public static string ToWire(this ReplyKind kind) => kind switch
    {
        ReplyKind.OptOut => "opt-out",
        ReplyKind.OptIn => "opt-in",
        ReplyKind.Help => "help",
        _ => "text",
    };

    /// <summary>Reads a stored wire name back; an unknown one is <see cref="ReplyKind.Text"/>.</summary>
    public static ReplyKind FromWire(string? wire) => wire switch
    {
        "opt-out" => ReplyKind.OptOut,
        "opt-in" => ReplyKind.OptIn,
        "help" => ReplyKind.Help,
        _ => ReplyKind.Text,
    };
}
