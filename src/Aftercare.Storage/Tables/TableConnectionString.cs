namespace Aftercare.Storage.Tables;

/// <summary>
/// A storage connection string reduced to what the Table service needs: the table endpoint and the shared key.
/// Accepts <c>UseDevelopmentStorage=true</c>, explicit <c>TableEndpoint=</c> strings (Azurite) and the Azure form
/// with <c>EndpointSuffix</c>.
/// </summary>
public sealed record TableConnectionString(Uri TableEndpoint, TableSharedKeyCredential Credential)
{
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The emulator's documented, public account key.</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static TableConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = ParseSettings(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!dev.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed("UseDevelopmentStorage must be 'true' when present.");
            }

            var proxy = settings.TryGetValue("DevelopmentStorageProxyUri", out var p) ? new Uri(p).GetLeftPart(UriPartial.Authority) : "http://127.0.0.1";
            var host = new Uri(proxy);
            return new TableConnectionString(
                new Uri($"{host.Scheme}://{host.Host}:10002/{DevelopmentAccountName}"),
                new TableSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey));
        }

        var accountName = Require(settings, "AccountName");
        var accountKey = Require(settings, "AccountKey");
        Uri endpoint;
        if (settings.TryGetValue("TableEndpoint", out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw Malformed("TableEndpoint must be an absolute http or https URL.");
            }
        }
        else
        {
            var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            if (protocol is not ("http" or "https"))
            {
                throw Malformed("DefaultEndpointsProtocol must be 'http' or 'https'.");
            }

            var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            if (!Uri.TryCreate($"{protocol}://{accountName}.table.{suffix}", UriKind.Absolute, out endpoint!))
            {
                throw Malformed("AccountName and EndpointSuffix do not form a valid host name.");
            }
        }

        try
        {
            return new TableConnectionString(endpoint, new TableSharedKeyCredential(accountName, accountKey));
        }
        catch (ArgumentException ex)
        {
            throw Malformed(ex.Message);
        }
    }

    private static Dictionary<string, string> ParseSettings(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split on the first '=' only: base64 keys end in '='.
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Malformed($"'{Describe(part)}' is not a Name=Value setting.");
            }

            var name = part[..equals].Trim();
            if (!settings.TryAdd(name, part[(equals + 1)..].Trim()))
            {
                throw Malformed($"'{name}' appears more than once.");
            }
        }

        return settings;
    }

    private static string Require(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw Malformed($"'{name}' is missing.");

    // A malformed string may hold a key: never echo more than the setting's name.
    private static string Describe(string part) => part.Length > 24 ? part[..24] + "…" : part;

    private static FormatException Malformed(string reason) =>
        new($"The storage connection string is not valid: {reason}");
}
