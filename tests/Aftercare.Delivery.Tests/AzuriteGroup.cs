using Aftercare.Testing;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// The dispatcher tests share one in-memory Azurite (one node process on a 2-core machine) and run one at a time;
/// each takes its own table prefix and its own Twilio stand-in, so none sees another's data or faults.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
