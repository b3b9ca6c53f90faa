namespace Aftercare.Core.Delivery;

/// <summary>What became of one due entry in a drain.</summary>
internal enum DispatchOutcome
{
    Sent,
    Settled,
    Deferred,
    InDoubt,
    Held,

    /// <summary>The claim lost to a change of the message or its treatment since the read.</summary>
    Lost,
}

/// <summary>The running counts of one drain (or of every shard's drain), added to from parallel dispatches.</summary>
internal sealed class DispatchTally
{
    private readonly int[] _outcomes = new int[Enum.GetValues<DispatchOutcome>().Length];
    private int _due;
    private int _faulted;

    public void Add(DispatchOutcome outcome) => Interlocked.Increment(ref _outcomes[(int)outcome]);

    public void Taken(int entries) => Interlocked.Add(ref _due, entries);

    public void Faulted() => Interlocked.Increment(ref _faulted);

    public DispatchReport ToReport() => new(
        Due: Volatile.Read(ref _due),
        Sent: Count(DispatchOutcome.Sent),
        Settled: Count(DispatchOutcome.Settled),
        Deferred: Count(DispatchOutcome.Deferred),
        InDoubt: Count(DispatchOutcome.InDoubt),
        Held: Count(DispatchOutcome.Held) + Count(DispatchOutcome.Lost),
        Faulted: Volatile.Read(ref _faulted));

    private int Count(DispatchOutcome outcome) => Volatile.Read(ref _outcomes[(int)outcome]);
}
