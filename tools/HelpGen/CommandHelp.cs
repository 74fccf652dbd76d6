using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace CimLite.HelpGen
{
    /// <summary>One cmdlet's help page, read from PlatyPS markdown (schema 2.0.0).</summary>
    public sealed class CommandHelp
    {
        public string Name { get; set; } = "";
        public Dictionary<string, string> FrontMatter { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public List<string> Synopsis { get; } = new List<string>();
        public List<SyntaxHelp> Syntax { get; } = new List<SyntaxHelp>();
        public List<string> Description { get; } = new List<string>();
        public List<ExampleHelp> Examples { get; } = new List<ExampleHelp>();
        public List<ParameterHelp> Parameters { get; } = new List<ParameterHelp>();
        public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();
        public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();
        public List<string> Notes { get; } = new List<string>();
        public List<LinkHelp> RelatedLinks { get; } = new List<LinkHelp>();
        public bool HasCommonParameters { get; set; }

        public string Verb => Name.Split('-')[0];
        public string Noun => Name.Contains('-') ? Name.Substring(Name.IndexOf('-') + 1) : "";

        /// <summary>Reads a page; throws <see cref="FormatException"/> naming the file when a required part is missing.</summary>
        public static CommandHelp Parse(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

        public static CommandHelp Parse(string markdown, string fileName)
        {
            var help = new CommandHelp();
            markdown = markdown.Replace("\r\n", "\n");
            var doc = Markdown.Parse(markdown, Pipeline);
            string? h2 = null;
            ExampleHelp? example = null;
            ParameterHelp? parameter = null;
            SyntaxHelp? syntax = null;
            TypeHelp? type = null;
            foreach (var block in doc)
            {
                var source = Source(markdown, block);
                switch (block)
                {
                    case YamlFrontMatterBlock:
                        foreach (var line in source.Split('\n'))
                        {
                            int colon = line.IndexOf(':');
                            if (colon > 0 && !line.StartsWith("---", StringComparison.Ordinal))
                                help.FrontMatter[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                        }
                        continue;
                    case HeadingBlock heading:
                        var title = source.TrimStart('#').Trim();
                        if (heading.Level == 1) help.Name = title;
                        else if (heading.Level == 2)
                        {
                            h2 = title.ToUpperInvariant();
                            example = null; parameter = null; syntax = null; type = null;
                        }
                        else if (h2 == "SYNTAX")
                        {
                            bool isDefault = title.EndsWith("(Default)", StringComparison.Ordinal);
                            syntax = new SyntaxHelp { SetName = isDefault ? title.Substring(0, title.Length - 9).Trim() : title, IsDefault = isDefault };
                            help.Syntax.Add(syntax);
                        }
                        else if (h2 == "EXAMPLES")
                            help.Examples.Add(example = new ExampleHelp { Title = title });
                        else if (h2 == "PARAMETERS")
                        {
                            if (title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)) { help.HasCommonParameters = true; parameter = null; }
                            else help.Parameters.Add(parameter = new ParameterHelp { Name = title.TrimStart('-') });
                        }
                        else if (h2 == "INPUTS") help.Inputs.Add(type = new TypeHelp { Name = title });
                        else if (h2 == "OUTPUTS") help.Outputs.Add(type = new TypeHelp { Name = title });
                        continue;
                }
                var code = block as FencedCodeBlock;
                var text = code != null ? CodeText(code) : Paragraph(block, source);
                switch (h2)
                {
                    case "SYNOPSIS": help.Synopsis.Add(text); break;
                    case "DESCRIPTION": help.Description.Add(text); break;
                    case "NOTES": help.Notes.Add(text); break;
                    case "SYNTAX":
                        if (syntax != null && code != null) syntax.Text = text;
                        break;
                    case "EXAMPLES":
                        if (example == null) break;
                        if (code != null) example.Code.Add(new CodeHelp { Language = (code.Info ?? "").Trim(), Text = text });
                        else example.Remarks.Add(text);
                        break;
                    case "PARAMETERS":
                        if (parameter == null) break;
                        if (code != null && (code.Info ?? "").Trim().Equals("yaml", StringComparison.OrdinalIgnoreCase))
                            parameter.Metadata.Add(ParameterMetadata.Parse(text));
                        else parameter.Description.Add(text);
                        break;
                    case "INPUTS":
                    case "OUTPUTS":
                        if (type != null) type.Description.Add(text);
                        break;
                    case "RELATED LINKS":
                        foreach (var line in source.Split('\n'))
                        {
                            var l = line.Trim();
                            if (l.StartsWith("[", StringComparison.Ordinal) && l.Contains("]("))
                            {
                                int close = l.IndexOf("](", StringComparison.Ordinal);
                                help.RelatedLinks.Add(new LinkHelp { Text = l.Substring(1, close - 1), Uri = l.Substring(close + 2).TrimEnd(')') });
                            }
                            else if (l.Length > 0) help.RelatedLinks.Add(new LinkHelp { Text = l, Uri = "" });
                        }
                        break;
                }
            }
            if (help.Name.Length == 0) throw new FormatException(fileName + ": no '# Name' heading.");
            if (help.Synopsis.Count == 0) throw new FormatException(fileName + ": no SYNOPSIS.");
            foreach (var p in help.Parameters)
                if (p.Metadata.Count == 0) throw new FormatException(fileName + ": parameter -" + p.Name + " has no yaml block.");
            return help;
        }

        internal static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();

        internal static string Source(string markdown, Block block) =>
            block.Span.Length <= 0 ? "" : markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start));

        internal static string CodeText(FencedCodeBlock code) => code.Lines.ToString().Replace("\r\n", "\n").TrimEnd('\n');

        /// <summary>A paragraph's lines joined (MAML paragraphs reflow); lists and tables keep their lines.</summary>
        internal static string Paragraph(Block block, string source) =>
            block is ParagraphBlock ? string.Join(" ", source.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)) : source.TrimEnd();
    }

    public sealed class SyntaxHelp
    {
        public string SetName { get; set; } = "";
        public bool IsDefault { get; set; }
        public string Text { get; set; } = "";
    }

    public sealed class CodeHelp
    {
        public string Language { get; set; } = "";
        public string Text { get; set; } = "";
    }

    public sealed class ExampleHelp
    {
        public string Title { get; set; } = "";
        public List<CodeHelp> Code { get; } = new List<CodeHelp>();
        public List<string> Remarks { get; } = new List<string>();
    }

    public sealed class TypeHelp
    {
        public string Name { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
    }

    public sealed class LinkHelp
    {
        public string Text { get; set; } = "";
        public string Uri { get; set; } = "";
    }

    public sealed class ParameterHelp
    {
        public string Name { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
        /// <summary>One yaml block per group of parameter sets with the same attributes (PlatyPS writes several when they differ).</summary>
        public List<ParameterMetadata> Metadata { get; } = new List<ParameterMetadata>();
    }

    /// <summary>The yaml block under a parameter: Type, Parameter Sets, Aliases, Required, Position, …</summary>
    public sealed class ParameterMetadata
    {
        public string Type { get; set; } = "";
        public List<string> ParameterSets { get; } = new List<string>();
        public List<string> Aliases { get; } = new List<string>();
        public bool Required { get; set; }
        public string Position { get; set; } = "Named";
        public string DefaultValue { get; set; } = "None";
        public string PipelineInput { get; set; } = "False";
        public bool Wildcards { get; set; }

        public static ParameterMetadata Parse(string yaml)
        {
            var m = new ParameterMetadata();
            foreach (var line in yaml.Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var key = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                switch (key.ToLowerInvariant())
                {
                    case "type": m.Type = value; break;
                    case "parameter sets": m.ParameterSets.AddRange(List(value)); break;
                    case "aliases": m.Aliases.AddRange(List(value)); break;
                    case "required": m.Required = value.Equals("True", StringComparison.OrdinalIgnoreCase); break;
                    case "position": m.Position = value.Length == 0 ? "Named" : value; break;
                    case "default value": m.DefaultValue = value.Length == 0 ? "None" : value; break;
                    case "accept pipeline input": m.PipelineInput = value.Length == 0 ? "False" : value; break;
                    case "accept wildcard characters": m.Wildcards = value.Equals("True", StringComparison.OrdinalIgnoreCase); break;
                }
            }
            return m;
        }

        private static IEnumerable<string> List(string value) =>
            value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0);
    }
}
