namespace Aftercare.Storage.Tables;

public enum TableUpdateMode
{
    /// <summary>Merge the given properties into the stored entity (MERGE).</summary>
    Merge,

    /// <summary>Replace the stored entity with exactly the given properties (PUT).</summary>
    Replace,
}
