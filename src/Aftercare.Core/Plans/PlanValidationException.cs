using Aftercare.Core.DataFiles;

namespace Aftercare.Core.Plans;

/// <summary>A plan file that cannot be used, naming the file and the JSON field at fault (e.g. <c>stages[2].templates.es</c>).</summary>
public sealed class PlanValidationException : DataFileValidationException
{
    public PlanValidationException(string fileName, string field, string problem)
        : base(fileName, field, problem)
    {
    }

    public PlanValidationException(string fileName, string field, string problem, Exception innerException)
        : base(fileName, field, problem, innerException)
    {
    }
}
