using System.Diagnostics;
using System.Globalization;

namespace Aftercare.FunctionsHost.Tests;

public static class Processes
{
    /// <summary>True when the process no longer runs: no /proc entry, or a zombie nobody has reaped yet.</summary>
    public static bool IsGone(int processId)
    {
        var stat = $"/proc/{processId}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
