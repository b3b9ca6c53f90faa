using System.Net;
using Aftercare.Core.Clinics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The auth levels the functions declare are what the host enforces in front of the worker (as Azure does), and a
/// function that fails unexpectedly still answers a problem, never an empty 500.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class HostAuthorizationTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Keys_open_exactly_the_levels_the_functions_declare()
    {
        await using var app = await AftercareApp.StartAsync(infrastructure, Now);
        const string preview = "/api/plans/microneedling-default/preview?performedAt=2026-11-20T10:00:00Z&timeZone=Europe/London";

        // anonymous: no key needed.
        using var health = await app.Anonymous.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // function: the function key, in the header or as ?code=, or the master key; nothing else.
        using var noKey = await app.Anonymous.GetAsync(preview);
        using var wrongKey = await app.Anonymous.GetAsync(preview + "&code=not-the-key");
        using var headerKey = await app.Http.GetAsync(preview);
        using var queryKey = await app.Anonymous.GetAsync(preview + "&code=" + AftercareApp.FunctionKey);
        using var masterKey = await app.Admin.GetAsync(preview);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, headerKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, queryKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, masterKey.StatusCode);

        // admin: the master key only; the function key is refused before the worker sees the request.
        var stored = await app.CountStoredEntitiesAsync();
        using var withFunctionKey = await app.PostJsonAsync(app.Http, "/api/manage/clinics", new { name = "Riverside" });
        using var withoutKey = await app.PostJsonAsync(app.Anonymous, "/api/manage/clinics", new { name = "Riverside" });
        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(stored, await app.CountStoredEntitiesAsync());
        await Clinics.CreateAsync(app);
    }

    [Fact]
    public async Task A_function_that_throws_answers_a_500_problem_without_detail_and_logs_the_exception()
    {
        await using var app = await AftercareApp.StartAsync(infrastructure, Now, services =>
            services.Replace(ServiceDescriptor.Singleton<IClinicStore>(new FailingClinicStore())));

        using var response = await app.Http.PostAsync(
            "/api/clinics/cl_00000000000000000001/treatments", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Equal("https://aftercare.example/problems/internal", problem.GetProperty("type").GetString());
        Assert.DoesNotContain(FailingClinicStore.Message, problem.ToString(), StringComparison.Ordinal);
        Assert.Contains(app.Logs.Lines, line => line.Contains(FailingClinicStore.Message, StringComparison.Ordinal) && line.Contains("RegisterTreatment", StringComparison.Ordinal));
    }

    private sealed class FailingClinicStore : IClinicStore
    {
        public const string Message = "storage exploded (test)";

        public Task CreateAsync(Clinic clinic, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<Clinic?> UpdateAsync(string clinicId, Func<Clinic, Clinic> change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Message);
    }
}
