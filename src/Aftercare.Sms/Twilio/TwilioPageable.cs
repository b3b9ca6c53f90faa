using Azure;

namespace Aftercare.Sms.Twilio;

/// <summary>Lazily follows Twilio's next_page_uri, one request per page, up to a cap.</summary>
internal sealed class TwilioPageable<T> : AsyncPageable<T>
    where T : notnull
{
    private readonly Func<string?, CancellationToken, Task<Page<T>>> _readPage;
    private readonly int _maxPages;

    public TwilioPageable(Func<string?, CancellationToken, Task<Page<T>>> readPage, int maxPages, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _readPage = readPage;
        _maxPages = maxPages;
    }

    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        var token = continuationToken;
        for (var read = 0; ; read++)
        {
            if (read == _maxPages)
            {
                throw new TwilioApiException($"Twilio listed more than {_maxPages} pages; narrow the query.");
            }

            var page = await _readPage(token, CancellationToken);
            yield return page;
            token = page.ContinuationToken;
            if (string.IsNullOrEmpty(token))
            {
                yield break;
            }
        }
    }
}
