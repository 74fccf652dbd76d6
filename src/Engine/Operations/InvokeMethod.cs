using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace CimLite
{
    /// <summary>The result of a method call: the return value and the Out parameters, as declared.</summary>
    public sealed class CimMethodResult
    {
        internal CimMethodResult(string @namespace, string className, CimMethodDefinition method, string path, object? returnValue, IReadOnlyList<KeyValuePair<string, object?>> outParameters)
        {
            Namespace = @namespace;
            ClassName = className;
            Method = method;
            Path = path;
            ReturnValue = returnValue;
            OutParameters = outParameters;
        }

        /// <summary>The namespace of the target.</summary>
        public string Namespace { get; }

        /// <summary>The class of the target (the instance's own class, or the class of a static call).</summary>
        public string ClassName { get; }

        /// <summary>The method's name as declared.</summary>
        public string MethodName => Method.Name;

        /// <summary>The method's declaration as the target's class sees it.</summary>
        public CimMethodDefinition Method { get; }

        /// <summary>The target's path (WMI's __PATH): the instance's, or <c>namespace:Class</c> for a static call.</summary>
        public string Path { get; }

        /// <summary>The return value, converted to the declared return type.</summary>
        public object? ReturnValue { get; }

        /// <summary>Every Out parameter in declared order with its value (null when the provider returned none).</summary>
        public IReadOnlyList<KeyValuePair<string, object?>> OutParameters { get; }

        /// <summary>The value of an Out parameter (case-insensitive name), or null.</summary>
        public object? this[string name]
        {
            get
            {
                if (CimName.Comparer.Equals(name, "ReturnValue")) return ReturnValue;
                foreach (var p in OutParameters) if (CimName.Comparer.Equals(p.Key, name)) return p.Value;
                return null;
            }
        }

        /// <inheritdoc />
        public override string ToString() => Path + "." + MethodName + "() = " + ReturnValue;
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Calls a method of an instance (WMI's ExecMethod on an instance path), as one transaction with everything the
        /// method's provider writes through its local session: the method is looked up on the instance's own class
        /// (overrides apply), the arguments are checked and converted before any provider runs, and the provider of the
        /// instance's class (else of its nearest ancestor with a handler for the method) runs it.
        /// </summary>
        /// <exception cref="CimLiteException">
        /// METHOD_NOT_FOUND; NOT_FOUND (no such instance); INVALID_PARAMETER (an argument that is not an In parameter, a
        /// missing Required one); TYPE_MISMATCH; NOT_SUPPORTED (no provider serves the method); FAILED (the provider's
        /// result does not fit the declaration); the provider's own failure.
        /// </exception>
        public CimMethodResult InvokeMethod(InstancePath path, string methodName, IDictionary? arguments = null, OperationOptions? options = null)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (methodName == null) throw new ArgumentNullException(nameof(methodName));
            return RetryBusy(() => InvokeAttempt(ResolveNamespace(path.Namespace), path.ClassName, path, methodName, arguments, options));
        }

        /// <summary>Calls a static method of a class (see the instance overload for the rules).</summary>
        /// <exception cref="CimLiteException">As the instance overload; NOT_FOUND for a method that is not static.</exception>
        public CimMethodResult InvokeMethod(string className, string methodName, IDictionary? arguments = null, string? @namespace = null, OperationOptions? options = null)
        {
            if (className == null) throw new ArgumentNullException(nameof(className));
            if (methodName == null) throw new ArgumentNullException(nameof(methodName));
            return RetryBusy(() => InvokeAttempt(ResolveNamespace(@namespace), className, null, methodName, arguments, options));
        }

        private CimMethodResult InvokeAttempt(string ns, string className, InstancePath? path, string methodName, IDictionary? arguments, OperationOptions? options)
        {
            using (var tx = BeginWrite())
            {
                var cimClass = _classes.RequireClass(ns, className);
                var method = cimClass.FindMethod(methodName)
                    ?? throw new CimLiteException(CimStatus.MethodNotFound, Messages.MethodNotFound(cimClass.ClassName, methodName), cimClass.ClassName);
                CimLiteInstance? instance = null;
                string target;
                var targetClass = cimClass;
                if (path == null)
                {
                    if (!method.IsStatic)
                        throw new CimLiteException(CimStatus.NotFound, Messages.MethodNotStatic(cimClass.ClassName, method.Name), cimClass.ClassName);
                    target = cimClass.Namespace + ":" + cimClass.ClassName;
                }
                else
                {
                    var full = path.WithNamespace(ns);
                    instance = FindInstanceAttempt(full, options)
                        ?? throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(full.ToString()), cimClass.ClassName, instancePath: full.ToString());
                    targetClass = instance.Class;
                    // The instance's own class decides (an override there replaces the inherited declaration).
                    method = targetClass.FindMethod(methodName) ?? method;
                    target = instance.GetPath().ToString();
                }

                var converted = ConvertArguments(targetClass.ClassName, method, arguments);
                var request = new InvokeMethodRequest(targetClass.Namespace, targetClass.ClassName, method, instance?.Clone(), new ReadOnlyDictionaryOf(converted));

                // CIM dispatch: the provider of the target's own class, else of the nearest ancestor with a handler.
                object? returned = null;
                bool served = false;
                var levels = new List<string> { targetClass.ClassName };
                levels.AddRange(targetClass.Derivation);
                foreach (var level in levels)
                {
                    var provider = Providers.FindMethods(targetClass.Namespace, level);
                    if (provider == null) continue;
                    if (Dispatcher.InvokeMethod(provider, level, request, target, options, out returned))
                    {
                        served = true;
                        break;
                    }
                }
                if (!served)
                    throw new CimLiteException(CimStatus.NotSupported, Messages.MethodNotServed(targetClass.ClassName, method.Name), targetClass.ClassName);

                var result = ConvertResult(targetClass, method, target, returned);
                tx.Commit();
                return result;
            }
        }

        private Dictionary<string, object?> ConvertArguments(string className, CimMethodDefinition method, IDictionary? arguments)
        {
            var converted = new Dictionary<string, object?>(CimName.Comparer);
            if (arguments != null)
            {
                foreach (DictionaryEntry e in arguments)
                {
                    var key = ValueUnwrapper == null ? e.Key : ValueUnwrapper(e.Key);
                    var name = Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    var p = method.FindParameter(name);
                    if (p == null || !p.IsIn)
                        throw new CimLiteException(CimStatus.InvalidParameter, Messages.MethodArgumentNotIn(className, method.Name, name), className, name);
                    try
                    {
                        converted[p.Name] = CimValueConverter.Convert(e.Value, p.Type, className, p.Name, ValueUnwrapper);
                    }
                    catch (CimLiteException error) when (error.Status == CimStatus.TypeMismatch)
                    {
                        throw new CimLiteException(CimStatus.TypeMismatch, Messages.MethodArgumentTypeMismatch(className, method.Name, p.Name, error.Message), className, p.Name, innerException: error);
                    }
                }
            }
            foreach (var p in method.Parameters)
                if (p.IsIn && p.IsRequired && (!converted.TryGetValue(p.Name, out var v) || v == null))
                    throw new CimLiteException(CimStatus.InvalidParameter, Messages.MethodArgumentMissing(className, method.Name, p.Name), className, p.Name);
            return converted;
        }

        private CimMethodResult ConvertResult(CimLiteClass targetClass, CimMethodDefinition method, string target, object? returned)
        {
            var className = targetClass.ClassName;
            if (ValueUnwrapper != null) returned = ValueUnwrapper(returned);
            object? returnValue = null;
            bool hasReturnValue = false;
            var outs = new Dictionary<string, object?>(CimName.Comparer);
            if (returned is IDictionary values)
            {
                foreach (DictionaryEntry e in values)
                {
                    var key = ValueUnwrapper == null ? e.Key : ValueUnwrapper(e.Key);
                    var name = Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    if (CimName.Comparer.Equals(name, "ReturnValue"))
                    {
                        returnValue = ConvertOut(className, method, "ReturnValue", method.ReturnType, e.Value);
                        hasReturnValue = true;
                        continue;
                    }
                    var p = method.FindParameter(name);
                    if (p == null || !p.IsOut)
                        throw new CimLiteException(CimStatus.Failed, Messages.MethodResultUnknownName(className, method.Name, name), className, name);
                    outs[p.Name] = ConvertOut(className, method, p.Name, p.Type, e.Value);
                }
            }
            else if (returned != null)
            {
                returnValue = ConvertOut(className, method, "ReturnValue", method.ReturnType, returned);
                hasReturnValue = true;
            }
            if (!hasReturnValue)
                throw new CimLiteException(CimStatus.Failed, Messages.MethodResultNoReturnValue(className, method.Name), className);
            var list = new List<KeyValuePair<string, object?>>();
            foreach (var p in method.Parameters)
                if (p.IsOut) list.Add(new KeyValuePair<string, object?>(p.Name, outs.TryGetValue(p.Name, out var v) ? v : null));
            return new CimMethodResult(targetClass.Namespace, className, method, target, returnValue, list);
        }

        private object? ConvertOut(string className, CimMethodDefinition method, string name, CimTypeInfo type, object? value)
        {
            try
            {
                return CimValueConverter.Convert(value, type, className, name, ValueUnwrapper);
            }
            catch (CimLiteException error) when (error.Status == CimStatus.TypeMismatch)
            {
                throw new CimLiteException(CimStatus.Failed, Messages.MethodResultBadValue(className, method.Name, name, error.Message), className, name, innerException: error);
            }
        }

        /// <summary>A read-only view of the converted arguments (names as declared, looked up case-insensitively).</summary>
        private sealed class ReadOnlyDictionaryOf : ReadOnlyDictionary<string, object?>
        {
            public ReadOnlyDictionaryOf(IDictionary<string, object?> inner) : base(inner) { }
        }
    }
}
