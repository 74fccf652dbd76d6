using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CimLite
{
    /// <summary>
    /// Makes the module folder self-sufficient when PowerShell imports it: the native SQLite library
    /// (e_sqlite3) is taken from <c>runtimes/&lt;rid&gt;/native/</c> beside CimLite.dll, and managed
    /// dependencies are taken from the module folder. No deps.json is involved.
    /// </summary>
    /// <remarks>
    /// On .NET (PowerShell 7) a handler on <c>AssemblyLoadContext.ResolvingUnmanagedDll</c> answers the
    /// <c>[DllImport("e_sqlite3")]</c> of SQLitePCLRaw after the runtime's own probing fails. On .NET
    /// Framework (Windows PowerShell 5.1) the library is loaded by full path with LoadLibrary before any
    /// SQLite call, so the later DllImport finds the module already in the process. This type must never
    /// touch Microsoft.Data.Sqlite or SQLitePCLRaw: it runs before they can be resolved.
    /// </remarks>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string NativeLibraryName = "e_sqlite3";

        private static readonly object Gate = new object();
        private static int importCount;
        private static Hooks? hooks;

        /// <summary>Called by PowerShell when the module is imported.</summary>
        public void OnImport()
        {
            lock (Gate)
            {
                importCount++;
                if (hooks == null)
                {
                    hooks = Hooks.Install(ModuleDirectory);
                }
            }
        }

        /// <summary>Called by PowerShell when the module is removed.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                if (importCount > 0)
                {
                    importCount--;
                }

                if (importCount == 0 && hooks != null)
                {
                    hooks.Uninstall();
                    hooks = null;
                }
            }
        }

        /// <summary>The folder holding CimLite.dll, i.e. the module base.</summary>
        internal static string ModuleDirectory =>
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;

        /// <summary>
        /// The runtime identifier whose native folder fits this process, such as <c>linux-x64</c>,
        /// <c>osx-arm64</c> or <c>win-x64</c>; null on a platform we cannot name.
        /// </summary>
        internal static string? CurrentRid
        {
            get
            {
                string os;
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    os = "win";
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                {
                    os = "osx";
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                {
                    os = "linux";
                }
                else
                {
                    return null;
                }

                string arch;
                switch (RuntimeInformation.ProcessArchitecture)
                {
                    case Architecture.X64: arch = "x64"; break;
                    case Architecture.Arm64: arch = "arm64"; break;
                    case Architecture.X86: arch = "x86"; break;
                    case Architecture.Arm: arch = "arm"; break;
                    default: return null;
                }

                return os + "-" + arch;
            }
        }

        /// <summary>The file name of the native library on this operating system.</summary>
        internal static string NativeFileName
        {
            get
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    return NativeLibraryName + ".dll";
                }

                return RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                    ? "lib" + NativeLibraryName + ".dylib"
                    : "lib" + NativeLibraryName + ".so";
            }
        }

        /// <summary>Full path of the native library for this process in the given module folder, or null.</summary>
        internal static string? NativeLibraryPath(string moduleDirectory)
        {
            string? rid = CurrentRid;
            return rid == null
                ? null
                : Path.Combine(Path.Combine(Path.Combine(Path.Combine(moduleDirectory, "runtimes"), rid), "native"), NativeFileName);
        }

        /// <summary>The handlers installed for one module folder; <see cref="Uninstall"/> removes them.</summary>
        private sealed class Hooks
        {
            private readonly string moduleDirectory;
            private readonly object? loadContext;
            private readonly EventInfo? resolvingUnmanagedDll;
            private readonly Func<Assembly, string, IntPtr>? unmanagedHandler;
            private readonly MethodInfo? nativeLibraryLoad;
            private readonly ResolveEventHandler? assemblyResolveHandler;
            private readonly object nativeGate = new object();
            private IntPtr nativeHandle;

            private Hooks(string moduleDirectory)
            {
                this.moduleDirectory = moduleDirectory;

                // netstandard2.0 cannot name AssemblyLoadContext or NativeLibrary; look them up.
                Type? alcType = FindCoreType("System.Runtime.Loader.AssemblyLoadContext", "System.Runtime.Loader");
                Type? nativeLibraryType = FindCoreType("System.Runtime.InteropServices.NativeLibrary", "System.Runtime.InteropServices");

                if (alcType != null && nativeLibraryType != null)
                {
                    // .NET (PowerShell 7): answer the DllImport of SQLitePCLRaw in the load context that
                    // holds this module (the default one unless a host chose otherwise).
                    MethodInfo? getLoadContext = alcType.GetMethod("GetLoadContext", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(Assembly) }, null);
                    loadContext = getLoadContext?.Invoke(null, new object[] { typeof(ModuleInitializer).Assembly })
                        ?? alcType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
                    resolvingUnmanagedDll = alcType.GetEvent("ResolvingUnmanagedDll", BindingFlags.Public | BindingFlags.Instance);
                    nativeLibraryLoad = nativeLibraryType.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
                    if (loadContext != null && resolvingUnmanagedDll != null && nativeLibraryLoad != null)
                    {
                        unmanagedHandler = OnResolvingUnmanagedDll;
                        resolvingUnmanagedDll.AddEventHandler(loadContext, unmanagedHandler);
                    }
                }
                else
                {
                    // .NET Framework (Windows PowerShell 5.1): LoadFrom binds dependencies by exact
                    // version, and the netstandard2.0 dependency set disagrees with itself (System.Memory,
                    // System.Runtime.CompilerServices.Unsafe, ...). Serve any assembly the module folder
                    // has, whatever version was asked for. Then load the native library by full path so
                    // that SQLitePCLRaw's DllImport("e_sqlite3") finds it already loaded.
                    assemblyResolveHandler = OnAssemblyResolve;
                    AppDomain.CurrentDomain.AssemblyResolve += assemblyResolveHandler;
                    PreloadWithLoadLibrary();
                }
            }

            internal static Hooks Install(string moduleDirectory) => new Hooks(moduleDirectory);

            internal void Uninstall()
            {
                if (unmanagedHandler != null && resolvingUnmanagedDll != null && loadContext != null)
                {
                    resolvingUnmanagedDll.RemoveEventHandler(loadContext, unmanagedHandler);
                }

                if (assemblyResolveHandler != null)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= assemblyResolveHandler;
                }

                // The native library stays loaded: SQLite objects may still be alive, and a bound
                // DllImport keeps using the handle it got.
            }

            private static Type? FindCoreType(string fullName, string facadeAssembly)
            {
                Type? type = typeof(object).Assembly.GetType(fullName, throwOnError: false);
                if (type != null)
                {
                    return type;
                }

                try
                {
                    return Type.GetType(fullName + ", " + facadeAssembly, throwOnError: false);
                }
                catch (IOException)
                {
                    return null;
                }
                catch (BadImageFormatException)
                {
                    return null;
                }
            }

            private IntPtr OnResolvingUnmanagedDll(Assembly requestingAssembly, string libraryName)
            {
                if (!IsSqliteName(libraryName))
                {
                    return IntPtr.Zero;
                }

                lock (nativeGate)
                {
                    if (nativeHandle != IntPtr.Zero)
                    {
                        return nativeHandle;
                    }

                    string? path = NativeLibraryPath(moduleDirectory);
                    if (path == null || !File.Exists(path) || nativeLibraryLoad == null)
                    {
                        // Let the runtime report its usual DllNotFoundException.
                        return IntPtr.Zero;
                    }

                    try
                    {
                        nativeHandle = (IntPtr)nativeLibraryLoad.Invoke(null, new object[] { path })!;
                    }
                    catch (TargetInvocationException ex) when (ex.InnerException != null)
                    {
                        // A file that exists but will not load (wrong architecture, missing libc symbols)
                        // is worth a precise message rather than "e_sqlite3 not found".
                        throw new DllNotFoundException(Commands.Strings.NativeLibraryNotLoaded(path, ex.InnerException.Message), ex.InnerException);
                    }

                    return nativeHandle;
                }
            }

            private static bool IsSqliteName(string libraryName)
            {
                string name = Path.GetFileNameWithoutExtension(libraryName);
                if (name.StartsWith("lib", StringComparison.Ordinal))
                {
                    name = name.Substring(3);
                }

                return string.Equals(name, NativeLibraryName, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(libraryName, NativeLibraryName, StringComparison.OrdinalIgnoreCase);
            }

            private Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
            {
                string? simpleName = new AssemblyName(args.Name).Name;
                if (string.IsNullOrEmpty(simpleName))
                {
                    return null;
                }

                string candidate = Path.Combine(moduleDirectory, simpleName + ".dll");
                if (!File.Exists(candidate))
                {
                    return null;
                }

                foreach (Assembly loaded in AppDomain.CurrentDomain.GetAssemblies())
                {
                    if (string.Equals(loaded.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase)
                        && !loaded.IsDynamic
                        && string.Equals(loaded.Location, candidate, StringComparison.OrdinalIgnoreCase))
                    {
                        return loaded;
                    }
                }

                return Assembly.LoadFrom(candidate);
            }

            private void PreloadWithLoadLibrary()
            {
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    return;
                }

                string? path = NativeLibraryPath(moduleDirectory);
                if (path == null || !File.Exists(path))
                {
                    return;
                }

                nativeHandle = LoadLibraryW(path);
                if (nativeHandle == IntPtr.Zero)
                {
                    int error = Marshal.GetLastWin32Error();
                    throw new DllNotFoundException(Commands.Strings.NativeLibraryNotLoaded(path, error));
                }
            }

            [DllImport("kernel32", EntryPoint = "LoadLibraryW", CharSet = CharSet.Unicode, SetLastError = true)]
            private static extern IntPtr LoadLibraryW(string fileName);
        }
    }
}
