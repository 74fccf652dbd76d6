using System.Collections;
using System.Management.Automation;

namespace CimLite.Commands
{
    /// <summary>Creates a class: properties with CIM types, keys, qualifiers, an optional superclass.</summary>
    [Cmdlet(VerbsCommon.New, "CimLiteClass", SupportsShouldProcess = true)]
    [OutputType(typeof(CimLiteClass))]
    public sealed class NewCimLiteClassCommand : CimLiteCmdlet
    {
        /// <summary>The class name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string ClassName { get; set; } = "";

        /// <summary>The superclass.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string? Superclass { get; set; }

        /// <summary>Properties: name = CIM type ('uint64', 'string[]', 'ref:Disk') or @{ Type; Default; Key; Required; Qualifier }.</summary>
        [Parameter(Position = 1)]
        public IDictionary? Property { get; set; }

        /// <summary>The key properties, in key order.</summary>
        [Parameter]
        public string[]? Key { get; set; }

        /// <summary>Make the class abstract (no instances).</summary>
        [Parameter]
        public SwitchParameter Abstract { get; set; }

        /// <summary>Make the class an indication class (instances are posted, not stored).</summary>
        [Parameter]
        public SwitchParameter Indication { get; set; }

        /// <summary>Class qualifiers: name = value, or name = @{ Value = …; Flavor = 'Amended','ToSubclass' }.</summary>
        [Parameter]
        public IDictionary? Qualifier { get; set; }

        /// <summary>Methods: name = @{ ReturnType = 'uint32'; Static = $true; Parameters = [ordered]@{ A = 'sint32'; B = @{ Type = 'string'; Out = $true } }; Qualifier = @{…} }.</summary>
        [Parameter]
        public IDictionary? Method { get; set; }

        /// <summary>The namespace (created when missing); default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            CimClassDefinition definition;
            try
            {
                definition = ParameterValues.ClassDefinition(ClassName, Superclass, Property, Key, Qualifier, Abstract, Indication);
                definition.Methods.AddRange(ParameterValues.Methods(Method));
            }
            catch (CimLiteException e)
            {
                ThrowCimLiteError(e, ClassName);
                return;
            }
            var session = ResolvedSession;
            var target = (Namespace ?? session.DefaultNamespace) + ":" + ClassName;
            if (!ShouldProcess(target, Strings.CreateClassAction)) return;
            ForItem(ClassName, () => WriteObject(session.CreateClass(definition, Namespace)));
        }
    }
}
