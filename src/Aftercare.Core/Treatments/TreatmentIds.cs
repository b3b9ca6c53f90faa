using System.Security.Cryptography;
using System.Text;

namespace Aftercare.Core.Treatments;

/// <summary>
/// A treatment's id is a hash of its clinic and the clinic's own external id: a retried registration lands on the
/// same id (idempotency without a lookup table), any external id becomes a safe storage key, and one clinic's
/// external id can never name another clinic's treatment.
/// </summary>
public static class TreatmentIds
{
    public static string For(string clinicId, string externalId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(clinicId + "\n" + externalId));
        return "tr_" + Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }
}
