namespace Aftercare.FunctionsHost.Functions;

/// <summary>
/// An HTTP function's <c>authLevel</c>, named as Microsoft.Azure.WebJobs.Extensions.Http's AuthorizationLevel.
/// The default, when the binding names none, is <see cref="Function"/> (HttpTriggerAttribute's default).
/// </summary>
internal enum AuthorizationLevel
{
    /// <summary>No key needed.</summary>
    Anonymous = 0,

    /// <summary>Easy Auth identity in Azure; this host asks for the master key.</summary>
    User = 1,

    /// <summary>A function key or the master key.</summary>
    Function = 2,

    /// <summary>A system key in Azure; this host asks for the master key.</summary>
    System = 3,

    /// <summary>The master key only.</summary>
    Admin = 4,
}
