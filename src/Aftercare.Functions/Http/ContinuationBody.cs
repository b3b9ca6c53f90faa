using Aftercare.Functions.Contracts;
using Microsoft.AspNetCore.Http;

namespace Aftercare.Functions.Http;

/// <summary>Reads the optional <see cref="ContinuationRequest"/> body of a paged admin route, as every one of them does.</summary>
internal static class ContinuationBody
{
    private const int MaxBodyBytes = 4096;

    /// <summary>
    /// The continuation the caller sent (null: start at the beginning), or the problem to answer: the body's own (415, 413,
    /// 400) or a 400 validation problem when <paramref name="isValid"/> says the token is not one the route handed out.
    /// </summary>
    public static async Task<(string? Continuation, IResult? Problem)> ReadAsync(
        HttpRequest request, Func<string?, bool>? isValid, CancellationToken cancellationToken)
    {
        var (call, problem) = await JsonBody.ReadOptionalAsync<ContinuationRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (isValid is not null && !isValid(call?.Continuation))
        {
            var errors = new ValidationErrors();
            errors.Add("continuation", "Not a token this route handed out: leave it out to start again.");
            return (null, Problems.Validation(errors));
        }

        return (call?.Continuation, null);
    }
}
