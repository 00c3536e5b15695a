#include "Options.h"

#include "OptionsProvider.h"
#include "SourceText.h"
#include "Version.h"

#include "clang/Basic/Version.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

namespace chanlint::driver {

namespace {

cl::OptionCategory Category("chanlint options");

const char Overview[] = R"(
chanlint: finds channel misuse in C++ code written with chan (chan-* checks).

  chanlint [options] [<source>...] [-- <compile flags>]
  chanlint merge <a.sarif> <b.sarif>... [-o <all.sarif>]
  chanlint --lsp [options] [-- <fallback compile flags>]

Sources are analysed with the compile commands of a compilation database:
-p <build-dir>, else a compile_commands.json found upward from the first
source. With -p and no sources, every source of the database is analysed.
Flags after `--` replace the database (e.g. -- -std=c++20 -Iinclude).

Configuration comes from .clang-tidy files as in clang-tidy (Checks that
name chan checks, CheckOptions, HeaderFilterRegex, ...); NOLINT,
NOLINTNEXTLINE and NOLINTBEGIN/END comments are honoured.

Exit codes: 0 no findings, 1 findings, 2 usage or input error,
3 a translation unit failed to analyse (the other results are still written),
4 an output cannot be written (checked before the analysis),
5 a library model file cannot be read or is invalid (checked before the analysis),
6 a translation unit exceeded --tu-time-limit (the other results are still written).
)";

// The options are built only once LLVM has registered its own common
// options (see parseCommandLine): two of them, --color and --stats, have
// the names clang-tidy users expect from chanlint.
struct Flags {
  cl::opt<std::string> BuildPath{"p", cl::desc("Build directory with compile_commands.json "
                                               "(or the file itself)"),
                                 cl::value_desc("build-dir"), cl::cat(Category)};
  cl::list<std::string> Sources{cl::Positional, cl::desc("[<source>...]"), cl::cat(Category)};

  cl::opt<std::string> Checks{"checks",
                              cl::desc("Checks to run, as clang-tidy globs; overrides the "
                                       "configuration (default: all chan-* checks)"),
                              cl::value_desc("globs"), cl::cat(Category)};
  cl::opt<std::string> Config{"config",
                              cl::desc("Configuration in YAML, instead of .clang-tidy files"),
                              cl::cat(Category)};
  cl::opt<std::string> ConfigFile{"config-file",
                                  cl::desc("Configuration file, instead of .clang-tidy files"),
                                  cl::value_desc("path"), cl::cat(Category)};
  cl::list<std::string> Models{"model",
                              cl::desc("A library model file (JSON, docs/models.md) to use "
                                       "with the built-in ones; repeatable; replaces "
                                       "chanlint.ModelFiles of the configuration"),
                              cl::value_desc("file"), cl::cat(Category)};
  cl::opt<std::string> HeaderFilter{"header-filter",
                                    cl::desc("Report findings in headers matching this regex "
                                             "(default: none, as clang-tidy)"),
                                    cl::value_desc("regex"), cl::cat(Category)};
  cl::opt<std::string> ExcludeHeaderFilter{"exclude-header-filter",
                                           cl::desc("Never report findings in headers matching "
                                                    "this regex"),
                                           cl::value_desc("regex"), cl::cat(Category)};
  cl::opt<bool> SystemHeaders{"system-headers", cl::desc("Report findings in system headers"),
                              cl::cat(Category)};
  cl::list<std::string> ExtraArgs{"extra-arg", cl::desc("Append an argument to compile commands"),
                                  cl::cat(Category)};
  cl::list<std::string> ExtraArgsBefore{"extra-arg-before",
                                        cl::desc("Prepend an argument to compile commands"),
                                        cl::cat(Category)};
  cl::opt<std::string> ResourceDir{"resource-dir",
                                   cl::desc("clang's resource directory (builtin headers)"),
                                   cl::Hidden, cl::cat(Category)};

