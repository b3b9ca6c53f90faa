using Aftercare.Functions.Cli;
using Aftercare.Functions.Hosting;

if (args is ["preview", .. var previewArgs])
{
    return PreviewCommand.Run(previewArgs, Console.Out, Console.Error);
}

var app = AftercareApplication.Build(AftercareApplication.CreateBuilder(args));
await app.Services.EnsureStorageAsync();
await app.RunAsync();
return 0;
