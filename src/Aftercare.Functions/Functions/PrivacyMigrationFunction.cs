using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Aftercare.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>POST /api/manage/privacy/migrate</c> (master key): brings data written by older versions, or under an older secret
/// key, up to date (README, "Keys: first deployment, rotation and migration"). The first call seals every clinic secret
/// held in clear or under another key than the active one; each call then moves one page of treatments' client rows from
/// bare SHA-256 keys to keyed hashes and gives them retention entries. Call again with the answer's
/// <c>continuation</c> until <c>done</c>. Safe to repeat.
/// </summary>
internal sealed class PrivacyMigrationFunction(TableClinicStore clinics, LegacyPhoneKeyMigration phones)
{
    public const string Name = "MigratePrivacyData";

    [Function(Name)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "manage/privacy/migrate")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (continuation, problem) = await ContinuationBody.ReadAsync(request, isValid: null, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var resealed = continuation is null ? await clinics.ResealSecretsAsync(cancellationToken) : 0;
        var (treatments, next) = await phones.MigrateAsync(continuation, cancellationToken);
        return TypedResults.Ok(new MigratePrivacyResponse(resealed, treatments, next, next is null));
    }
}