  cl::opt<OutputFormat> Format{
      "format", cl::desc("Output format"),
      cl::values(clEnumValN(OutputFormat::Text, "text", "clang-style diagnostics (default)"),
                 clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0"),
                 clEnumValN(OutputFormat::Json, "json", "chanlint's JSON"),
                 clEnumValN(OutputFormat::CodeClimate, "codeclimate",
                            "GitLab Code Quality (Code Climate JSON)")),
      cl::init(OutputFormat::Text), cl::cat(Category)};
  cl::opt<std::string> Output{"o", cl::desc("Write the --format output to this file ('-': "
                                            "stdout; a device or FIFO is written through); "
                                            "the text still goes to stdout unless -q"),
                              cl::value_desc("file"), cl::cat(Category)};
  cl::alias OutputLong{"output", cl::desc("Alias for -o"), cl::aliasopt(Output),
                       cl::cat(Category), cl::NotHidden};
  cl::opt<ColorMode> Color{"color", cl::desc("Colour the text output"),
                           cl::values(clEnumValN(ColorMode::Auto, "auto", "on a terminal"),
                                      clEnumValN(ColorMode::Always, "always", "always"),
                                      clEnumValN(ColorMode::Never, "never", "never")),
                           cl::init(ColorMode::Auto), cl::cat(Category)};
  cl::opt<std::string> SrcRoot{"srcroot",
                               cl::desc("Root for relative paths in reports and fingerprints "
                                        "(default: the directory of compile_commands.json if "
                                        "it holds every source, else the current directory)"),
                               cl::value_desc("dir"), cl::cat(Category)};
  cl::opt<bool> Quiet{"quiet", cl::desc("No text findings or summary on stdout/stderr"),
                      cl::cat(Category)};
  cl::alias QuietShort{"q", cl::desc("Alias for --quiet"), cl::aliasopt(Quiet),
                       cl::cat(Category), cl::NotHidden};
  cl::opt<bool> Stats{"stats",
                      cl::desc("Print a statistics line to stderr: TUs analysed, cache hits "
                               "and misses, wall time"),
                      cl::cat(Category)};

  cl::opt<std::string> Baseline{"baseline",
                                cl::desc("Report only findings not in this SARIF file"),
                                cl::value_desc("sarif"), cl::cat(Category)};
  cl::opt<std::string> DiffBase{"diff-base",
                                cl::desc("Report only findings on lines changed since this git "
                                         "revision (git diff <rev>)"),
                                cl::value_desc("rev"), cl::cat(Category)};
  cl::opt<std::string> Diff{"diff",
                            cl::desc("Report only findings on lines changed by this unified "
                                     "diff ('-': stdin)"),
                            cl::value_desc("file"), cl::cat(Category)};

  cl::opt<bool> Fix{"fix", cl::desc("Apply the fix-its of the reported findings"),
                    cl::cat(Category)};
  cl::opt<std::string> ExportFixes{"export-fixes",
                                   cl::desc("Write fixes as YAML for clang-apply-replacements "
                                            "('-': stdout)"),
                                   cl::value_desc("file"), cl::cat(Category)};

  cl::opt<unsigned> Jobs{"j", cl::desc("Translation units analysed in parallel (default: all "
                                       "cores)"),
                         cl::init(0), cl::value_desc("N"), cl::Prefix, cl::cat(Category)};
  cl::opt<unsigned> TUTimeLimit{"tu-time-limit",
                                cl::desc("Give up on a translation unit still analysed after "
                                         "this many seconds: it is reported as failed, the "
                                         "others go on, and the exit code is 6 (default: 0, "
                                         "no limit)"),
                                cl::init(0), cl::value_desc("seconds"), cl::cat(Category)};
  cl::opt<std::string> CacheDir{"cache-dir",
                                cl::desc("Result cache (default: $XDG_CACHE_HOME/chanlint or "
                                         "~/.cache/chanlint)"),
                                cl::value_desc("dir"), cl::cat(Category)};
  cl::opt<bool> NoCache{"no-cache", cl::desc("Neither read nor write the result cache"),
                        cl::cat(Category)};
  cl::opt<std::string> Shard{"shard", cl::desc("Analyse only shard i of n of the sources"),
                             cl::value_desc("i/n"), cl::cat(Category)};

