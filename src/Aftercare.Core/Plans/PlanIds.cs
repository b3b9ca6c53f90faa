namespace Aftercare.Core.Plans;

/// <summary>The plans the app ships, by id.</summary>
public static class PlanIds
{
    /// <summary>In-clinic face/neck microneedling with needles of 1 mm or more, or depth not given.</summary>
    public const string Default = "microneedling-default";

    /// <summary>Needles under 1 mm (or an at-home device): lighter, shorter redness.</summary>
    public const string Light = "microneedling-light";

    /// <summary>Body areas (stretch marks, scars, abdomen, thighs, ...): deeper needles, numbing, longer settling.</summary>
    public const string Body = "microneedling-body";
}
