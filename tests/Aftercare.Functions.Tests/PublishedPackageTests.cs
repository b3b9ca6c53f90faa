using System.IO.Compression;
using System.Net;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using Aftercare.Testing;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The package is what the host loads: the output of <c>scripts/package.sh</c> declares the README's functions, carries
/// the worker extensions, the host configuration and the data files, and nothing meant for this machine only; and the
/// local Functions host runs that folder (not the build output) end to end.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class PublishedPackageTests(Infrastructure infrastructure, PublishedPackage package) : IClassFixture<PublishedPackage>
{
    private string App => package.AppDirectory;

    [Fact]
    public void The_published_functions_metadata_is_exactly_the_readme_function_table()
    {
        var published = FunctionMetadataTests.BuiltFunctions(App).Order(StringComparer.Ordinal).ToList();
        var documented = FunctionMetadataTests.DocumentedFunctions().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(FunctionMetadataTests.FunctionCount, published.Count);
        Assert.Equal(documented, published);
    }

    [Fact]
    public void The_worker_its_extensions_and_the_host_configuration_are_at_the_package_root()
    {
        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(App, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.True(File.Exists(Path.Combine(App, description.GetProperty("defaultWorkerPath").GetString()!)), "the worker assembly worker.config.json names");

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")), File.ReadAllText(Path.Combine(App, "host.json")));

        // The host's side of the worker's bindings: the extension project the Worker SDK builds, and the startup that
        // makes the host read functions.metadata and the Storage Queues extension (the dispatch fan-out), named in
        // extensions.json with hint paths inside the package.
        var extensions = Path.Combine(App, ".azurefunctions");
        Assert.True(File.Exists(Path.Combine(extensions, "function.deps.json")));
        Assert.True(File.Exists(Path.Combine(extensions, "Microsoft.Azure.Functions.Worker.Extensions.dll")));
        using var startup = JsonDocument.Parse(File.ReadAllText(Path.Combine(App, "extensions.json")));
        var startups = startup.RootElement.GetProperty("extensions").EnumerateArray().ToList();
        var loader = Assert.Single(startups, e => e.GetProperty("typeName").GetString()!.StartsWith("Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.Startup,", StringComparison.Ordinal));
        var queues = Assert.Single(startups, e => e.GetProperty("typeName").GetString()!.StartsWith("Microsoft.Azure.WebJobs.Extensions.Storage.AzureStorageQueuesWebJobsStartup,", StringComparison.Ordinal));
        Assert.Equal(2, startups.Count);
        Assert.All([loader, queues], e => Assert.True(File.Exists(Path.Combine(App, e.GetProperty("hintPath").GetString()!)), "each startup extensions.json points to ships"));
    }

    [Fact]
    public void The_worker_and_its_dependencies_are_precompiled_ready_to_run()
    {
        // A ReadyToRun image carries a managed native header in its CLI header (ECMA-335 II.25.3.3); an IL-only one has none.
        Assert.True(IsReadyToRun(Path.Combine(App, "Aftercare.Functions.dll")), "Aftercare.Functions.dll is ReadyToRun");
        Assert.True(IsReadyToRun(Path.Combine(App, "Aftercare.Core.dll")), "Aftercare.Core.dll is ReadyToRun");
        Assert.True(IsReadyToRun(Path.Combine(App, "Twilio.dll")), "Twilio.dll is ReadyToRun");

        // The check tells the two apart: the test run's own build of the worker is IL only.
        Assert.False(IsReadyToRun(Path.Combine(RepositoryPaths.FunctionsAppDirectory, "Aftercare.Functions.dll")), "the IL-only build is not ReadyToRun");

        static bool IsReadyToRun(string assembly)
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        }
    }

    [Fact]
    public void The_plans_and_triage_rules_ship_as_in_the_source()
    {
        var core = Path.Combine(RepositoryPaths.Root, "src", "Aftercare.Core");
        AssertSameFiles(Path.Combine(core, "Plans", "Data"), Path.Combine(App, "plans"));
        AssertSameFiles(Path.Combine(core, "Replies", "Data"), Path.Combine(App, "triage"));
    }

    [Fact]
    public void Nothing_for_this_machine_only_is_in_the_package_and_the_zip_holds_the_same_files()
    {
        var files = Directory.EnumerateFiles(App, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(App, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.DoesNotContain(files, f => Path.GetFileName(f).Equals("local.settings.json", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("Aftercare.FunctionsHost", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("Aftercare.Testing", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains(".Tests", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("xunit", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, f => f.Contains("testhost", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, f => f.Contains("TestPlatform", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("FsCheck", StringComparison.Ordinal));

        using var zip = ZipFile.OpenRead(package.ZipPath);
        var zipped = zip.Entries.Where(e => !e.FullName.EndsWith('/'))
            .Select(e => e.FullName.TrimStart('.', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(files.Select(f => f.TrimStart('.', '/')).Order(StringComparer.Ordinal), zipped);
    }

    [Fact]
    public async Task The_local_host_runs_the_published_folder_health_a_signed_registration_and_a_timer_that_sends_through_twilio()
    {
        await using var app = await ProcessApp.StartAsync(infrastructure, App);
        var worker = app.Host.WorkerProcessId ?? throw new InvalidOperationException("No worker is running.");
        Assert.Contains(Path.Combine(App, "Aftercare.Functions.dll"), await File.ReadAllTextAsync($"/proc/{worker}/cmdline"), StringComparison.Ordinal);

        using (var health = await app.Anonymous.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("healthy", (await health.ReadJsonAsync()).GetProperty("status").GetString());
        }

        // Quiet hours an hour long, six hours from now in the clinic's zone: the welcome text is due now whatever the hour.
        var now = SystemClock.Instance.GetCurrentInstant();
        var local = now.InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).TimeOfDay;
        var clinic = await app.CreateClinicAsync("Europe/London", (Hhmm(local.PlusHours(6)), Hhmm(local.PlusHours(7))));
        await app.RegisterAsync(clinic, "ext-package-1", now.ToDateTimeOffset().AddMinutes(-5));

        // The timer fans out to the queue; the host's queue trigger drains the shards and the welcome text goes.
        var dispatch = await app.Host.InvokeAsync("DispatchDueMessages");
        Assert.True(dispatch.Succeeded, dispatch.ErrorMessage);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        JsonElement timeline;
        while (true)
        {
            using var read = await app.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/ext-package-1", clinic.Secret);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            timeline = await read.ReadJsonAsync();
            if (Registrations.Status(timeline, "welcome-redness") == "sent" || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("sent", Registrations.Status(timeline, "welcome-redness"));
        Assert.StartsWith("SM", Registrations.Message(timeline, "welcome-redness").GetProperty("twilioSid").GetString(), StringComparison.Ordinal);
        Assert.Equal("scheduled", Registrations.Status(timeline, "sun-protection"));
    }

    private static string Hhmm(LocalTime time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertSameFiles(string source, string published)
    {
        var expected = Directory.GetFiles(source, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Directory.GetFiles(published).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in expected)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(source, name!)), File.ReadAllText(Path.Combine(published, name!)));
        }
    }
}
