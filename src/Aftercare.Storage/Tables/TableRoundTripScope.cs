namespace Aftercare.Storage.Tables;

/// <summary>The Table service calls made within one operation; see <see cref="TableRoundTrips.BeginScope"/>.</summary>
public sealed class TableRoundTripScope : IDisposable
{
    private readonly TableRoundTrips _owner;
    private int _calls;
    private bool _ended;

    internal TableRoundTripScope(TableRoundTrips owner, TableRoundTripScope? parent)
    {
        _owner = owner;
        Parent = parent;
    }

    /// <summary>The calls counted so far: a transaction is one, a query page is one, retries of a call are not counted.</summary>
    public int Calls => Volatile.Read(ref _calls);

    internal TableRoundTripScope? Parent { get; }

    /// <summary>Stops counting; <see cref="Calls"/> keeps its value.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _ended, true);
        _owner.End(this);
    }

    internal void Count()
    {
        if (!Volatile.Read(ref _ended))
        {
            Interlocked.Increment(ref _calls);
        }
    }
}
