using System.Globalization;
using System.Text;
using Aftercare.Core.Replies;

namespace Aftercare.Core.Tests.Replies;

/// <summary>Counts of expected label × verdict, with per-kind recall and precision, printable as a table.</summary>
internal sealed class ConfusionMatrix
{
    private static readonly TriageKind[] Kinds = [TriageKind.Urgent, TriageKind.Question, TriageKind.Other];
    private readonly int[,] counts = new int[3, 3];

    public int Total { get; private set; }

    public void Add(TriageKind expected, TriageKind actual)
    {
        counts[Array.IndexOf(Kinds, expected), Array.IndexOf(Kinds, actual)]++;
        Total++;
    }

    public double Recall(TriageKind kind)
    {
        var row = Array.IndexOf(Kinds, kind);
        var all = Enumerable.Range(0, 3).Sum(c => counts[row, c]);
        return all == 0 ? double.NaN : (double)counts[row, row] / all;
    }

    public double Precision(TriageKind kind)
    {
        var column = Array.IndexOf(Kinds, kind);
        var all = Enumerable.Range(0, 3).Sum(r => counts[r, column]);
        return all == 0 ? double.NaN : (double)counts[column, column] / all;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"expected \\ verdict",-20}{"urgent",9}{"question",9}{"other",9}   recall precision");
        for (var row = 0; row < 3; row++)
        {
            var kind = Kinds[row];
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{kind.ToString().ToLowerInvariant(),-20}{counts[row, 0],9}{counts[row, 1],9}{counts[row, 2],9}   {Recall(kind),6:0.000} {Precision(kind),9:0.000}");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Total} replies");
        return text.ToString();
    }
}
