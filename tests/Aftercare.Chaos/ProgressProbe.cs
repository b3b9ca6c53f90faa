using Aftercare.Core.Treatments;
using Aftercare.Storage;
using Aftercare.Storage.Tables;

namespace Aftercare.Chaos;

/// <summary>
/// Counts settled messages by scanning the message rows' status column, in the background, so the chaos loop never
/// waits on storage (which is down for a while during the run).
/// </summary>
internal sealed class ProgressProbe(AftercareTables tables, TimeSpan interval)
{
    private static readonly string[] Columns = ["RowKey", "Status"];
    private int _settled;

    /// <summary>Settled messages at the last scan that succeeded.</summary>
    public int Settled => Volatile.Read(ref _settled);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                Volatile.Write(ref _settled, await CountSettledAsync(cancellationToken));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is Azure.RequestFailedException or HttpRequestException or IOException or TaskCanceledException)
            {
                // Storage is down or restarting: keep the last count and look again.
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private async Task<int> CountSettledAsync(CancellationToken cancellationToken)
    {
        var filter = TableFilter.Create($"RowKey ge {"msg|"} and RowKey lt {"msg}"}");
        var settled = 0;
        await foreach (var row in tables.Treatments.QueryAsync(filter, Columns, maxPerPage: 1000, cancellationToken))
        {
            if (Enum.TryParse<MessageStatus>(row.GetString("Status"), out var status) && status.IsSettled())
            {
                settled++;
            }
        }

        return settled;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
