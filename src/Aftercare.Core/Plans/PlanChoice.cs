using Aftercare.Core.Treatments;

namespace Aftercare.Core.Plans;

/// <summary>
/// Which plan fits a treatment. The rule, in order:
/// <list type="number">
/// <item>Body: the area names a body part below the neck or the typical body indications — body, abdomen, stomach,
/// belly, tummy, waist, flank, hip, thigh, leg, knee, arm, elbow, hand, back, buttock, chest, breast, torso, stretch
/// marks (striae) — or says "scar" without naming a part of the face. Clinics treat these deeper, with numbing.</item>
/// <item>Light: needles under 1 mm, or no depth given with an at-home device (a home roller/pen/stamp).</item>
/// <item>Default: everything else — face, neck, décolleté, "other", 1 mm or more, or depth not given.</item>
/// </list>
/// Area words are matched case-insensitively as whole words, singular or plural ("Thighs", "lower-back").
/// </summary>
public static class PlanChoice
{
    public const decimal LightBelowMm = 1.0m;

    private static readonly HashSet<string> BodyWords =
    [
        "body", "abdomen", "abdominal", "stomach", "belly", "tummy", "waist", "flank", "hip", "thigh", "leg", "knee",
        "arm", "elbow", "hand", "back", "buttock", "glute", "bottom", "chest", "breast", "torso", "striae", "stretchmark",
    ];

    private static readonly HashSet<string> FaceWords =
    [
        "face", "facial", "cheek", "forehead", "chin", "nose", "jaw", "jawline", "temple", "lip", "eye", "acne", "neck",
    ];

    public static string PlanIdFor(TreatmentDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (IsBodyArea(details.Area))
        {
            return PlanIds.Body;
        }

        var atHome = Words(details.Device).Contains("home");
        if (details.NeedleDepthMm is { } depth ? depth < LightBelowMm : atHome)
        {
            return PlanIds.Light;
        }

        return PlanIds.Default;
    }

    public static bool IsBodyArea(string? area)
    {
        var words = Words(area);
        if (words.Contains("stretch") && words.Contains("mark"))
        {
            return true;
        }

        if (words.Overlaps(BodyWords))
        {
            return true;
        }

        return words.Contains("scar") && !words.Overlaps(FaceWords);
    }

    private static HashSet<string> Words(string? text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }

        var start = -1;
        var lower = text.ToLowerInvariant();
        for (var i = 0; i <= lower.Length; i++)
        {
            var isLetter = i < lower.Length && char.IsLetter(lower[i]);
            if (isLetter && start < 0)
            {
                start = i;
            }
            else if (!isLetter && start >= 0)
            {
                AddWord(words, lower[start..i]);
                start = -1;
            }
        }

        return words;
    }

    private static void AddWord(HashSet<string> words, string word)
    {
        words.Add(word);
        if (word.Length > 3 && word.EndsWith('s'))
        {
            words.Add(word[..^1]);
        }
    }
}
