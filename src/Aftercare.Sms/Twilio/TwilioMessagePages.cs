using System.Runtime.CompilerServices;
using Twilio.Base;
using Twilio.Clients;
using Twilio.Http;
using Twilio.Rest;
using Twilio.Rest.Api.V2010.Account;
using HttpMethod = Twilio.Http.HttpMethod;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Lists Messages page by page through the client's asynchronous request API. The SDK's own <c>ResourceSet</c> fetches
/// every page after the first with blocking I/O (<c>MessageResource.NextPage</c> calls <c>client.Request</c>), which
/// would hold a thread per page; here each page is an awaited <c>RequestAsync</c>, parsed by the SDK's
/// <c>Page&lt;MessageResource&gt;</c>, and the next one is requested at the SDK's <c>GetNextPageUrl</c>.
/// </summary>
internal static class TwilioMessagePages
{
    /// <summary>
    /// The Messages matching <paramref name="options"/> (Twilio's "Read multiple Message resources"), in Twilio's order,
    /// reading at most <paramref name="maxPages"/> pages.
    /// </summary>
    /// <exception cref="TwilioRequestException">There are more pages than <paramref name="maxPages"/>.</exception>
    /// <exception cref="global::Twilio.Exceptions.TwilioException">A page could not be read (the SDK's exceptions, as thrown).</exception>
    public static async IAsyncEnumerable<MessageResource> ReadAsync(
        ITwilioRestClient client, ReadMessageOptions options, int maxPages, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var request = new Request(
            HttpMethod.Get,
            Domain.Api,
            $"/2010-04-01/Accounts/{options.PathAccountSid ?? client.AccountSid}/Messages.json",
            queryParams: options.GetParams());
        for (var read = 1; ; read++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var response = await client.RequestAsync(request);
            var page = Page<MessageResource>.FromJson("messages", response.Content);
            foreach (var message in page.Records)
            {
                yield return message;
            }

            if (!page.HasNextPage())
            {
                yield break;
            }

            if (read == maxPages)
            {
                throw new TwilioRequestException($"Twilio listed more than {maxPages} pages; the list stops here rather than end on a partial answer.");
            }

            request = new Request(HttpMethod.Get, page.GetNextPageUrl(Domain.Api));
        }
    }
}
