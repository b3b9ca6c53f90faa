using System.Net;
using System.Net.Http.Headers;
using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>
/// Our requests against Twilio's own OpenAPI description, served by Prism: every request must pass its validation
/// (Prism answers 422/415/401 otherwise, and lists softer findings in sl-violations, which must stay empty).
/// </summary>
public sealed class TwilioContractTests(PrismServer prism) : IClassFixture<PrismServer>, IDisposable
{
    private const string To = "+15551234567";
    private const string MessagingService = "MG0123456789abcdef0123456789abcdef";

    private readonly PrismRecorder _prism = new();
    private HttpClient? _http;

    private HttpClient Http => _http ??= prism.CreateHttpClient(_prism);

    public void Dispose() => _http?.Dispose();

    [Fact]
    public async Task Create_from_a_number_passes_the_contract()
    {
        var created = await Client().CreateAsync(new CreateMessageOptions(To, "Hello") { From = TestTwilio.Sender });

        Assert.Equal(201, created.GetRawResponse().Status);
        Assert.Matches("^(SM|MM)[0-9a-fA-F]{32}$", created.Value.Sid);
        Assert.NotNull(created.Value.DateCreated);
        AssertNoRequestViolations();
    }

    [Fact]
    public async Task Create_through_a_messaging_service_with_a_status_callback_passes_the_contract()
    {
        var created = await Client().CreateAsync(new CreateMessageOptions(To, "Hello")
        {
            MessagingServiceSid = MessagingService,
            StatusCallback = new Uri("https://aftercare.example/api/twilio/status?clinic=c1"),
        });

        Assert.Equal(201, created.GetRawResponse().Status);
        AssertNoRequestViolations();
    }

    [Fact]
    public async Task Create_with_a_status_callback_and_an_api_key_passes_the_contract()
    {
        var client = Client(o =>
        {
            o.AuthToken = null;
            o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = "secret";
        });

        var created = await client.CreateAsync(new CreateMessageOptions(To, "Hola, ¿qué tal? 👍")
        {
            From = TestTwilio.Sender,
            StatusCallback = new Uri("https://aftercare.example/api/twilio/status?clinic=cl_1&treatment=tr_1&stage=welcome"),
        });

        Assert.Equal(201, created.GetRawResponse().Status);
        AssertNoRequestViolations();
    }

    [Fact]
    public async Task The_sender_is_accepted_through_the_contract()
    {
        var sender = new TwilioSmsSender(Client(), new CapturingLogger<TwilioSmsSender>());

        var result = await sender.SendAsync(new SmsRequest(To, null, MessagingService, "Hello", null), CancellationToken.None);

        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        AssertNoRequestViolations();
    }

    [Fact]
    public async Task Fetch_passes_the_contract()
    {
        var fetched = await Client().FetchAsync("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

        Assert.Equal(200, fetched.GetRawResponse().Status);
        Assert.False(string.IsNullOrEmpty(fetched.Value.Sid));
        AssertNoRequestViolations();
    }

    [Fact]
    public async Task List_with_to_and_date_sent_filters_follows_pages_within_the_contract()
    {
        // Prism's example always has a next page, so read a bounded number: enough to request page two.
        var messages = new List<TwilioMessage>();
        await foreach (var message in Client().ListAsync(To, new DateOnly(2025, 3, 10), pageSize: 2))
        {
            messages.Add(message);
            if (messages.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.NotNull(m.DateCreated));
        AssertNoRequestViolations();
        Assert.Equal(2, _prism.Requests.Count);
        Assert.Contains("To=%2B15551234567&DateSent%3E=2025-03-10&PageSize=2", _prism.Requests[0].Uri.OriginalString, StringComparison.Ordinal);
        Assert.Contains("PageToken=", _prism.Requests[1].Uri.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_without_to_is_rejected_by_the_contract()
    {
        using var request = RawCreate(new FormUrlEncodedContent([new("From", TestTwilio.Sender), new("Body", "Hello")]));

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("'To'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_sent_as_json_is_rejected_by_the_contract()
    {
        using var request = RawCreate(new StringContent("""{"To":"+15551234567","From":"+15005550006","Body":"Hello"}""", new MediaTypeHeaderValue("application/json")));

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_messaging_service_is_rejected_and_the_sender_calls_it_rejected()
    {
        var sender = new TwilioSmsSender(Client(), new CapturingLogger<TwilioSmsSender>());

        var result = await sender.SendAsync(new SmsRequest(To, null, "MG-not-a-sid", "Hello", null), CancellationToken.None);

        Assert.Equal((SmsOutcome.Rejected, SmsRejection.Other, "422"), (result.Outcome, result.Rejection, result.ErrorCode));
    }

    private TwilioMessagesClient Client(Action<TwilioOptions>? configure = null) =>
        new(Http, TestTwilio.Options(prism.BaseUri, configure));

    private HttpRequestMessage RawCreate(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(prism.BaseUri, $"/2010-04-01/Accounts/{TestTwilio.AccountSid}/Messages.json"))
        {
            Content = content,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("AC:token"u8.ToArray()));
        return request;
    }

    private void AssertNoRequestViolations()
    {
        Assert.True(_prism.RequestViolations.Count == 0, "Prism found fault with our request: " + string.Join("; ", _prism.RequestViolations));
        Assert.NotEmpty(_prism.Requests);
        foreach (var request in _prism.Requests)
        {
            var (sent, declared) = request.Method == HttpMethod.Post
                ? (TwilioSpec.Keys(request.Body), TwilioSpec.CreateMessageFields)
                : (TwilioSpec.Keys(request.Uri.Query), TwilioSpec.ListMessagesQuery);
            Assert.All(sent, key => Assert.Contains(key, declared));
        }
    }

    [Fact]
    public void The_declared_names_check_catches_a_misspelt_field()
    {
        Assert.Contains("MessagingServiceSid", TwilioSpec.CreateMessageFields);
        Assert.DoesNotContain("MessagingServiceSID", TwilioSpec.CreateMessageFields);
        Assert.Contains("DateSent>", TwilioSpec.ListMessagesQuery);
        Assert.Equal(["To", "DateSent>", "PageSize"], TwilioSpec.Keys("?To=%2B1555&DateSent%3E=2025-03-10&PageSize=2"));
    }
}
