namespace Aftercare.Core.Replies;

/// <summary>A triage rule file that cannot be used, naming the file and the JSON field at fault (e.g. <c>rules[3].any[0]</c>).</summary>
public sealed class TriageRuleValidationException : Exception
{
    public TriageRuleValidationException(string fileName, string field, string problem)
        : base($"{fileName}: {(field.Length == 0 ? "(document)" : field)}: {problem}")
    {
        FileName = fileName;
        Field = field;
        Problem = problem;
    }

    public TriageRuleValidationException(string fileName, string field, string problem, Exception innerException)
        : base($"{fileName}: {(field.Length == 0 ? "(document)" : field)}: {problem}", innerException)
    {
        FileName = fileName;
        Field = field;
        Problem = problem;
    }

    public string FileName { get; }

    /// <summary>The JSON path of the field, without a leading "$."; empty for the document as a whole.</summary>
    public string Field { get; }

    public string Problem { get; }
}
