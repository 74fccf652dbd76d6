namespace CimLite
{
    /// <summary>
    /// The status of a CIM operation: the CIM/MI status codes with their numbers, plus the WMI
    /// conditions MI has no code for, numbered from 1000.
    /// </summary>
    public enum CimStatus
    {
        /// <summary>The operation succeeded.</summary>
        Ok = 0,
        /// <summary>A general failure (MI_RESULT_FAILED).</summary>
        Failed = 1,
        /// <summary>The caller may not perform the operation.</summary>
        AccessDenied = 2,
        /// <summary>The namespace does not exist or its name is not valid.</summary>
        InvalidNamespace = 3,
        /// <summary>A parameter is not valid.</summary>
        InvalidParameter = 4,
        /// <summary>The class does not exist or cannot be used for the operation.</summary>
        InvalidClass = 5,
        /// <summary>The instance or class was not found.</summary>
        NotFound = 6,
        /// <summary>The operation is not supported.</summary>
        NotSupported = 7,
        /// <summary>The class has subclasses.</summary>
        ClassHasChildren = 8,
        /// <summary>The class has instances.</summary>
        ClassHasInstances = 9,
        /// <summary>The superclass does not exist or is not valid.</summary>
        InvalidSuperclass = 10,
        /// <summary>The instance or class already exists.</summary>
        AlreadyExists = 11,
        /// <summary>The property does not exist.</summary>
        NoSuchProperty = 12,
        /// <summary>A value does not fit the type it is given to.</summary>
        TypeMismatch = 13,
        /// <summary>The query language is not supported.</summary>
        QueryLanguageNotSupported = 14,
        /// <summary>The query is not valid.</summary>
        InvalidQuery = 15,
        /// <summary>The method is not available.</summary>
        MethodNotAvailable = 16,
        /// <summary>The method does not exist.</summary>
        MethodNotFound = 17,
        /// <summary>The namespace is not empty.</summary>
        NamespaceNotEmpty = 20,
        /// <summary>The server is shutting down.</summary>
        ServerIsShuttingDown = 28,
        /// <summary>A key or non-nullable property is null (WBEM_E_ILLEGAL_NULL).</summary>
        IllegalNull = 1000,
        /// <summary>The operation is not valid for the target, e.g. an instance of an abstract class (WBEM_E_INVALID_OPERATION).</summary>
        InvalidOperation = 1001,
        /// <summary>A provider failed (WBEM_E_PROVIDER_FAILURE).</summary>
        ProviderFailure = 1002,
    }
}
