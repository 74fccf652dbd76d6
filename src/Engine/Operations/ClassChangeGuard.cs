using System;
using System.Collections.Generic;
using System.Globalization;
using CimLite.Mof;
using CimLite.Storage;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Inside the import's transaction, after every class of namespace <paramref name="ns"/> was rewritten: refuses
        /// (CLASS_HAS_INSTANCES, naming the class, the property and the counts) any change that would leave stored data
        /// unreadable or silently reshaped, while instances or queued indications of the class exist. Each class is
        /// compared with what it was before the import (<paramref name="before"/>), inherited properties included, so
        /// a change of a superclass counts the data of every subclass. Incompatible: a property removed, its type or
        /// array-ness changed, a reference narrowed (its class no longer a superclass of, or the same as, the old
        /// one), and for instances a new key root (their stored key would no longer be found).
        /// </summary>
        private void CheckStoredDataFits(string ns, Dictionary<string, CimLiteClass> before, Dictionary<string, MofClass> mofClasses)
        {
            var after = _classes.Classes(_classes.RequireNamespace(ns));
            foreach (var old in before.Values)
            {
                if (!after.TryGetValue(old.ClassName, out var now)) continue;
                string? property = null, change = null;
                foreach (var p in old.Properties)
                {
                    change = Incompatibility(ns, p, now.FindProperty(p.Name));
                    if (change != null) { property = p.Name; break; }
                }
                bool keyRootMoved = !CimName.Comparer.Equals(old.KeyRootClass, now.KeyRootClass);
                if (change == null && !keyRootMoved) continue;

                long instances = Repository.Instances.CountByClass(old.Id);
                // The stored spelling of the namespace (the store compares it as stored).
                long queued = Repository.Posted.CountByClass(old.Namespace, old.ClassName);
                if (change != null && instances + queued > 0)
                    throw MofErrors.Semantic(ChangePosition(now, property!, mofClasses), CimStatus.ClassHasInstances,
                        Messages.ChangeWithStoredData(old.ClassName, property!, change, instances, queued), old.ClassName, property);
                if (keyRootMoved && instances > 0)
                    throw MofErrors.Semantic(ChangePosition(now, null, mofClasses), CimStatus.ClassHasInstances,
                        Messages.KeyRootChangeWithInstances(old.ClassName, old.KeyRootClass, now.KeyRootClass, instances), old.ClassName);
            }
        }

        /// <summary>
        /// Inside the import's transaction, after the change was found to fit the stored data: a property whose name the
        /// import respelled only in case is the same property (CIM names are case-insensitive, and WMI keeps the values),
        /// but stored rows name their values as the class spelled them when they were written, and a query pushed down
        /// to storage (SQLite's text probe and json_extract, PostgreSQL's JSON operators) matches those names exactly.
        /// So every stored instance of a class (<paramref name="before"/> against now, inherited properties included, so
        /// a superclass's respelling reaches its subclasses' rows) with a respelled property is written again in the new
        /// spelling. Its reference index entries and queued indications keep the old one: both are only read
        /// case-insensitively (associators and the repository check look names up; indications are decoded).
        /// </summary>
        private void RespellStoredRows(string ns, Dictionary<string, CimLiteClass> before)
        {
            var after = _classes.Classes(_classes.RequireNamespace(ns));
            foreach (var old in before.Values)
            {
                if (!after.TryGetValue(old.ClassName, out var now) || !Respelled(old, now)) continue;
                foreach (var row in Repository.Instances.ReadClass(now.Id))
                {
                    var values = ValueCodec.DecodeValues(now, row.Data);
                    var data = ValueCodec.EncodeValues(now, values);
                    if (string.Equals(data, row.Data, StringComparison.Ordinal)) continue;
                    Repository.Instances.Update(row.Id, now.Id, data, row.Qualifiers, references: null);
                }
            }
        }

        /// <summary>True when a property of <paramref name="old"/> is still in <paramref name="now"/>, spelled otherwise.</summary>
        private static bool Respelled(CimLiteClass old, CimLiteClass now)
        {
            foreach (var p in old.Properties)
            {
                var q = now.FindProperty(p.Name);
                if (q != null && !string.Equals(p.Name, q.Name, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        /// <summary>What makes the new declaration of a property unfit for values stored under the old one; null when it fits.</summary>
        private string? Incompatibility(string ns, CimPropertyDeclaration old, CimPropertyDeclaration? now)
        {
            if (now == null) return Messages.PropertyRemoved;
            if (old.CimType != now.CimType || old.IsArray != now.IsArray) return old.TypeName + " -> " + now.TypeName;
            if (old.CimType != CimType.Reference || now.ReferenceClass == null) return null;
            if (old.ReferenceClass != null && CimName.Comparer.Equals(old.ReferenceClass, now.ReferenceClass)) return null;
            // Widening (to a superclass of the old target) keeps every stored reference valid; anything else narrows.
            var oldTarget = old.ReferenceClass == null ? null : _classes.FindClass(ns, old.ReferenceClass);
            if (oldTarget != null && oldTarget.IsA(now.ReferenceClass)) return null;
            return old.TypeName + " -> " + now.TypeName;
        }

        /// <summary>Where the import changed it: the property's declaration in this import, else the nearest class of the import in the derivation.</summary>
        private static MofPosition ChangePosition(CimLiteClass now, string? property, Dictionary<string, MofClass> mofClasses)
        {
            var chain = new List<string> { now.ClassName };
            chain.AddRange(now.Derivation);
            MofPosition? first = null;
            foreach (var name in chain)
            {
                if (!mofClasses.TryGetValue(name, out var mc)) continue;
                if (property != null)
                    foreach (var f in mc.Features)
                        if (f.Parameters == null && CimName.Comparer.Equals(f.Name, property)) return f.Position;
                if (first == null) first = mc.Position;
            }
            if (first != null) return first;
            foreach (var mc in mofClasses.Values) return mc.Position;
            return new MofPosition("", 0, 0);
        }
    }
}
