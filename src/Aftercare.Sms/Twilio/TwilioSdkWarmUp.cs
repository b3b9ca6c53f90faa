using Twilio.Base;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// The SDK's first Message parse builds its Newtonsoft.Json contracts and compiles the resource's code: about 0.4 s
/// measured on a busy 2-core machine, against under 5 ms for the next one. Started on the thread pool when the first
/// client is built (at start-up), so it is off the path to the worker's first answer and, in all likelihood, done
/// before the first text after a cold start (a text that comes sooner simply pays its share itself).
/// </summary>
internal static class TwilioSdkWarmUp
{
    private const string SamplePage = """
        {"messages":[{"sid":"SM00000000000000000000000000000000","status":"queued","to":"+15005550006","body":"warm-up",
        "date_created":"Thu, 24 Aug 2023 05:01:45 +0000","date_sent":null,"num_segments":"1","price":null}],
        "uri":"/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json","page_size":1,"next_page_uri":null}
        """;

    private static readonly Lazy<bool> Done = new(Run);

    public static void EnsureDone() => _ = Done.Value;

    /// <summary>Runs the warm-up on the thread pool, once per process; never throws (a failed warm-up only costs the first text time).</summary>
    public static void StartInBackground() => _ = Task.Run(() =>
    {
        try
        {
            EnsureDone();
        }
        catch (Exception)
        {
            // The real parse on the first text reports whatever is wrong.
        }
    });

    private static bool Run()
    {
        _ = new CreateMessageOptions(new PhoneNumber("+15005550006"))
        {
            From = new PhoneNumber("+15005550006"),
            Body = "warm-up",
            StatusCallback = new Uri("https://example.invalid/"),
        }.GetParams();
        _ = Page<MessageResource>.FromJson("messages", SamplePage);
        return true;
    }
}
