// chanlint's command line, in clang-tidy's habits (llvm::cl, -p, --checks,
// --config-file, --header-filter, `--` for compile flags), plus the CI
// options: output formats, baseline, diff, fixes, jobs, cache, shards.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace chanlint::driver {

/// The exit codes CI gates on (docs/driver.md).
enum ExitCode : int {
  ExitClean = 0,     ///< no findings
  ExitFindings = 1,  ///< findings reported
  ExitUsage = 2,     ///< bad flag, missing file, unreadable config, no compile command
  ExitTUFailed = 3,  ///< a TU failed to analyse (the rest is still reported)
  ExitOutput = 4,    ///< an output (-o, --export-fixes) cannot be written
  ExitModel = 5,     ///< a library model file is unreadable or invalid
  ExitTimeLimit = 6, ///< a TU exceeded --tu-time-limit (the rest is still reported)
};

enum class OutputFormat { Text, Sarif, Json, CodeClimate };
enum class ColorMode { Auto, Always, Never };

struct CliOptions {
  std::string BuildPath;
  std::vector<std::string> Files;
  std::optional<std::string> Checks;
  std::string Config;
  std::string ConfigFile;
  /// --model: library model files (absolute), instead of chanlint.ModelFiles.
  std::vector<std::string> ModelFiles;
  std::optional<std::string> HeaderFilter;
  std::optional<std::string> ExcludeHeaderFilter;
  std::optional<bool> SystemHeaders;
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
  std::string ResourceDir;

  OutputFormat Format = OutputFormat::Text;
  std::string OutputFile;
  ColorMode Color = ColorMode::Auto;
  std::string SrcRoot;
  bool Quiet = false;
  bool Stats = false;

  std::string Baseline;
  std::string DiffBase;
  std::string DiffFile;

  bool Fix = false;
  std::string ExportFixes;

  unsigned Jobs = 0;
  unsigned TUTimeLimit = 0; ///< seconds; 0: none
  std::string CacheDir;
  bool NoCache = false;
  std::string Shard;

  bool ListChecks = false;
  bool DumpConfig = false;

  /// Run as a language server on stdin/stdout (docs/editors.md).
  bool Lsp = false;
};

/// Parses argv (after the `--` flags were taken out). On a usage error,
/// prints it and returns nullopt; --help and --version exit by themselves.
std::optional<CliOptions> parseCommandLine(int Argc, const char **Argv);

} // namespace chanlint::driver
