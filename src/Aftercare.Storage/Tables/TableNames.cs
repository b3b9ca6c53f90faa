using System.Text.RegularExpressions;

namespace Aftercare.Storage.Tables;

/// <summary>Table names: 3–63 alphanumeric characters, starting with a letter.</summary>
public static partial class TableNames
{
    public static void Validate(string tableName, string paramName)
    {
        ArgumentNullException.ThrowIfNull(tableName, paramName);
        if (!Pattern().IsMatch(tableName) || tableName.Equals("tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"'{tableName}' is not a valid table name: use 3–63 letters and digits, starting with a letter.", paramName);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
