#include "Driver.h"

#include "ApplyFixes.h"
#include "Baseline.h"
#include "CodeClimateWriter.h"
#include "CompilationDatabase.h"
#include "DiffFilter.h"
#include "ExportFixes.h"
#include "Fingerprint.h"
#include "JsonText.h"
#include "JsonWriter.h"
#include "Merge.h"
#include "OutputTarget.h"
#include "Progress.h"
#include "Report.h"
#include "ResultCache.h"
#include "Runner.h"
#include "SarifWriter.h"
#include "Shard.h"
#include "SourceText.h"
#include "TextWriter.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace chanlint::driver {

namespace {

int usageError(const llvm::Twine &Message) {
  llvm::errs() << "chanlint: error: " << Message << "\n";
  return ExitUsage;
}

int outputError(llvm::Error E) {
  llvm::errs() << "chanlint: error: " << llvm::toString(std::move(E)) << "\n";
  return ExitOutput;
}

/// The target of an output option, if it was given.
llvm::Expected<std::optional<OutputTarget>> checkOutput(llvm::StringRef Path) {
  if (Path.empty())
    return std::nullopt;
  auto Target = OutputTarget::check(Path);
  if (!Target)
    return Target.takeError();
  return std::optional<OutputTarget>(std::move(*Target));
}

/// The directory of compile_commands.json when it holds every source (an
/// in-source database), else the current directory.
std::string defaultSrcRoot(llvm::StringRef DatabaseDir, llvm::ArrayRef<std::string> Files) {
  if (!DatabaseDir.empty() &&
      llvm::all_of(Files, [&](const std::string &F) {
        return !relativePath(F, DatabaseDir).empty();
      }))
    return DatabaseDir.str();
  return normalizePath(".");
}

/// RepoDir: a directory inside the repository of the analysed sources.
llvm::Expected<ChangedLines> loadChangedLines(const CliOptions &O, llvm::StringRef RepoDir) {
  if (!O.DiffBase.empty())
    return ChangedLines::fromGit(O.DiffBase, RepoDir);
  auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(O.DiffFile);
  if (!Buffer)
    return llvm::createStringError("cannot read --diff %s: %s", O.DiffFile.c_str(),
                                   Buffer.getError().message().c_str());
  // Paths in a diff are relative to the top of the repository it was made
  // in, which is where CI and hooks run it from.
  std::string Root = ChangedLines::gitTopLevel(normalizePath("."));
  if (Root.empty())
    Root = normalizePath(".");
  return ChangedLines::fromUnifiedDiff((*Buffer)->getBuffer(), Root);
}

bool useColor(ColorMode Mode) {
  switch (Mode) {
  case ColorMode::Always:
    return true;
  case ColorMode::Never:
    return false;
  case ColorMode::Auto:
    return llvm::sys::Process::StandardOutHasColors();
  }
  return false;
}

std::string renderStructured(const Report &R, OutputFormat Format) {
  switch (Format) {
  case OutputFormat::Sarif:
    return jsonText(makeSarif(R), 2) + "\n";
  case OutputFormat::Json:
    return jsonText(makeJsonReport(R), 2) + "\n";
  case OutputFormat::CodeClimate:
    return jsonText(makeCodeClimate(R), 2) + "\n";
  case OutputFormat::Text:
    break;
  }
  return "";
}

std::string plural(size_t N, llvm::StringRef One, llvm::StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

} // namespace

int runChanlint(const CliOptions &O,
                std::unique_ptr<clang::tooling::CompilationDatabase> FixedFlags) {
  auto Start = std::chrono::steady_clock::now();

  // --- What to analyse, and with which commands.
  std::vector<std::string> Files;
  for (const std::string &F : O.Files) {
    std::string P = normalizePath(F);
    if (!llvm::sys::fs::exists(P))
      return usageError("no such file: " + F);
    if (llvm::sys::fs::is_directory(P))
      return usageError(F + " is a directory; give source files (or -p to analyse every "
                            "source of a compilation database)");
    Files.push_back(std::move(P));
  }
  if (FixedFlags && Files.empty())
    return usageError("compile flags after '--' need source files to apply to");
  if (!O.DiffBase.empty() && !O.DiffFile.empty())
    return usageError("--diff-base and --diff exclude each other");
  // Outputs are written after the analysis: find out now if they cannot be.
  auto CheckedOutput = checkOutput(O.OutputFile);
  if (!CheckedOutput)
    return outputError(CheckedOutput.takeError());
  auto CheckedFixes = checkOutput(O.ExportFixes);
  if (!CheckedFixes)
    return outputError(CheckedFixes.takeError());
  const std::optional<OutputTarget> &Output = *CheckedOutput;
  const std::optional<OutputTarget> &FixesOutput = *CheckedFixes;
  // Standard output takes one report.
  bool FormatToStdout = !Output || Output->isStdout();
  bool FixesToStdout = FixesOutput && FixesOutput->isStdout();
  if (FixesToStdout && FormatToStdout && (O.Format != OutputFormat::Text || Output))
    return usageError("--export-fixes and the --format output cannot both go to standard "
                      "output: write one of them to a file (-o <file>)");

  auto Loaded = loadCompilationDatabase(O.BuildPath, std::move(FixedFlags), Files);
  if (!Loaded)
    return usageError(llvm::toString(Loaded.takeError()));
  const clang::tooling::CompilationDatabase &DB = *Loaded->DB;
  if (Files.empty()) {
    Files = allSourceFiles(DB);
    if (Files.empty())
      return usageError("the compilation database in " + Loaded->Directory +
                        " lists no C or C++ source");
  } else {
    for (const std::string &F : Files)
      if (!hasCompileCommand(DB, F))
        return usageError("no compile command for " + F +
                          (Loaded->Directory.empty()
                               ? std::string()
                               : " in " + Loaded->Directory + "/compile_commands.json"));
  }

  std::string SrcRoot =
      O.SrcRoot.empty() ? defaultSrcRoot(Loaded->Directory, Files) : normalizePath(O.SrcRoot);
  if (!llvm::sys::fs::is_directory(SrcRoot))
    return usageError("--srcroot " + SrcRoot + " is not a directory");

  // --- The runner, its configuration and cache.
  RunnerOptions Settings;
  Settings.Tidy.Checks = O.Checks;
  Settings.Tidy.HeaderFilter = O.HeaderFilter;
  Settings.Tidy.ExcludeHeaderFilter = O.ExcludeHeaderFilter;
  Settings.Tidy.SystemHeaders = O.SystemHeaders;
  Settings.Tidy.ExtraArgs = O.ExtraArgs;
  Settings.Tidy.ExtraArgsBefore = O.ExtraArgsBefore;
  Settings.Tidy.Config = O.Config;
  Settings.Tidy.ConfigFile = O.ConfigFile;
  Settings.Tidy.ModelFiles = O.ModelFiles;
  Settings.ResourceDir = O.ResourceDir;
  Settings.TUTimeLimit = O.TUTimeLimit;
  if (!O.NoCache) {
    std::string Dir = O.CacheDir.empty() ? ResultCache::defaultDirectory()
                                         : normalizePath(O.CacheDir);
    if (!Dir.empty())
      Settings.Cache = std::make_shared<ResultCache>(Dir);
  }
  auto CreatedRunner = Runner::create(Loaded->DB, std::move(Settings));
  if (!CreatedRunner)
    return usageError(llvm::toString(CreatedRunner.takeError()));
  const Runner &Run = **CreatedRunner;

  auto RealFS = llvm::vfs::getRealFileSystem();
  for (const std::string &F : Files)
    if (llvm::Error E = Run.options().validateFor(F, *RealFS))
      return usageError(llvm::toString(std::move(E)));
  // A model that does not load would make every TU fail: say it once, up front.
  for (const std::string &F : Files)
    if (auto Models = modelsOf(Run.effectiveOptions(F), F); !Models) {
      llvm::errs() << "chanlint: error: invalid library model: "
                   << llvm::toString(Models.takeError()) << "\n";
      return ExitModel;
    }
  std::vector<std::string> Enabled = Run.enabledChecks(Files.front());
  if (Enabled.empty())
    return usageError("no checks enabled (see --checks and the Checks of .clang-tidy)");

  if (O.ListChecks) {
    llvm::outs() << "Enabled checks:\n";
    for (const std::string &C : Enabled)
      llvm::outs() << "    " << C << "\n";
    return ExitClean;
  }
  if (O.DumpConfig) {
    llvm::outs() << clang::tidy::configurationAsText(Run.effectiveOptions(Files.front()));
    return ExitClean;
  }

  // --- Narrowing: shard, diff, baseline (read up front: fail before the
  // long part).
  if (!O.Shard.empty()) {
    auto Spec = parseShard(O.Shard);
    if (!Spec)
      return usageError(llvm::toString(Spec.takeError()));
    Files = selectShard(Files, *Spec, SrcRoot);
  }
  std::optional<ChangedLines> Changed;
  if (!O.DiffBase.empty() || !O.DiffFile.empty()) {
    // "The repo of the files": the one holding the first source.
    std::string RepoDir =
        Files.empty() ? SrcRoot : llvm::sys::path::parent_path(Files.front()).str();
    auto Lines = loadChangedLines(O, RepoDir);
    if (!Lines)
      return usageError(llvm::toString(Lines.takeError()));
    Changed = std::move(*Lines);
    // An unchanged source can only report in its headers: without a header
    // filter there is nothing it could add.
    llvm::erase_if(Files, [&](const std::string &F) {
      if (Changed->touches(F))
        return false;
      auto Opts = Run.effectiveOptions(F);
      return !Opts.HeaderFilterRegex || Opts.HeaderFilterRegex->empty();
    });
  }
  std::optional<llvm::StringSet<>> BaselinePrints;
  if (!O.Baseline.empty()) {
    auto Prints = readBaselineFingerprints(O.Baseline);
    if (!Prints)
      return usageError(llvm::toString(Prints.takeError()));
    BaselinePrints = std::move(*Prints);
  }

  // --- The analysis.
  std::vector<TUResult> Results;
  {
    ProgressBar Bar(Files.size(), !O.Quiet && stderrIsTerminal(), SrcRoot);
    Results = Run.analyzeAll(Files, O.Jobs, [&](const ProgressEvent &E) {
      if (E.What == ProgressEvent::TimedOut) {
        // Said at once: the run may have long to go.
        Bar.finish();
        llvm::errs() << "chanlint: error: " << displayPath(E.File, SrcRoot)
                     << ": exceeded the time limit of " << O.TUTimeLimit
                     << " s; gave up on it, the other translation units go on\n";
      }
      Bar.update(E);
    });
  }
  size_t TimedOut = llvm::count_if(Results, [](const TUResult &T) { return T.TimedOut; });

  Report Rep = buildReport(std::move(Results), SrcRoot);
  if (BaselinePrints)
    Rep.SuppressedByBaseline = filterFindings(Rep, [&](const Reported &F) {
      return !BaselinePrints->contains(F.Fingerprint);
    });
  if (Changed)
    Rep.OutsideDiff = filterFindings(Rep, [&](const Reported &F) {
      return Changed->contains(F.Diag.Loc.File, F.Diag.Loc.Begin.Line);
    });
  Rep.ExitCode = TimedOut                   ? ExitTimeLimit
                 : !Rep.failedTUs().empty() ? ExitTUFailed
                 : !Rep.Findings.empty()  ? ExitFindings
                                          : ExitClean;

  // --- Reports: the --format output to -o, else to stdout. Next to a
  // structured report in a file, the text report still goes to stdout.
  int Status = Rep.ExitCode;
  bool TextToStdout = !O.Quiet && !FixesToStdout;
  if (O.Format == OutputFormat::Text) {
    if (Output) {
      std::string Text;
      llvm::raw_string_ostream OS(Text);
      writeText(OS, Rep,
                O.Color == ColorMode::Always || (Output->isStdout() && useColor(O.Color)),
                RealFS);
      if (llvm::Error E = Output->write(Text))
        Status = outputError(std::move(E));
    } else if (TextToStdout) {
      writeText(llvm::outs(), Rep, useColor(O.Color), RealFS);
    }
  } else {
    std::string Structured = renderStructured(Rep, O.Format);
    if (!Output) {
      llvm::outs() << Structured;
      llvm::outs().flush();
    } else {
      if (llvm::Error E = Output->write(Structured))
        Status = outputError(std::move(E));
      if (TextToStdout && !Output->isStdout())
        writeText(llvm::outs(), Rep, useColor(O.Color), RealFS);
    }
  }
  for (const TUResult *T : Rep.failedTUs())
    if (T->CompilerErrors.empty() && !T->TimedOut) // a time limit was said at once
      llvm::errs() << "chanlint: error: " << T->File << ": " << T->FailureReason << "\n";
  // Where bounds cut the analysis short: said even with -q, as failed TUs
  // are, since findings past them are missing.
  std::vector<BoundNotice> Bounds = Rep.bounds();
  for (const BoundNotice &B : Bounds) {
    llvm::errs() << "chanlint: warning: ";
    if (!B.Loc.File.empty())
      llvm::errs() << displayPath(B.Loc.File, Rep.SrcRoot) << ":" << B.Loc.Begin.Line << ":"
                   << B.Loc.Begin.Column << ": ";
    llvm::errs() << B.Message << " [chanlint.bound." << B.Bound << "]\n";
  }

  // --- Fixes.
  if (FixesOutput) {
    std::string Main = Rep.TUs.size() == 1 ? Rep.TUs.front().File : "";
    if (llvm::Error E = FixesOutput->write(exportFixesYaml(Rep, Main)))
      Status = outputError(std::move(E));
  }
  if (O.Fix) {
    // As clang-tidy without --fix-errors: a TU that did not compile may
    // have been misread; its fix-its are not applied.
    std::vector<Reported> Fixable;
    llvm::StringSet<> Broken;
    for (const TUResult *T : Rep.failedTUs())
      Broken.insert(T->File);
    unsigned Held = 0;
    for (const Reported &F : Rep.Findings) {
      if (!Broken.contains(F.TU))
        Fixable.push_back(F);
      else if (!F.Diag.Fixes.empty())
        ++Held;
    }
    if (Held)
      llvm::errs() << "chanlint: warning: " << plural(Held, "fix-it", "fix-its")
                   << " not applied: their translation unit has compiler errors\n";
    FixOutcome Fixed = applyFixes(Fixable, [&](llvm::StringRef File) {
      return Run.effectiveOptions(File).FormatStyle.value_or("none");
    });
    for (const std::string &P : Fixed.Problems)
      llvm::errs() << "chanlint: warning: " << P << "\n";
    if (!O.Quiet)
      llvm::errs() << "chanlint: applied " << plural(Fixed.Applied, "fix-it", "fix-its")
                   << " in " << plural(Fixed.ChangedFiles.size(), "file", "files")
                   << (Fixed.Skipped ? ", skipped " + std::to_string(Fixed.Skipped) : "")
                   << "\n";
  }

  // --- Summary.
  if (!O.Quiet) {
    llvm::errs() << suppressedWarningsText(Rep.suppressed()); // as clang-tidy says it
    llvm::errs() << "chanlint: " << plural(Rep.Findings.size(), "finding", "findings")
                 << " in " << plural(Rep.TUs.size(), "translation unit", "translation units");
    if (size_t Failed = Rep.failedTUs().size())
      llvm::errs() << ", " << Failed << " failed to analyse";
    if (TimedOut)
      llvm::errs() << " (" << TimedOut << " over the time limit)";
    if (!Bounds.empty())
      llvm::errs() << ", " << plural(Bounds.size(), "analysis", "analyses")
                   << " cut short by a bound";
    if (BaselinePrints)
      llvm::errs() << ", " << Rep.SuppressedByBaseline << " in the baseline";
    if (Changed)
      llvm::errs() << ", " << Rep.OutsideDiff << " outside the diff";
    llvm::errs() << "\n";
  }
  if (O.Stats) {
    const RunnerStats &S = Run.stats();
    double Wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    llvm::errs() << "chanlint: stats: " << Rep.TUs.size() << " TUs, " << S.Analysed
                 << " analysed, " << S.CacheHits << " from cache, " << S.CacheMisses
                 << " cache misses, " << S.CacheSkipped << " not cacheable, "
                 << S.CacheHitsUnpreprocessed << " hits without preprocessing; ";
    llvm::errs() << llvm::format("%.2f", Wall) << "s wall\n";
  }
  if (TimedOut) {
    // A TU given up on is still being parsed, on a thread that cannot be
    // stopped and uses the Runner: end here, without destructors or joins.
    llvm::outs().flush();
    llvm::errs().flush();
    std::fflush(nullptr);
    std::_Exit(Status);
  }
  return Status;
}

int runMerge(int Argc, const char **Argv) {
  std::vector<std::string> Inputs;
  std::string Output;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef A = Argv[I];
    if (A == "-h" || A == "--help" || A == "-help") {
      llvm::outs() << "USAGE: chanlint merge <a.sarif> <b.sarif>... [-o <all.sarif>]\n\n"
                      "Merges SARIF logs of several chanlint runs (e.g. --shard i/n) into "
                      "one run: the\nrules' union, each result once, every invocation.\n";
      return ExitClean;
    }
    if (A == "-o" || A == "--output") {
      if (++I == Argc)
        return usageError("merge: " + A + " needs a file name");
      Output = Argv[I];
    } else if (A.consume_front("-o=") || A.consume_front("--output=")) {
      Output = A.str();
    } else if (A.starts_with("-") && A != "-") {
      return usageError("merge: unknown option " + A);
    } else {
      Inputs.push_back(A.str());
    }
  }
  if (Inputs.empty())
    return usageError("merge: give the SARIF files to merge");
  auto Target = OutputTarget::check(Output.empty() ? "-" : Output);
  if (!Target)
    return outputError(Target.takeError());
  auto Merged = mergeSarifFiles(Inputs);
  if (!Merged)
    return usageError(llvm::toString(Merged.takeError()));
  if (llvm::Error E = Target->write(jsonText(*Merged, 2) + "\n"))
    return outputError(std::move(E));
  return ExitClean;
}

} // namespace chanlint::driver
