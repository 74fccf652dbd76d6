using System;
using System.Management.Automation;

namespace CimLite.Errors
{
    /// <summary>
    /// Turns engine exceptions into ErrorRecords: the category comes from CimCmdlets' status table (so
    /// scripts written for CimCmdlets handle ours alike), the id is <c>CimLite.&lt;Status&gt;</c>.
    /// </summary>
    internal static class ErrorRecordFactory
    {
        public static ErrorCategory CategoryFor(CimStatus status)
        {
            switch (status)
            {
                case CimStatus.AccessDenied: return ErrorCategory.PermissionDenied;
                case CimStatus.InvalidNamespace:
                case CimStatus.InvalidClass:
                case CimStatus.ClassHasChildren:
                case CimStatus.ClassHasInstances:
                case CimStatus.InvalidSuperclass:
                case CimStatus.NoSuchProperty:
                case CimStatus.MethodNotFound:
                    return ErrorCategory.MetadataError;
                case CimStatus.InvalidParameter:
                case CimStatus.InvalidQuery:
                    return ErrorCategory.InvalidArgument;
                case CimStatus.NotFound: return ErrorCategory.ObjectNotFound;
                case CimStatus.NotSupported:
                case CimStatus.QueryLanguageNotSupported:
                case CimStatus.MethodNotAvailable:
                    return ErrorCategory.NotImplemented;
                case CimStatus.AlreadyExists: return ErrorCategory.ResourceExists;
                case CimStatus.TypeMismatch: return ErrorCategory.InvalidType;
                case CimStatus.ServerIsShuttingDown: return ErrorCategory.ResourceUnavailable;
                case CimStatus.IllegalNull: return ErrorCategory.InvalidData;
                case CimStatus.InvalidOperation: return ErrorCategory.InvalidOperation;
                case CimStatus.ProviderFailure: return ErrorCategory.NotSpecified;
                default: return ErrorCategory.NotSpecified;
            }
        }

        public static string ErrorIdFor(CimStatus status) => "CimLite." + status;

        /// <param name="exception">The engine error.</param>
        /// <param name="target">The target object (the pipeline input).</param>
        /// <param name="commandTypeName">
        /// For records made outside a cmdlet's WriteError (job errors): the cmdlet type to name in the id, as WriteError
        /// would have appended it (Receive-Job keeps a job error's own invocation info, which is empty here).
        /// </param>
        public static ErrorRecord Create(CimLiteException exception, object? target, string? commandTypeName = null)
        {
            var id = ErrorIdFor(exception.Status);
            if (commandTypeName != null) id += "," + commandTypeName;
            var record = new ErrorRecord(exception, id, CategoryFor(exception.Status), target);
            var targetName = exception.InstancePath ?? exception.ClassName;
            if (targetName != null) record.CategoryInfo.TargetName = targetName;
            if (exception.RecommendedAction != null)
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
            return record;
        }

        public static ErrorRecord InvalidArgument(string message, string id, object? target) =>
            new ErrorRecord(new CimLiteException(CimStatus.InvalidParameter, message), id, ErrorCategory.InvalidArgument, target);
    }
}
