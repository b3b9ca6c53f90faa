using NodaTime;

namespace Aftercare.Core;

public static class TimeProviderExtensions
{
    public static Instant GetCurrentInstant(this TimeProvider time) => Instant.FromDateTimeOffset(time.GetUtcNow());
}
