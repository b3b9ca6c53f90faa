using NodaTime;

namespace Aftercare.Core.Privacy;

/// <summary>How long personal data is kept once a treatment's texts are done (app setting <c>Aftercare__Privacy__RetentionDays</c>).</summary>
public sealed class RetentionOptions
{
    /// <summary>Personal data is erased this long after a treatment's last message settled (400 days by default).</summary>
    public Duration Period { get; set; } = Duration.FromDays(400);

    /// <summary>Index entries read per page; a sweep reads pages until none is due.</summary>
    public int PageSize { get; set; } = 500;
}
