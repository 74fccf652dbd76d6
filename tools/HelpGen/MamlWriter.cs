using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace CimLite.HelpGen
{
    /// <summary>Writes cmdlet help as MAML, in the shape PlatyPS's New-ExternalHelp produces.</summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument Write(IEnumerable<CommandHelp> commands)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
            foreach (var c in commands) root.Add(Command_(c));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        private static XElement Command_(CommandHelp c)
        {
            var element = new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(Command + "details",
                    new XElement(Command + "name", c.Name),
                    new XElement(Command + "verb", c.Verb),
                    new XElement(Command + "noun", c.Noun),
                    Description(c.Synopsis)),
                Description(c.Description));

            var syntax = new XElement(Command + "syntax");
            var sets = c.Syntax.Count > 0 ? c.Syntax.Select(s => s.SetName).ToList() : new List<string> { "(All)" };
            foreach (var set in sets)
            {
                var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", c.Name));
                foreach (var p in c.Parameters)
                {
                    var m = p.Metadata.FirstOrDefault(x => x.ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase))
                            ?? p.Metadata.FirstOrDefault(x => x.ParameterSets.Contains("(All)"));
                    if (m != null) item.Add(Parameter(p, m));
                }
                syntax.Add(item);
            }
            element.Add(syntax);

            element.Add(new XElement(Command + "parameters", c.Parameters.Select(p => Parameter(p, p.Metadata[0]))));
            element.Add(new XElement(Command + "inputTypes", c.Inputs.Select(t =>
                new XElement(Command + "inputType", Type(t.Name), Description(t.Description)))));
            element.Add(new XElement(Command + "returnValues", c.Outputs.Select(t =>
                new XElement(Command + "returnValue", Type(t.Name), Description(t.Description)))));
            if (c.Notes.Count > 0)
                element.Add(new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(c.Notes))));
            element.Add(new XElement(Command + "examples", c.Examples.Select(e =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", "-------------------------- " + e.Title + " --------------------------"),
                    // As PlatyPS's New-ExternalHelp: every code block, output blocks too, in page order and
                    // verbatim, separated by a blank line; Get-Help shows them before the remarks.
                    new XElement(Dev + "code", string.Join("\n\n", e.Code.Select(x => x.Text))),
                    new XElement(Dev + "remarks", Paras(e.Remarks))))));
            element.Add(new XElement(Command + "relatedLinks", c.RelatedLinks.Select(l =>
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri)))));
            return element;
        }

        private static XElement Parameter(ParameterHelp p, ParameterMetadata m)
        {
            bool isSwitch = m.Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);
            var element = new XElement(Command + "parameter",
                new XAttribute("required", m.Required ? "true" : "false"),
                new XAttribute("variableLength", m.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
                new XAttribute("globbing", m.Wildcards ? "true" : "false"),
                new XAttribute("pipelineInput", m.PipelineInput),
                new XAttribute("position", m.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : m.Position),
                new XAttribute("aliases", m.Aliases.Count == 0 ? "none" : string.Join(", ", m.Aliases)),
                new XElement(Maml + "name", p.Name),
                Description(p.Description));
            if (!isSwitch)
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), m.Type));
            element.Add(Type(m.Type));
            element.Add(new XElement(Dev + "defaultValue", isSwitch && m.DefaultValue == "None" ? "False" : m.DefaultValue));
            return element;
        }

        private static XElement Type(string name) =>
            new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

        private static XElement Description(IEnumerable<string> paragraphs) =>
            new XElement(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
            paragraphs.Select(p => new XElement(Maml + "para", p));
    }
}
