using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.TestWorker.Functions;

/// <summary>
/// Queue-triggered functions and queue outputs for the local host's tests. <c>Work</c> reads the message text as a
/// command: <c>fail…</c> throws, <c>slow:&lt;ms&gt;…</c> runs that long, <c>hang…</c> never ends on its first delivery
/// (until the worker is killed) and succeeds on the next; anything else succeeds at once. Each delivery logs a marker line with its trigger metadata and how many
/// <c>Work</c> invocations were running at the same time in this worker.
/// </summary>
public sealed class QueueFunctions(ILogger<QueueFunctions> logger)
{
    public const string Received = "work-received";
    public const string Ended = "work-ended";
    public const string OrderMarker = "order-received";

    private static int s_inFlight;

    /// <summary>Succeeds with one message "done:&lt;text&gt;" on the <c>WorkDoneQueue</c> queue.</summary>
    [Function("Work")]
    [QueueOutput("%WorkDoneQueue%")]
    public async Task<string> Work([QueueTrigger("%WorkQueue%")] string text, FunctionContext context)
    {
        var inFlight = Interlocked.Increment(ref s_inFlight);
        try
        {
            var data = context.BindingContext.BindingData;
            logger.LogInformation(
                "{Marker} text={Text} inFlight={InFlight} dequeueCount={DequeueCount} id={Id} queueTrigger={QueueTrigger} popReceipt={PopReceipt} insertionTime={InsertionTime} expirationTime={ExpirationTime} nextVisibleTime={NextVisibleTime}",
                Received, text, inFlight, data.GetValueOrDefault("DequeueCount"), data.GetValueOrDefault("Id"), data.GetValueOrDefault("QueueTrigger"),
                data.GetValueOrDefault("PopReceipt"), data.GetValueOrDefault("InsertionTime"), data.GetValueOrDefault("ExpirationTime"), data.GetValueOrDefault("NextVisibleTime"));
            if (text.StartsWith("fail", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The test message asked to fail.");
            }

            if (text.StartsWith("hang", StringComparison.Ordinal) && data.GetValueOrDefault("DequeueCount")?.ToString() == "1")
            {
                await Task.Delay(Timeout.Infinite);
            }

            if (text.StartsWith("slow:", StringComparison.Ordinal))
            {
                var milliseconds = int.Parse(text.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
                await Task.Delay(milliseconds);
            }

            logger.LogInformation("{Marker} text={Text}", Ended, text);
            return $"done:{text}";
        }
        finally
        {
            Interlocked.Decrement(ref s_inFlight);
        }
    }

    /// <summary>A POCO trigger: the message is JSON.</summary>
    [Function("Order")]
    public void Order([QueueTrigger("orders", Connection = "OrdersStorage")] OrderMessage order) =>
        logger.LogInformation("{Marker} item={Item} quantity={Quantity}", OrderMarker, order.Item, order.Quantity);

    /// <summary>A timer whose return value is written to <c>WorkQueue</c>, one message per element.</summary>
    [Function("FanOut")]
    [QueueOutput("%WorkQueue%")]
    public static string[] FanOut([TimerTrigger("%FanOutSchedule%")] TimerInfo timer) => ["fan-1", "fan-2", "fan-3"];

    /// <summary>An HTTP function with a second output: its body goes to the <c>orders</c> queue as one JSON message.</summary>
    [Function("PlaceOrder")]
    public static PlaceOrderOutput PlaceOrder([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{item}/{quantity:int}")] HttpRequest request, string item, int quantity) =>
        new() { Result = new AcceptedResult(), Order = new OrderMessage(item, quantity) };
}

/// <summary>An order, as JSON in the <c>orders</c> queue.</summary>
public sealed record OrderMessage(string Item, int Quantity);

/// <summary>The HTTP answer and the queue message of <see cref="QueueFunctions.PlaceOrder"/>.</summary>
public sealed class PlaceOrderOutput
{
    [HttpResult]
    public required IActionResult Result { get; init; }

    [QueueOutput("orders", Connection = "OrdersStorage")]
    public required OrderMessage Order { get; init; }
}
