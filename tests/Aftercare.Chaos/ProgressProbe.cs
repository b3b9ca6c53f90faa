using Aftercare.Core.Treatments;
using Aftercare.Storage;
using Azure.Data.Tables;

namespace Aftercare.Chaos;

/// <summary>
/// Counts settled messages by scanning the message rows' status column, in the background, so the chaos loop never
/// waits on storage (which is down for a while during the run).
/// </summary>
internal sealed class ProgressProbe(AftercareTables tables, TimeSpan interval)
{
    private static readonly string[] Columns = ["RowKey", "Status"];
    private int _settled;
    private int _failedScans;
    private string? _lastError;

    /// <summary>Settled messages at the last scan that succeeded.</summary>
    public int Settled => Volatile.Read(ref _settled);

    /// <summary>Scans that failed (storage down), and why the last one did.</summary>
    public (int Count, string? LastError) FailedScans => (Volatile.Read(ref _failedScans), _lastError);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                Volatile.Write(ref _settled, await CountSettledAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Storage is down or restarting (the client's retries end in an AggregateException): keep the last count.
                Interlocked.Increment(ref _failedScans);
                _lastError = ex.GetType().Name + ": " + ex.Message.Split('\n')[0];
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private async Task<int> CountSettledAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"msg|"} and RowKey lt {"msg}"}");
        var settled = 0;
        await foreach (var row in tables.Treatments.QueryAsync(filter, maxPerPage: 1000, select: Columns, cancellationToken: cancellationToken))
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
