using Aftercare.Core.Phones;
using PhoneNumbers;

namespace Aftercare.Functions.Clients;

/// <summary>
/// The <c>{phone}</c> of a client route, read as the canonical E.164 that registration stored and hashed
/// (<see cref="CanonicalPhone"/>, any line type; <c>+</c> written <c>%2B</c> in the path, or a <c>00</c> prefix).
/// </summary>
/// <remarks>
/// A number <see cref="CanonicalPhone"/> refuses as not valid is still taken when it is strict E.164 and a possible
/// number: rows registered before registration checked validity (e.g. Ofcom's 07700 900xxx drama range) must stay
/// erasable.
/// </remarks>
internal static class ClientPhoneRoute
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    public const string Problem = "A phone number in E.164 is required, with '+' written %2B in the path, e.g. %2B447911123456.";

    public static bool TryParse(string? value, out string e164)
    {
        if (CanonicalPhone.Parse(value, PhoneUse.AnyLine) is { E164: { } canonical })
        {
            e164 = canonical;
            return true;
        }

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
