using System;
using System.IO;
using System.Linq;
using System.Text;

namespace CimLite.HelpGen
{
    /// <summary>
    /// HelpGen &lt;docs/help folder&gt; &lt;output folder&gt;: writes &lt;output&gt;/CimLite.dll-Help.xml from the
    /// cmdlet pages (every *.md but about_*.md and README.md) and &lt;output&gt;/about_X.help.txt from each about_X.md.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: HelpGen <docs/help folder> <output folder (en-US)>");
                return 2;
            }
            try
            {
                Generate(args[0], args[1]);
                return 0;
            }
            catch (Exception e) when (e is FormatException || e is IOException)
            {
                Console.Error.WriteLine("HelpGen: error: " + e.Message);
                return 1;
            }
        }

        public static void Generate(string source, string output)
        {
            Directory.CreateDirectory(output);
            var utf8 = new UTF8Encoding(false);
            var pages = Directory.GetFiles(source, "*.md")
                .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase)
                            && !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(CommandHelp.Parse)
                .ToList();
            var helpFile = pages.Select(p => p.FrontMatter.TryGetValue("external help file", out var f) ? f : "").FirstOrDefault(f => f.Length > 0) ?? "CimLite.dll-Help.xml";
            using (var writer = new StreamWriter(Path.Combine(output, helpFile), false, utf8))
                MamlWriter.Write(pages).Save(writer);
            foreach (var about in Directory.GetFiles(source, "about_*.md"))
                File.WriteAllText(Path.Combine(output, Path.GetFileNameWithoutExtension(about) + ".help.txt"), AboutWriter.Write(File.ReadAllText(about)), utf8);
        }
    }
}
