using System.Net;
using System.Net.Http.Headers;
using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using NodaTime;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>
/// The SDK's requests, through our handler, against Twilio's own OpenAPI description served by Prism: every request
/// must pass its validation (Prism answers 422/415/401 otherwise, and lists softer findings in sl-violations, which
/// must stay empty), and every field we send must be one the description declares.
/// </summary>
public sealed class TwilioContractTests(PrismServer prism) : IClassFixture<PrismServer>
{
    private const string To = "+15551234567";
    private const string MessagingService = "MG0123456789abcdef0123456789abcdef";

    private readonly PrismRecorder _prism = new();

    [Fact]
    public async Task Create_from_a_number_passes_the_contract()
    {
        var created = await MessageResource.CreateAsync(
            new CreateMessageOptions(new PhoneNumber(To)) { From = new PhoneNumber(TestTwilio.SenderPhone), Body = "Hello" }, Client());

        Assert.Matches(@"\A(SM|MM)[0-9a-fA-F]{32}\z", created.Sid);
        Assert.NotNull(created.DateCreated);
        AssertNoRequestViolations();
        Assert.Equal(["To", "From", "Body"], TwilioSpec.Keys(Assert.Single(_prism.Requests).Body));
    }

    [Fact]
    public async Task Create_through_a_messaging_service_with_a_status_callback_passes_the_contract()
    {
        var callback = new Uri("https://aftercare.example/api/twilio/status?clinic=cl_1&treatment=tr_1&stage=welcome");

        var result = await Sender().SendAsync(new SmsRequest(To, null, MessagingService, "Hello", callback), CancellationToken.None);

        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        AssertNoRequestViolations();
        var body = System.Web.HttpUtility.ParseQueryString(Assert.Single(_prism.Requests).Body!);
        Assert.Equal((MessagingService, callback.AbsoluteUri, null), (body["MessagingServiceSid"], body["StatusCallback"], body["From"]));
    }

    [Fact]
    public async Task Create_from_a_number_with_an_api_key_passes_the_contract()
    {
        var options = TestTwilio.Options(prism.BaseUri, o =>
        {
            o.AuthToken = null;
            o.ApiKeySid = TestTwilio.ApiKeySid;
            o.ApiKeySecret = "secret";
        });

        var result = await Sender(options).SendAsync(
            new SmsRequest(To, TestTwilio.SenderPhone, null, "Hola, ¿qué tal? 👍", new Uri("https://aftercare.example/api/twilio/status?clinic=cl_1")),
            CancellationToken.None);

        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        AssertNoRequestViolations();
        Assert.Contains($"/Accounts/{TestTwilio.AccountSid}/Messages.json", Assert.Single(_prism.Requests).Uri.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_doubt_check_lists_by_to_and_follows_pages_within_the_contract_up_to_its_cap()
    {
        // Prism's example always has a next page, so the cap ends the list: two pages read, then a refusal to guess.
        var sender = Sender(TestTwilio.Options(prism.BaseUri, o => o.Resilience.MaxListPages = 2));

        var error = await Assert.ThrowsAsync<TwilioRequestException>(
            () => sender.FindSentAsync(To, Instant.FromUtc(2020, 1, 1, 0, 0), CancellationToken.None));

        Assert.Contains("more than 2 pages", error.Message, StringComparison.Ordinal);
        AssertNoRequestViolations();
        Assert.Equal(2, _prism.Requests.Count);
        Assert.All(_prism.Requests, r => Assert.Equal(HttpMethod.Get, r.Method));
        Assert.Equal(["To", "PageSize"], TwilioSpec.Keys(_prism.Requests[0].Uri.Query));
        Assert.Contains("To=%2B15551234567", _prism.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("PageToken=", _prism.Requests[1].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_doubt_checks_first_page_is_the_request_the_sdks_own_read_makes()
    {
        // Pages are requested through the client's async API rather than the SDK's blocking ResourceSet; the first one
        // must still be exactly what MessageResource.ReadAsync asks for.
        _ = await MessageResource.ReadAsync(new ReadMessageOptions { To = new PhoneNumber(To), PageSize = 100 }, Client());
        var sender = Sender(TestTwilio.Options(prism.BaseUri, o => o.Resilience.MaxListPages = 1));
        await Assert.ThrowsAsync<TwilioRequestException>(() => sender.FindSentAsync(To, Instant.FromUtc(2020, 1, 1, 0, 0), CancellationToken.None));

        AssertNoRequestViolations();
        Assert.Equal(2, _prism.Requests.Count);
        Assert.Equal(_prism.Requests[0].Uri.PathAndQuery, _prism.Requests[1].Uri.PathAndQuery);
    }

    [Fact]
    public async Task A_create_without_to_is_rejected_by_the_contract()
    {
        // Proof that the contract check can fail: Prism refuses a request that breaks Twilio's description.
        using var http = prism.CreateHttpClient(_prism);
        using var request = RawCreate(new FormUrlEncodedContent([new("From", TestTwilio.SenderPhone), new("Body", "Hello")]));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("'To'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_sent_as_json_is_rejected_by_the_contract()
    {
        using var http = prism.CreateHttpClient(_prism);
        using var request = RawCreate(new StringContent("""{"To":"+15551234567","From":"+15005550006","Body":"Hello"}""", new MediaTypeHeaderValue("application/json")));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_messaging_service_is_rejected_and_the_sender_calls_it_rejected()
    {
        var result = await Sender().SendAsync(new SmsRequest(To, null, "MG-not-a-sid", "Hello", null), CancellationToken.None);

        Assert.Equal((SmsOutcome.Rejected, SmsRejection.Other, "422"), (result.Outcome, result.Rejection, result.ErrorCode));
    }

    [Fact]
    public void The_declared_names_check_catches_a_misspelt_field()
    {
        Assert.Contains("MessagingServiceSid", TwilioSpec.CreateMessageFields);
        Assert.DoesNotContain("MessagingServiceSID", TwilioSpec.CreateMessageFields);
        Assert.Contains("To", TwilioSpec.ListMessagesQuery);
        Assert.Contains("PageSize", TwilioSpec.ListMessagesQuery);
        Assert.Equal(["To", "DateSent>", "PageSize"], TwilioSpec.Keys("?To=%2B1555&DateSent%3E=2025-03-10&PageSize=2"));
    }

    private global::Twilio.Clients.TwilioRestClient Client() =>
        TestTwilio.Client(TestTwilio.Options(prism.BaseUri), PrismServer.CreateRecordingHandler(_prism));

    private TwilioSmsSender Sender(TwilioOptions? options = null) =>
        TestTwilio.Sender(options ?? TestTwilio.Options(prism.BaseUri), primaryHandler: PrismServer.CreateRecordingHandler(_prism));

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
}
