using System.Globalization;
using System.Text.Json;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Invocation;
using Aftercare.FunctionsHost.Rpc;

namespace Aftercare.FunctionsHost.Timers;

/// <summary>
/// A timer function's <c>InvocationRequest</c> as the real host builds it: the trigger input is the WebJobs
/// <c>TimerInfo</c> serialized to JSON (<c>{"Schedule":{"AdjustForDST":true},"ScheduleStatus":…|null,"IsPastDue":false}</c>)
/// and the trigger metadata is <c>TimerTrigger</c>: the firing time as text (TimerTriggerBinding.CreateBindingData
/// writes <c>DateTime.Now.ToString()</c>; here UTC, invariant culture).
/// </summary>
internal static class TimerInvocation
{
    public static InvocationRequest Create(FunctionDescriptor function, TimerTriggerBinding timer, ScheduleStatus? status, DateTimeOffset now)
    {
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = status,
            IsPastDue = false,
        });
        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.FunctionId,
            TraceContext = TraceContextFactory.Create(null, null),
        };
        request.InputData.Add(new ParameterBinding { Name = timer.Name, Data = new TypedData { Json = timerInfo } });
        request.TriggerMetadata.Add("TimerTrigger", new TypedData { String = now.UtcDateTime.ToString(CultureInfo.InvariantCulture) });
        return request;
    }
}
