using System.Text.Json;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tables;

/// <summary>
/// An upper bound of the body Azure.Data.Tables writes for a transaction: a multipart batch holding, per action, a
/// boundary, about 400 bytes of headers, a request line with the table's address and (except for an insert) the
/// URL-encoded keys, and the entity as JSON. System.Text.Json's default escaping writes each non-ASCII UTF-16 unit as
/// <c>\uXXXX</c>, so the JSON size of a string is measured with that same encoder rather than guessed.
/// </summary>
internal static class TransactionPayload
{
    private const int BatchFraming = 512;

    // Boundary, part headers, method, HTTP version, the sub-request's headers and an If-Match ETag, generously.
    private const int ActionFraming = 1024;

    // A key char in a URL: a quote is doubled, then each UTF-8 byte becomes %XX (3 bytes of UTF-8 → 9).
    private const int UrlBytesPerKeyChar = 9;

    // The longest a number, GUID, Boolean or date is as JSON text, quotes included.
    private const int ScalarJson = 40;

    // "Name@odata.type":"Edm.DateTime", beside the name: quotes, suffix, colon, comma and the longest type name.
    private const int AnnotationJson = 32;

    public static long Estimate(IReadOnlyList<TableTransactionAction> actions, Uri tableUri)
    {
        long bytes = BatchFraming;
        foreach (var action in actions)
        {
            var entity = (TableEntity)action.Entity;
            bytes += ActionFraming + tableUri.AbsoluteUri.Length
                + (UrlBytesPerKeyChar * ((long)entity.PartitionKey.Length + entity.RowKey.Length));
            if (action.ActionType != TableTransactionActionType.Delete)
            {
                bytes += Json(entity);
            }
        }

        return bytes;
    }

    private static long Json(TableEntity entity)
    {
        long bytes = 2;
        foreach (var (name, value) in entity)
        {
            var jsonName = Escaped(name);
            bytes += jsonName + 4 + value switch
            {
                null => 4,
                string text => Escaped(text) + 2,
                byte[] data => Base64Length(data.Length) + AnnotationJson + jsonName,
                BinaryData data => Base64Length(data.ToMemory().Length) + AnnotationJson + jsonName,
                _ => ScalarJson + AnnotationJson + jsonName,
            };
        }

        return bytes;
    }

    private static long Escaped(string text) => JsonEncodedText.Encode(text).EncodedUtf8Bytes.Length;

    private static long Base64Length(int bytes) => 4L * ((bytes + 2) / 3) + 2;
}
