using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Aftercare.Storage.Tables;

/// <summary>
/// Signs each attempt with SharedKeyLite for the Table service:
/// <c>StringToSign = x-ms-date + "\n" + "/" + account + encoded URI path [+ "?comp=" + comp]</c>.
/// With path-style URLs (Azurite) the path already starts with the account, hence <c>/account/account/table</c>.
/// Runs after <see cref="TableDateHeaderPolicy"/>.
/// </summary>
internal sealed class TableSharedKeyPolicy(TableSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        if (!request.Headers.TryGetValue(TableDateHeaderPolicy.HeaderName, out var date))
        {
            throw new InvalidOperationException("x-ms-date must be set before the request is signed.");
        }

        var stringToSign = BuildStringToSign(credential.AccountName, date, request.Uri.ToUri());
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKeyLite {credential.AccountName}:{credential.ComputeSignature(stringToSign)}");
    }

    internal static string BuildStringToSign(string accountName, string date, Uri uri)
    {
        var builder = new StringBuilder(date).Append('\n').Append('/').Append(accountName);
        var path = uri.AbsolutePath;
        builder.Append(path.Length == 0 ? "/" : path);
        var comp = FindComp(uri.Query);
        if (comp is not null)
        {
            builder.Append("?comp=").Append(comp);
        }

        return builder.ToString();
    }

    private static string? FindComp(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair["comp=".Length..]);
            }
        }

        return null;
    }
}
