using Aftercare.Core;
using Aftercare.Functions.Hosting;
using Aftercare.Functions.Http;
using Aftercare.Functions.Plans;

namespace Aftercare.Functions.Cli;

/// <summary>
/// <c>Aftercare.Functions preview &lt;planId&gt; --performed-at &lt;ISO&gt; --time-zone &lt;IANA&gt; [--locale en|es]</c>:
/// prints the timeline a client would receive, with each text's encoding and segment count.
/// </summary>
internal static class PreviewCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            error.WriteLine("usage: preview <planId> --performed-at <ISO 8601 with offset> --time-zone <IANA zone> [--locale en|es]");
            return 2;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        var errors = new ValidationErrors();
        var preview = PlanPreviewQuery.Run(
            PlanFiles.Load(PlanFiles.DefaultDirectory),
            args[0],
            options.GetValueOrDefault("--performed-at"),
            options.GetValueOrDefault("--time-zone"),
            options.GetValueOrDefault("--locale"),
            TimeProvider.System.GetCurrentInstant(),
            errors);
        if (preview is null)
        {
            foreach (var (field, messages) in errors.ToDictionary())
            {
                error.WriteLine($"{field}: {string.Join(" ", messages)}");
            }

            return 2;
        }

        output.WriteLine($"{preview.PlanId} — {preview.Title} ({preview.TimeZone})");
        foreach (var message in preview.Messages)
        {
            output.WriteLine();
            output.WriteLine($"{message.Sequence}. {message.Stage}  {message.DueAtLocal} local  [{message.Locale}, {message.Encoding}, {message.Segments} segment{(message.Segments == 1 ? string.Empty : "s")}, {message.Text.Length} chars]");
            output.WriteLine("   " + message.Text);
        }

        return 0;
    }
}
