namespace CimLite.Mof
{
    internal static class MofErrors
    {
        public static CimLiteException Syntax(MofPosition position, string message) =>
            At(position, new CimLiteException(CimStatus.InvalidParameter, message));

        public static CimLiteException Semantic(MofPosition position, CimStatus status, string message, string? className = null, string? property = null) =>
            At(position, new CimLiteException(status, message, className, property));

        /// <summary>The same failure, its message prefixed with file(line,column) and the position attached.</summary>
        public static CimLiteException At(MofPosition position, CimLiteException inner)
        {
            if (inner.SourceFile != null) return inner;
            var e = new CimLiteException(inner.Status, Messages.Mof.At(position, inner.Message), inner.ClassName, inner.PropertyName, inner.InstancePath,
                inner.InnerException)
            {
                SourceFile = position.File,
                SourceLine = position.Line,
                SourceColumn = position.Column,
            };
            e.RecommendedAction = inner.RecommendedAction;
            return e;
        }
    }
}
