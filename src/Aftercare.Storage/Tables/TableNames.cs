using System.Text.RegularExpressions;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The rules for table names, from Azure's "Understanding the Table service data model"
/// (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model): 3 to 63 letters
/// and digits, starting with a letter, and not the reserved name "tables". Azure.Data.Tables does not check them.
/// </summary>
public static partial class TableNames
{
    /// <summary>True when <paramref name="tableName"/> is a name the Table service accepts.</summary>
    public static bool IsValid(string tableName)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        return Pattern().IsMatch(tableName) && !tableName.Equals("tables", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="tableName"/> is valid.</summary>
    public static void Validate(string tableName, string paramName)
    {
        ArgumentNullException.ThrowIfNull(tableName, paramName);
        if (!IsValid(tableName))
        {
            throw new ArgumentException(
                $"'{tableName}' is not a valid table name: use 3–63 letters and digits, starting with a letter, other than 'tables'.", paramName);
        }
    }

    // \z, not $: "$" also matches before a final "\n".
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{2,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
