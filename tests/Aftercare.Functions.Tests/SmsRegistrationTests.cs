using Aftercare.Core.Messaging;
using Aftercare.Functions.Hosting;
using Aftercare.Sms.Console;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>Without Twilio, texts go to the console: whole only in Development, a masked summary anywhere else.</summary>
public sealed class SmsRegistrationTests
{
    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    public void Without_twilio_the_console_sender_prints_whole_texts_only_in_development(string environment, bool printsTexts)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        services.AddLogging();
        services.AddAftercareSms(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        var sender = Assert.IsType<ConsoleSmsSender>(provider.GetRequiredService<ISmsSender>());
        Assert.Equal(printsTexts, sender.PrintsTexts);
    }
}
