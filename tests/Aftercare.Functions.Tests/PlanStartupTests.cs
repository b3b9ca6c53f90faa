using Aftercare.Core.Plans;
using Aftercare.Functions.Hosting;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>The host refuses to start on a broken plan file, and says which file and which field.</summary>
public sealed class PlanStartupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aftercare-plans-").FullName;

    [Fact]
    public void The_shipped_plans_load()
    {
        var catalog = PlanFiles.Load(PlanFiles.DefaultDirectory);
        Assert.Equal(["microneedling-body", "microneedling-default", "microneedling-light"], catalog.All.Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_broken_plan_stops_start_up_naming_the_file_and_the_field()
    {
        foreach (var file in Directory.EnumerateFiles(PlanFiles.DefaultDirectory, "*.json"))
        {
            File.Copy(file, Path.Combine(_directory, Path.GetFileName(file)));
        }

        var target = Path.Combine(_directory, "microneedling-light.json");
        File.WriteAllText(target, File.ReadAllText(target).Replace("{firstName}", "{firstname}", StringComparison.Ordinal));

        var error = Assert.Throws<PlanValidationException>(() => PlanFiles.Load(_directory));
        Assert.Equal("microneedling-light.json", error.FileName);
        Assert.Matches(@"^stages\[\d+\]\.templates\.(en|es)$", error.Field);
        Assert.Contains("firstname", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
