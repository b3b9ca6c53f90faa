using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aftercare.FunctionsHost.TestWorker;

/// <summary>
/// The test worker's composition root, shared by its Program and by tests that build it inside the test process and
/// attach it to the local host (they can then replace <see cref="TimeProvider"/> or <see cref="IGreeting"/>).
/// </summary>
public static class TestWorkerApp
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();

        // The Sdk registers its generated metadata provider and executor only for the entry assembly (the worker's own
        // exe). Registered here as well, the app also runs when a test process is the entry assembly.
        builder.Services.AddSingleton<IFunctionMetadataProvider, GeneratedFunctionMetadataProvider>();
        builder.Services.AddSingleton<IFunctionExecutor, DirectFunctionExecutor>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IGreeting, Greeting>();
        return builder;
    }
}

/// <summary>A service a test can replace in the attached worker.</summary>
public interface IGreeting
{
    string Text { get; }
}

internal sealed class Greeting : IGreeting
{
    public string Text => "hello from the worker";
}
