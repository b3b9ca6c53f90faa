namespace Aftercare.Core.Treatments;

/// <summary>A stored value and the concurrency token (an ETag) that a conditional update must present.</summary>
public sealed record Versioned<T>(T Value, string ETag);