  cl::opt<bool> ListChecks{"list-checks", cl::desc("List the enabled checks and exit"),
                           cl::cat(Category)};
  cl::opt<bool> DumpConfig{"dump-config",
                           cl::desc("Print the effective configuration (for the first source) "
                                    "and exit"),
                           cl::cat(Category)};

  cl::opt<bool> Lsp{"lsp", cl::desc("Run as a language server on stdin/stdout for editors "
                                    "(docs/editors.md)"),
                    cl::cat(Category)};
  // LSP clients built on vscode-languageclient append --stdio; stdio is
  // the only transport there is.
  cl::opt<bool> Stdio{"stdio", cl::desc("Accepted with --lsp; stdio is its transport"),
                      cl::Hidden, cl::cat(Category)};
};

void printVersion(llvm::raw_ostream &OS) {
  OS << "chanlint " << ChanlintVersion << " (" << ChanlintRepositoryUrl << ")\n"
     << "  built with clang " << CLANG_VERSION_STRING << "\n";
}

} // namespace

std::optional<CliOptions> parseCommandLine(int Argc, const char **Argv) {
  // getRegisteredOptions() makes LLVM register its common options (-color,
  // -stats, ...); drop the ones whose names chanlint uses, then add ours.
  llvm::StringMap<cl::Option *> &Registered = cl::getRegisteredOptions();
  for (const char *Name : {"color", "stats"})
    if (cl::Option *O = Registered.lookup(Name))
      O->removeArgument();
  static Flags F;
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(printVersion);
  if (!cl::ParseCommandLineOptions(Argc, Argv, Overview, &llvm::errs()))
    return std::nullopt;

  CliOptions O;
  O.BuildPath = F.BuildPath;
  O.Files.assign(F.Sources.begin(), F.Sources.end());
  if (F.Checks.getNumOccurrences())
    O.Checks = F.Checks;
  O.Config = F.Config;
  O.ConfigFile = F.ConfigFile;
  for (const std::string &M : F.Models)
    O.ModelFiles.push_back(normalizePath(M));
  if (F.HeaderFilter.getNumOccurrences())
    O.HeaderFilter = F.HeaderFilter;
  if (F.ExcludeHeaderFilter.getNumOccurrences())
    O.ExcludeHeaderFilter = F.ExcludeHeaderFilter;
  if (F.SystemHeaders.getNumOccurrences())
    O.SystemHeaders = F.SystemHeaders;
  O.ExtraArgs.assign(F.ExtraArgs.begin(), F.ExtraArgs.end());
  O.ExtraArgsBefore.assign(F.ExtraArgsBefore.begin(), F.ExtraArgsBefore.end());
  O.ResourceDir = F.ResourceDir;
  O.Format = F.Format;
  O.OutputFile = F.Output;
  O.Color = F.Color;
  O.SrcRoot = F.SrcRoot;
  O.Quiet = F.Quiet;
  O.Stats = F.Stats;
  O.Baseline = F.Baseline;
  O.DiffBase = F.DiffBase;
  O.DiffFile = F.Diff;
  O.Fix = F.Fix;
  O.ExportFixes = F.ExportFixes;
  O.Jobs = F.Jobs;
  O.TUTimeLimit = F.TUTimeLimit;
  O.CacheDir = F.CacheDir;
  O.NoCache = F.NoCache;
  O.Shard = F.Shard;
  O.ListChecks = F.ListChecks;
  O.DumpConfig = F.DumpConfig;
  O.Lsp = F.Lsp;
  return O;
}

} // namespace chanlint::driver
