using PhoneNumbers;

namespace Aftercare.Functions.Clients;

/// <summary>
/// The <c>{phone}</c> of a client route: strict E.164 (<c>+</c> as <c>%2B</c> in the path), exactly as libphonenumber
/// formats the number, so it is the spelling registration stored and hashed. A possible number is enough, not a valid
/// one: erasure must reach numbers stored before registration checked validity.
/// </summary>
/// <remarks>
/// Unlike a body field, the path takes no other spelling (spaces, brackets, a trunk 0 are refused, not read through
/// <see cref="Aftercare.Core.Phones.CanonicalPhone"/>): a URL is where a number is most easily mangled, and an erasure
/// must name exactly the number registration stored.
/// </remarks>
internal static class ClientPhoneRoute
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    public const string Problem = "A phone number in E.164 is required, with '+' written %2B in the path, e.g. %2B447911123456.";

    public static bool TryParse(string? value, out string e164)
    {
        e164 = string.Empty;
        if (value is not { Length: >= 2 and <= 16 } || value[0] != '+' || value.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        try
        {
            var number = Numbers.Parse(value, null);
            if (!Numbers.IsPossibleNumber(number) || Numbers.Format(number, PhoneNumberFormat.E164) != value)
            {
                return false;
            }
        }
        catch (NumberParseException)
        {
            return false;
        }

        e164 = value;
        return true;
    }
}
