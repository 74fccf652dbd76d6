using System;

namespace CimLite
{
    /// <summary>Maps <see cref="CimStatus"/> values to their WMI HRESULTs and status names.</summary>
    public static class CimStatusInfo
    {
        /// <summary>The WMI HRESULT (WBEM_E_*) that corresponds to a status.</summary>
        public static int ToHResult(CimStatus status)
        {
            uint value;
            switch (status)
            {
                case CimStatus.Ok: value = 0; break;
                case CimStatus.Failed: value = 0x80041001; break;
                case CimStatus.AccessDenied: value = 0x80041003; break;
                case CimStatus.InvalidNamespace: value = 0x8004100E; break;
                case CimStatus.InvalidParameter: value = 0x80041008; break;
                case CimStatus.InvalidClass: value = 0x80041010; break;
                case CimStatus.NotFound: value = 0x80041002; break;
                case CimStatus.NotSupported: value = 0x8004100C; break;
                case CimStatus.ClassHasChildren: value = 0x80041025; break;
                case CimStatus.ClassHasInstances: value = 0x80041026; break;
                case CimStatus.InvalidSuperclass: value = 0x8004100D; break;
                case CimStatus.AlreadyExists: value = 0x80041019; break;
                case CimStatus.NoSuchProperty: value = 0x80041002; break; // WBEM_E_NOT_FOUND, what IWbemClassObject::Put answers for an unknown property (0x8004100A is WBEM_E_CRITICAL_ERROR)
                case CimStatus.TypeMismatch: value = 0x80041005; break;
                case CimStatus.QueryLanguageNotSupported: value = 0x80041018; break;
                case CimStatus.InvalidQuery: value = 0x80041017; break;
                case CimStatus.MethodNotAvailable: value = 0x80041055; break;
                case CimStatus.MethodNotFound: value = 0x8004102E; break; // WBEM_E_INVALID_METHOD
                case CimStatus.NamespaceNotEmpty: value = 0x80041001; break;
                case CimStatus.ServerIsShuttingDown: value = 0x80041033; break;
                case CimStatus.IllegalNull: value = 0x80041028; break;
                case CimStatus.InvalidOperation: value = 0x80041016; break;
                case CimStatus.ProviderFailure: value = 0x80041004; break;
                default: throw new ArgumentOutOfRangeException(nameof(status), status, null);
            }
            return unchecked((int)value);
        }

        /// <summary>The DESIGN name of a status, e.g. <c>ALREADY_EXISTS</c>.</summary>
        public static string ToConstantName(CimStatus status)
        {
            var name = status.ToString();
            var builder = new System.Text.StringBuilder(name.Length + 8);
            for (int i = 0; i < name.Length; i++)
            {
                if (i > 0 && char.IsUpper(name[i])) builder.Append('_');
                builder.Append(char.ToUpperInvariant(name[i]));
            }
            return builder.ToString();
        }
    }
}
