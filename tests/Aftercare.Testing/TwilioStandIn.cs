using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aftercare.Testing;

/// <summary>
/// A stateful stand-in for Twilio's Messages API (create, fetch, list with To / DateSent filters and paging) on a
/// loopback Kestrel server. It keeps every message it created, so a test can prove each text was created exactly once,
/// and injects faults into create requests: scripted (<see cref="EnqueueFaults"/>) or random with a seed.
/// It needs nothing from xunit, so a separate process can host it for a chaos test.
/// </summary>
public sealed class TwilioStandIn : IAsyncDisposable
{
    private const string MessagesRoute = "/2010-04-01/Accounts/{accountSid}/Messages";

    private static readonly string[] ListFilters = ["To", "DateSent", "DateSent>", "DateSent<"];

    private readonly TwilioStandInOptions _options;
    private readonly Lock _gate = new();
    private readonly List<TwilioStandInMessage> _created = [];
    private readonly List<TwilioStandInRequest> _requests = [];
    private readonly Queue<TwilioStandInFault> _scripted = new();
    private readonly Random _random;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private TwilioStandIn(TwilioStandInOptions options)
    {
        _options = options;
        _random = new Random(options.RandomSeed);
    }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every message created, in order, including those whose answer was a 500 or never came.</summary>
    public IReadOnlyList<TwilioStandInMessage> Created
    {
        get
        {
            lock (_gate)
            {
                return [.. _created];
            }
        }
    }

    /// <summary>Every create request received, with the fault applied to it.</summary>
    public IReadOnlyList<TwilioStandInRequest> CreateRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<TwilioStandIn> StartAsync(TwilioStandInOptions? options = null, CancellationToken cancellationToken = default)
    {
        var standIn = new TwilioStandIn(options ?? new TwilioStandInOptions());
        await standIn.RunAsync(cancellationToken);
        return standIn;
    }

