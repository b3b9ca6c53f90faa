namespace Aftercare.Core.DataFiles;

/// <summary>A data file (a plan, a triage rule file) that cannot be used, naming the file and the JSON field at fault.</summary>
public abstract class DataFileValidationException : Exception
{
    protected DataFileValidationException(string fileName, string field, string problem, Exception? innerException = null)
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
