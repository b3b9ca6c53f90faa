namespace Aftercare.Core.Plans;

/// <summary>A plan file that cannot be used, naming the file and the JSON field at fault (e.g. <c>stages[2].templates.es</c>).</summary>
public sealed class PlanValidationException : Exception
{
    public PlanValidationException(string fileName, string field, string problem)
        : base($"{fileName}: {(field.Length == 0 ? "(document)" : field)}: {problem}")
    {
        FileName = fileName;
        Field = field;
        Problem = problem;
    }

    public PlanValidationException(string fileName, string field, string problem, Exception innerException)
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
