using Aftercare.FunctionsHost.TestWorker;
using Microsoft.Extensions.Hosting;

TestWorkerApp.CreateBuilder(args).Build().Run();
