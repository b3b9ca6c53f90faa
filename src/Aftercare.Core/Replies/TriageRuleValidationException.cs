using Aftercare.Core.DataFiles;

namespace Aftercare.Core.Replies;

/// <summary>A triage rule file that cannot be used, naming the file and the JSON field at fault (e.g. <c>rules[3].any[0]</c>).</summary>
public sealed class TriageRuleValidationException : DataFileValidationException
{
    public TriageRuleValidationException(string fileName, string field, string problem)
        : base(fileName, field, problem)
    {
    }

    public TriageRuleValidationException(string fileName, string field, string problem, Exception innerException)
        : base(fileName, field, problem, innerException)
    {
    }
}
