using Aftercare.Functions.Cli;
using Aftercare.Functions.Hosting;
using Microsoft.Extensions.Hosting;

if (args is ["preview", .. var previewArgs])
{
    return PreviewCommand.Run(previewArgs, Console.Out, Console.Error);
}

using var host = await AftercareWorker.BuildAsync(AftercareWorker.CreateBuilder(args));
await host.RunAsync();
return 0;
