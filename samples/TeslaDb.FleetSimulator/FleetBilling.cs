namespace TeslaDb.FleetSimulator;

/// <summary>What Tesla would bill for the calls the simulator answered: every Fleet API answer below HTTP 500 is
/// billed, 408 and 429 included (2025 pricing: data requests 500 per $1, wakes 50 per $1, commands 1,000 per $1).
/// The OAuth server (auth.tesla.com) is not billed.</summary>
public sealed class FleetBilling
{
    public const decimal DataRequestPrice = 1m / 500;
    public const decimal WakePrice = 1m / 50;
    public const decimal CommandPrice = 1m / 1000;

    private long _dataRequests;
    private long _wakes;
    private long _commands;

    public long DataRequests => Interlocked.Read(ref _dataRequests);

    public long Wakes => Interlocked.Read(ref _wakes);

    public long Commands => Interlocked.Read(ref _commands);

    public long BillableCalls => DataRequests + Wakes + Commands;

    public decimal Dollars => DataRequests * DataRequestPrice + Wakes * WakePrice + Commands * CommandPrice;

    internal void Bill(FleetCallKind kind)
    {
        switch (kind)
        {
            case FleetCallKind.Data: Interlocked.Increment(ref _dataRequests); break;
            case FleetCallKind.Wake: Interlocked.Increment(ref _wakes); break;
            case FleetCallKind.Command: Interlocked.Increment(ref _commands); break;
        }
    }

    public override string ToString() =>
        $"{DataRequests} data requests, {Wakes} wakes, {Commands} commands = ${Dollars:0.000}";
}

internal enum FleetCallKind
{
    Data,
    Wake,
    Command,
}