    /// <summary>Faults for the next create requests, one each, in order; requests after them get random faults or none.</summary>
    public void EnqueueFaults(params TwilioStandInFault[] faults)
    {
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                _scripted.Enqueue(fault);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _options.Port));
        var app = builder.Build();
        app.MapPost(MessagesRoute + ".json", CreateAsync);
        app.MapGet(MessagesRoute + ".json", ListAsync);
        app.MapGet(MessagesRoute + "/{sid}.json", FetchAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        BaseUri = new Uri(app.Urls.First());
    }

    private async Task CreateAsync(HttpContext context)
    {
        if (!IsAuthorized(context))
        {
            await WriteErrorAsync(context, 401, 20003, "Authenticate");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (_options.CreateLatency > TimeSpan.Zero)
        {
            await Task.Delay(_options.CreateLatency, _options.TimeProvider, context.RequestAborted);
        }

        var to = Value(form, "To");
        var fault = NextFault(to);
        switch (fault)
        {
            case TwilioStandInFault.RateLimited:
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(_options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, 429, 20429, "Too Many Requests");
                return;
            case TwilioStandInFault.DropBeforeCreate:
                context.Abort();
                return;
            case TwilioStandInFault.Unsubscribed:
                await WriteErrorAsync(context, 400, 21610, "Attempt to send to unsubscribed recipient");
                return;
            case TwilioStandInFault.InvalidNumber:
                await WriteErrorAsync(context, 400, 21211, $"The 'To' number {to} is not a valid phone number.");
                return;
            case TwilioStandInFault.NotMobile:
                await WriteErrorAsync(context, 400, 21614, $"'To' number {to} is not a mobile number");
                return;
        }

        if (Validate(form) is { } problem)
        {
            await WriteErrorAsync(context, 400, problem.Code, problem.Message);
            return;
        }

        var message = new TwilioStandInMessage(
            "SM" + Guid.NewGuid().ToString("N"),
            (string)context.Request.RouteValues["accountSid"]!,
            to!,
            Value(form, "From"),
            Value(form, "MessagingServiceSid"),
            Value(form, "Body")!,
            Value(form, "StatusCallback"),
            _options.TimeProvider.GetUtcNow());
        lock (_gate)
        {
            _created.Add(message);
        }

        switch (fault)
        {
            case TwilioStandInFault.ServerErrorAfterCreate:
                await WriteErrorAsync(context, 500, 20500, "Internal Server Error");
                return;
            case TwilioStandInFault.HangAfterCreate:
                await HangAsync(context);
                return;
            default:
                await WriteJsonAsync(context, 201, Resource(message));
                return;
        }
    }

    private async Task ListAsync(HttpContext context)
    {
        if (!IsAuthorized(context))
        {
            await WriteErrorAsync(context, 401, 20003, "Authenticate");
            return;
        }

        var query = context.Request.Query;
        var accountSid = (string)context.Request.RouteValues["accountSid"]!;
        var pageSize = int.TryParse(query["PageSize"], out var size) && size is >= 1 and <= 1000 ? size : 50;
        var page = int.TryParse(query["Page"], out var number) && number >= 0 ? number : 0;
        var matching = Created
            .Where(m => m.AccountSid == accountSid && Matches(m, query))
            .OrderByDescending(m => m.DateCreated)
            .ToList();
        var messages = matching.Skip(page * pageSize).Take(pageSize).ToList();
        var hasNext = (page + 1) * pageSize < matching.Count;

        string PageUri(int p) =>
            $"/2010-04-01/Accounts/{accountSid}/Messages.json{Filters(query)}PageSize={pageSize}&Page={p}" + (p > 0 ? $"&PageToken=PA{p}" : string.Empty);

        await WriteJsonAsync(context, 200, new Dictionary<string, object?>
        {
            ["messages"] = messages.Select(Resource).ToList(),
            ["page"] = page,
            ["page_size"] = pageSize,
            ["start"] = page * pageSize,
            ["end"] = (page * pageSize) + Math.Max(messages.Count - 1, 0),
            ["uri"] = PageUri(page),
            ["first_page_uri"] = PageUri(0),
            ["next_page_uri"] = hasNext ? PageUri(page + 1) : null,
            ["previous_page_uri"] = page > 0 ? PageUri(page - 1) : null,
        });
    }

    private async Task FetchAsync(HttpContext context)
    {
        var sid = (string?)context.Request.RouteValues["sid"];
        var message = Created.FirstOrDefault(m => m.Sid == sid);
        if (!IsAuthorized(context) || message is null)
        {
            await WriteErrorAsync(context, message is null ? 404 : 401, message is null ? 20404 : 20003, "Not found");
            return;
        }

        await WriteJsonAsync(context, 200, Resource(message));
    }

    private TwilioStandInFault NextFault(string? to)
    {
        lock (_gate)
        {
            var fault = _scripted.Count > 0
                ? _scripted.Dequeue()
                : _options.RandomFaultRate > 0 && _options.RandomFaults.Count > 0 && _random.NextDouble() < _options.RandomFaultRate
                    ? _options.RandomFaults[_random.Next(_options.RandomFaults.Count)]
                    : TwilioStandInFault.None;
            _requests.Add(new TwilioStandInRequest(_requests.Count + 1, to, fault));
            return fault;
        }
    }

    // Holds the request open until the client gives up (its timeout closes the connection) or the stand-in stops.
    private async Task HangAsync(HttpContext context)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }

    private static (int Code, string Message)? Validate(IFormCollection form)
    {
        if (string.IsNullOrEmpty(Value(form, "To")))
        {
            return (21604, "A 'To' phone number is required.");
        }

        if (string.IsNullOrEmpty(Value(form, "From")) && string.IsNullOrEmpty(Value(form, "MessagingServiceSid")))
        {
            return (21603, "A 'From' phone number is required.");
        }

        return string.IsNullOrEmpty(Value(form, "Body")) ? (21602, "Message body is required.") : null;
    }

    private static bool Matches(TwilioStandInMessage message, IQueryCollection query)
    {
        if (query.TryGetValue("To", out var to) && !string.IsNullOrEmpty(to) && to != message.To)
        {
            return false;
        }

        var sentDate = DateOnly.FromDateTime(message.DateCreated.UtcDateTime);
        return DateFilter(query, "DateSent", d => sentDate == d)
            && DateFilter(query, "DateSent>", d => sentDate >= d)
            && DateFilter(query, "DateSent<", d => sentDate <= d);
    }

    private static bool DateFilter(IQueryCollection query, string key, Func<DateOnly, bool> accepts) =>
        !query.TryGetValue(key, out var value)
        || !DateOnly.TryParseExact(value.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        || accepts(date);

    private static string Filters(IQueryCollection query)
    {
        var kept = ListFilters
            .Where(query.ContainsKey)
            .Select(k => Uri.EscapeDataString(k) + "=" + Uri.EscapeDataString(query[k].ToString()) + "&");
        return "?" + string.Concat(kept);
    }

    private static Dictionary<string, object?> Resource(TwilioStandInMessage message)
    {
        var date = message.DateCreated.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";
        return new()
        {
            ["account_sid"] = message.AccountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = message.Body,
            ["date_created"] = date,
            ["date_sent"] = date,
            ["date_updated"] = date,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = message.From,
            ["messaging_service_sid"] = message.MessagingServiceSid,
            ["num_media"] = "0",
            ["num_segments"] = "1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = message.Sid,
            ["status"] = "queued",
            ["to"] = message.To,
            ["uri"] = $"/2010-04-01/Accounts/{message.AccountSid}/Messages/{message.Sid}.json",
        };
    }

    private static bool IsAuthorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.Ordinal);

    private static string? Value(IFormCollection form, string key) =>
        form.TryGetValue(key, out var value) ? value.ToString() : null;

    private static Task WriteErrorAsync(HttpContext context, int status, int code, string message) =>
        WriteJsonAsync(context, status, new Dictionary<string, object?>
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        });

    private static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
