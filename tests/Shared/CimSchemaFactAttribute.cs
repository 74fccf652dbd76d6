using Xunit;

namespace CimLite.Testing
{
    /// <summary>A fact that needs the DMTF CIM Schema: skipped with the reason when it is absent (see <see cref="CimSchemaLocation"/>).</summary>
    public sealed class CimSchemaFactAttribute : FactAttribute
    {
        public CimSchemaFactAttribute()
        {
            string? reason = CimSchemaLocation.SkipReasonIfAbsent;
            if (reason != null) Skip = reason;
        }
    }

    /// <summary>A theory that needs the DMTF CIM Schema: skipped with the reason when it is absent.</summary>
    public sealed class CimSchemaTheoryAttribute : TheoryAttribute
    {
        public CimSchemaTheoryAttribute()
        {
            string? reason = CimSchemaLocation.SkipReasonIfAbsent;
            if (reason != null) Skip = reason;
        }
    }
}
