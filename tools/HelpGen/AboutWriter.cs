using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace CimLite.HelpGen
{
    /// <summary>
    /// Writes an about_ topic as the plain text Get-Help shows: headings in capitals, text indented four
    /// spaces and wrapped at 80 columns, code and tables kept as written.
    /// </summary>
    public static class AboutWriter
    {
        private const int Width = 80;

        public static string Write(string markdown)
        {
            markdown = markdown.Replace("\r\n", "\n");
            var doc = Markdig.Markdown.Parse(markdown, CommandHelp.Pipeline);
            var text = new StringBuilder();
            foreach (var block in doc)
            {
                var source = CommandHelp.Source(markdown, block);
                switch (block)
                {
                    case Markdig.Extensions.Yaml.YamlFrontMatterBlock:
                        break;
                    case HeadingBlock heading:
                        var title = source.TrimStart('#').Trim();
                        if (heading.Level == 1) text.Append("TOPIC\n    ").Append(title).Append("\n\n");
                        else if (heading.Level == 2) text.Append(title.ToUpperInvariant()).Append("\n\n");
                        else text.Append("  ").Append(title).Append("\n\n");
                        break;
                    case FencedCodeBlock code:
                        foreach (var line in CommandHelp.CodeText(code).Split('\n')) text.Append("        ").Append(line).Append('\n');
                        text.Append('\n');
                        break;
                    case Table:
                        foreach (var line in source.TrimEnd().Split('\n'))
                            if (!IsTableRule(line)) text.Append("    ").Append(line.Trim()).Append('\n');
                        text.Append('\n');
                        break;
                    case ListBlock list:
                        foreach (var item in list.OfType<ListItemBlock>())
                        {
                            var itemText = Plain(string.Join(" ", CommandHelp.Source(markdown, item).Split('\n').Select(l => l.Trim())));
                            itemText = itemText.TrimStart('-', '*', ' ');
                            Wrap(text, "- " + itemText, "    ", "      ");
                        }
                        text.Append('\n');
                        break;
                    default:
                        Wrap(text, Plain(CommandHelp.Paragraph(block, source).Replace('\n', ' ')), "    ", "    ");
                        text.Append('\n');
                        break;
                }
            }
            return text.ToString().TrimEnd() + "\n";
        }

        private static bool IsTableRule(string line) => line.Trim().Trim('|').Replace("|", "").Replace("-", "").Replace(":", "").Trim().Length == 0;

        /// <summary>Drops the markdown marks a text reader does not need (emphasis, code ticks, link targets).</summary>
        private static string Plain(string s)
        {
            s = s.Replace("**", "").Replace("`", "");
            var result = new StringBuilder();
            for (int i = 0; i < s.Length; i++)
            {
                // [text](target) -> text; any other bracket (e.g. "[NOT] LIKE", "[a-z]") stays as written.
                if (s[i] == '[')
                {
                    int end = s.IndexOf(']', i + 1);
                    int close = end > 0 && end + 1 < s.Length && s[end + 1] == '(' ? s.IndexOf(')', end + 2) : -1;
                    if (close > 0)
                    {
                        result.Append(s, i + 1, end - i - 1);
                        i = close;
                        continue;
                    }
                }
                result.Append(s[i]);
            }
            return result.ToString();
        }

        private static void Wrap(StringBuilder text, string paragraph, string firstIndent, string indent)
        {
            var line = new StringBuilder(firstIndent);
            bool empty = true;
            foreach (var word in paragraph.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > Width)
                {
                    text.Append(line.ToString().TrimEnd()).Append('\n');
                    line.Clear().Append(indent);
                    empty = true;
                }
                if (!empty) line.Append(' ');
                line.Append(word);
                empty = false;
            }
            if (!empty) text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
