using Aftercare.Storage.Tables;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

/// <summary>Shard leases: one holder at a time, taken over only once expired, renewed and released by their holder only.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class TableShardLeasesTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 1, 9, 0);
    private static readonly Duration Span = Duration.FromSeconds(30);

    [Fact]
    public async Task A_held_lease_refuses_another_owner_until_it_expires_then_passes_to_them()
    {
        var leases = new TableShardLeases(await azurite.CreateAftercareTablesAsync());

        var first = await leases.TryAcquireAsync(3, "a", Now, Now + Span, None);
        Assert.NotNull(first);
        Assert.Null(await leases.TryAcquireAsync(3, "b", Now + Duration.FromSeconds(29), Now + Duration.FromSeconds(59), None));
        Assert.NotNull(await leases.TryAcquireAsync(4, "b", Now, Now + Span, None)); // Another shard is free.

        var takenOver = await leases.TryAcquireAsync(3, "b", Now + Span, Now + Span + Span, None);
        Assert.NotNull(takenOver);
        Assert.Null(await leases.TryRenewAsync(first!, Now + Duration.FromMinutes(2), None)); // Lost: no renewal.
    }

    [Fact]
    public async Task Renewal_keeps_the_lease_and_release_frees_it_at_once()
    {
        var leases = new TableShardLeases(await azurite.CreateAftercareTablesAsync());
        var lease = await leases.TryAcquireAsync(0, "a", Now, Now + Span, None);
        var renewed = await leases.TryRenewAsync(lease!, Now + Duration.FromSeconds(50), None);
        Assert.NotNull(renewed);
        Assert.Null(await leases.TryAcquireAsync(0, "b", Now + Duration.FromSeconds(40), Now + Duration.FromSeconds(70), None));

        await leases.ReleaseAsync(renewed!, Now + Duration.FromSeconds(41), None);
        Assert.NotNull(await leases.TryAcquireAsync(0, "b", Now + Duration.FromSeconds(42), Now + Duration.FromSeconds(72), None));
    }

    [Fact]
    public async Task A_stale_release_leaves_the_new_holders_lease_alone()
    {
        var leases = new TableShardLeases(await azurite.CreateAftercareTablesAsync());
        var old = await leases.TryAcquireAsync(1, "a", Now, Now + Span, None);
        var current = await leases.TryAcquireAsync(1, "b", Now + Span, Now + Span + Span, None);

        await leases.ReleaseAsync(old!, Now + Span + Duration.FromSeconds(1), None);

        Assert.Null(await leases.TryAcquireAsync(1, "c", Now + Span + Duration.FromSeconds(2), Now + Duration.FromMinutes(5), None));
        Assert.NotNull(await leases.TryRenewAsync(current!, Now + Duration.FromMinutes(2), None));
    }

    [Fact]
    public async Task Two_owners_racing_for_a_free_shard_get_one_lease_between_them()
    {
        var leases = new TableShardLeases(await azurite.CreateAftercareTablesAsync());
        var race = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => leases.TryAcquireAsync(5, "owner" + i, Now, Now + Span, None)));
        Assert.Single(race, lease => lease is not null);
    }

    [Fact]
    public async Task The_lease_row_sits_outside_every_due_range_of_its_shard()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        await new TableShardLeases(tables).TryAcquireAsync(2, "a", Now, Now + Span, None);
        var row = Assert.Single(await tables.DueIndex.QueryAsync().ToListAsync());
        Assert.Equal(ShardKeys.PartitionKey(2), row.PartitionKey);
        Assert.True(string.CompareOrdinal(row.RowKey, long.MaxValue.ToString("D19", System.Globalization.CultureInfo.InvariantCulture)) > 0);
    }
}
