using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure;
using Polly;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Twilio's Programmable Messaging API (2010-04-01 Messages: create, fetch, list) on <see cref="HttpClient"/>.
/// Each attempt is bounded by <see cref="TwilioOptions.RequestTimeout"/> through Polly, so the HttpClient's own
/// timeout should be longer than that (or infinite).
/// </summary>
public sealed class TwilioMessagesClient
{
    private const string ApiVersion = "2010-04-01";

    private readonly HttpClient _http;
    private readonly TwilioOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly ResiliencePipeline<HttpResponseMessage> _createPipeline;
    private readonly ResiliencePipeline<HttpResponseMessage> _readPipeline;

    public TwilioMessagesClient(HttpClient httpClient, TwilioOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = httpClient;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        var credentials = Encoding.UTF8.GetBytes(options.BasicAuthUser + ":" + options.BasicAuthPassword);
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        _createPipeline = TwilioPipelines.ForCreate(options, _timeProvider);
        _readPipeline = TwilioPipelines.ForRead(options, _timeProvider);
    }

    public TwilioOptions Options => _options;

    private string MessagesPath => $"/{ApiVersion}/Accounts/{_options.AccountSid}/Messages";

    /// <summary>
    /// Creates (sends) a text. Retried only when Twilio proves nothing was created (429, connection refused);
    /// otherwise a failure throws and the caller must treat the text as possibly sent.
    /// </summary>
    /// <exception cref="TwilioApiException">Twilio answered with an error.</exception>
    /// <exception cref="Polly.CircuitBreaker.BrokenCircuitException">Recent calls failed; Twilio was not called.</exception>
    /// <exception cref="Polly.Timeout.TimeoutRejectedException">An attempt outlived <see cref="TwilioOptions.RequestTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<Response<TwilioMessage>> CreateAsync(CreateMessageOptions message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        var form = CreateForm(message);
        var uri = new Uri(_options.BaseUri, MessagesPath + ".json");
        var response = await SendAsync(_createPipeline, HttpMethod.Post, uri, form, cancellationToken);
        return Response.FromValue(Deserialize<TwilioMessage>(response), response);
    }

    public async Task<Response<TwilioMessage>> FetchAsync(string sid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sid);
        var uri = new Uri(_options.BaseUri, $"{MessagesPath}/{Uri.EscapeDataString(sid)}.json");
        var response = await SendAsync(_readPipeline, HttpMethod.Get, uri, form: null, cancellationToken);
        return Response.FromValue(Deserialize<TwilioMessage>(response), response);
    }

    /// <summary>
    /// Texts, newest first, following Twilio's next_page_uri. <paramref name="dateSentOnOrAfter"/> is a UTC date
    /// (Twilio filters by date only: <c>DateSent&gt;=YYYY-MM-DD</c>).
    /// </summary>
    public AsyncPageable<TwilioMessage> ListAsync(
        string? to = null, DateOnly? dateSentOnOrAfter = null, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "Twilio pages hold 1 to 1000 messages.");
        }

        var query = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(to))
        {
            query.Add(new("To", to));
        }

        if (dateSentOnOrAfter is { } date)
        {
            // The query key is "DateSent>" and the value the date, which reads as DateSent>=date on the wire.
            query.Add(new("DateSent>", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (pageSize is { } size)
        {
            query.Add(new("PageSize", size.ToString(CultureInfo.InvariantCulture)));
        }

        var first = new Uri(_options.BaseUri, MessagesPath + ".json" + QueryString(query));
        return new TwilioPageable<TwilioMessage>(
            (continuation, token) => ReadPageAsync(continuation is null ? first : NextPageUri(continuation), token),
            _options.Resilience.MaxListPages,
            cancellationToken);
    }

    private async Task<Page<TwilioMessage>> ReadPageAsync(Uri uri, CancellationToken cancellationToken)
    {
        var response = await SendAsync(_readPipeline, HttpMethod.Get, uri, form: null, cancellationToken);
        var page = Deserialize<TwilioMessagePage>(response);
        return Page<TwilioMessage>.FromValues(page.Messages ?? [], page.NextPageUri, response);
    }

    // next_page_uri is a path on the API host; anything pointing elsewhere would carry our credentials away.
    private Uri NextPageUri(string continuation)
    {
        var next = new Uri(_options.BaseUri, continuation);
        if (Uri.Compare(next, _options.BaseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new TwilioApiException("Twilio's next_page_uri points away from the API host.");
        }

        return next;
    }

    private static List<KeyValuePair<string, string>> CreateForm(CreateMessageOptions message)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", message.To), new("Body", message.Body) };
        if (!string.IsNullOrEmpty(message.From))
        {
            form.Add(new("From", message.From));
        }

        if (!string.IsNullOrEmpty(message.MessagingServiceSid))
        {
            form.Add(new("MessagingServiceSid", message.MessagingServiceSid));
        }

        if (message.StatusCallback is { } callback)
        {
            form.Add(new("StatusCallback", callback.AbsoluteUri));
        }

        return form;
    }

    private async Task<TwilioResponse> SendAsync(
        ResiliencePipeline<HttpResponseMessage> pipeline,
        HttpMethod method,
        Uri uri,
        IReadOnlyList<KeyValuePair<string, string>>? form,
        CancellationToken cancellationToken)
    {
        // A request message can be sent once, so every attempt builds its own; the body is read inside the attempt
        // so the per-attempt timeout covers it too.
        using var message = await pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                using var request = new HttpRequestMessage(state.method, state.uri);
                request.Headers.Authorization = state.self._authorization;
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (state.form is not null)
                {
                    request.Content = new FormUrlEncodedContent(state.form);
                }

                return await state.self._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            },
            (self: this, method, uri, form),
            cancellationToken);

        var response = await TwilioResponse.ReadAsync(message, cancellationToken);
        if (response.Status is < 200 or > 299)
        {
            using (response)
            {
                throw TwilioErrors.ToException(response, TwilioOutcomes.RetryAfter(message, _timeProvider.GetUtcNow()));
            }
        }

        return response;
    }

    private static T Deserialize<T>(TwilioResponse response)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(response.Content.ToMemory().Span)
                ?? throw new TwilioApiException("Twilio answered with an empty body.");
        }
        catch (JsonException exception)
        {
            throw new TwilioApiException("Twilio answered with a body that is not its JSON resource.", exception);
        }
    }

    private static string QueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var pairs = query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)).ToList();
        return pairs.Count == 0 ? string.Empty : "?" + string.Join("&", pairs);
    }
}
