#include "OptionsProvider.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"

using clang::tidy::ClangTidyGlobalOptions;
using clang::tidy::ClangTidyOptions;
using clang::tidy::ClangTidyOptionsProvider;

namespace chanlint::driver {

llvm::Expected<chanlint::ModelSet> modelsOf(const ClangTidyOptions &Options,
                                            llvm::StringRef File) {
  auto It = Options.CheckOptions.find(chanlint::ModelFilesOption);
  return chanlint::modelsNamedBy(It == Options.CheckOptions.end() ? "" : It->second.Value,
                                 File);
}

bool mentionsChanChecks(llvm::StringRef Checks) {
  llvm::SmallVector<llvm::StringRef> Globs;
  Checks.split(Globs, ',', -1, false);
  for (llvm::StringRef G : Globs) {
    G = G.trim();
    G.consume_front("-");
    if (G.trim().starts_with("chan"))
      return true;
  }
  return false;
}

namespace {

/// Applies chanlint's rule about `Checks` to clang-tidy's layered sources.
class ChanAwareProvider : public ClangTidyOptionsProvider {
public:
  explicit ChanAwareProvider(std::unique_ptr<ClangTidyOptionsProvider> Inner)
      : Inner(std::move(Inner)) {}

  const ClangTidyGlobalOptions &getGlobalOptions() override {
    return Inner->getGlobalOptions();
  }

  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources = Inner->getRawOptions(FileName);
    for (OptionsSource &S : Sources) {
      // The defaults and --checks are chanlint's own; every other source
      // is a configuration written by someone.
      if (S.second == OptionsSourceTypeDefaultBinary ||
          S.second == OptionsSourceTypeCheckCommandLineOption)
        continue;
      if (S.first.Checks && !mentionsChanChecks(*S.first.Checks))
        S.first.Checks.reset();
    }
    return Sources;
  }

private:
  std::unique_ptr<ClangTidyOptionsProvider> Inner;
};

llvm::Error checkRegex(llvm::StringRef What, const std::optional<std::string> &R) {
  if (!R)
    return llvm::Error::success();
  std::string Why;
  if (!llvm::Regex(*R).isValid(Why))
    return llvm::createStringError("invalid %s '%s': %s", What.str().c_str(),
                                   R->c_str(), Why.c_str());
  return llvm::Error::success();
}

/// Parses YAML configuration text, collecting the parser's messages instead
/// of letting them go to stderr.
llvm::Expected<ClangTidyOptions> parseConfig(llvm::StringRef Text,
                                             llvm::StringRef Name) {
  std::string Messages;
  auto Parsed = clang::tidy::parseConfigurationWithDiags(
      llvm::MemoryBufferRef(Text, Name), [&](const llvm::SMDiagnostic &D) {
        if (!Messages.empty())
          Messages += "; ";
        Messages += std::to_string(D.getLineNo()) + ":" +
                    std::to_string(D.getColumnNo() + 1) + ": " +
                    D.getMessage().str();
      });
  if (!Parsed)
    return llvm::createStringError(
        "invalid configuration %s: %s", Name.str().c_str(),
        Messages.empty() ? Parsed.getError().message().c_str() : Messages.c_str());
  return std::move(*Parsed);
}

} // namespace

llvm::Expected<OptionsFactory> OptionsFactory::create(const TidyOptionsSpec &Spec) {
  OptionsFactory F;
  F.Validated = std::make_shared<std::pair<std::mutex, llvm::StringSet<>>>();

  F.Defaults.Checks = DefaultChecks;
  F.Defaults.WarningsAsErrors = "";
  F.Defaults.HeaderFilterRegex = "";
  F.Defaults.ExcludeHeaderFilterRegex = "";
  F.Defaults.SystemHeaders = false;
  F.Defaults.FormatStyle = "none";
  // No User: it would make results depend on who runs chanlint.

  F.Overrides.Checks = Spec.Checks;
  F.Overrides.HeaderFilterRegex = Spec.HeaderFilter;
  F.Overrides.ExcludeHeaderFilterRegex = Spec.ExcludeHeaderFilter;
  F.Overrides.SystemHeaders = Spec.SystemHeaders;
  if (!Spec.ExtraArgs.empty())
    F.Overrides.ExtraArgs = Spec.ExtraArgs;
  if (!Spec.ExtraArgsBefore.empty())
    F.Overrides.ExtraArgsBefore = Spec.ExtraArgsBefore;
  if (!Spec.ModelFiles.empty())
    F.Overrides.CheckOptions[chanlint::ModelFilesOption] =
        clang::tidy::ClangTidyOptions::ClangTidyValue(llvm::join(Spec.ModelFiles, ";"));

  if (auto E = checkRegex("--header-filter", Spec.HeaderFilter))
    return std::move(E);
  if (auto E = checkRegex("--exclude-header-filter", Spec.ExcludeHeaderFilter))
    return std::move(E);

  if (!Spec.Config.empty() && !Spec.ConfigFile.empty())
    return llvm::createStringError("--config and --config-file are mutually exclusive");
  if (!Spec.Config.empty()) {
    auto Parsed = parseConfig(Spec.Config, "<--config>");
    if (!Parsed)
      return Parsed.takeError();
    F.Config = std::move(*Parsed);
  } else if (!Spec.ConfigFile.empty()) {
    auto Buffer = llvm::MemoryBuffer::getFile(Spec.ConfigFile);
    if (!Buffer)
      return llvm::createStringError("cannot read --config-file '%s': %s",
                                     Spec.ConfigFile.c_str(),
                                     Buffer.getError().message().c_str());
    auto Parsed = parseConfig((*Buffer)->getBuffer(), Spec.ConfigFile);
    if (!Parsed)
      return Parsed.takeError();
    F.Config = std::move(*Parsed);
  }
  if (F.Config) {
    if (auto E = checkRegex("HeaderFilterRegex", F.Config->HeaderFilterRegex))
      return std::move(E);
  }
  return F;
}

std::unique_ptr<ClangTidyOptionsProvider>
OptionsFactory::makeProvider(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) const {
  std::unique_ptr<ClangTidyOptionsProvider> Inner;
  if (Config)
    Inner = std::make_unique<clang::tidy::ConfigOptionsProvider>(
        Global, Defaults, *Config, Overrides, std::move(FS));
  else
    Inner = std::make_unique<clang::tidy::FileOptionsProvider>(
        Global, Defaults, Overrides, std::move(FS));
  return std::make_unique<ChanAwareProvider>(std::move(Inner));
}

llvm::Error OptionsFactory::validateFor(llvm::StringRef File,
                                        llvm::vfs::FileSystem &FS) const {
  if (Config)
    return llvm::Error::success(); // .clang-tidy files are not read
  // The walk FileOptionsProvider makes: up from the file's directory to the
  // first .clang-tidy that does not inherit its parent's.
  llvm::SmallString<256> Dir(llvm::sys::path::parent_path(File));
  for (; !Dir.empty(); Dir = llvm::sys::path::parent_path(Dir)) {
    {
      std::lock_guard<std::mutex> Lock(Validated->first);
      if (!Validated->second.insert(Dir).second)
        return llvm::Error::success(); // this directory and its parents: done
    }
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, ".clang-tidy");
    auto Status = FS.status(Path);
    if (!Status || Status->isDirectory())
      continue;
    auto Buffer = FS.getBufferForFile(Path);
    if (!Buffer)
      return llvm::createStringError("cannot read %s: %s", Path.c_str(),
                                     Buffer.getError().message().c_str());
    auto Parsed = parseConfig((*Buffer)->getBuffer(), Path);
    if (!Parsed)
      return Parsed.takeError();
    if (auto E = checkRegex(("HeaderFilterRegex in " + Path).str(),
                            Parsed->HeaderFilterRegex))
      return E;
    if (!Parsed->InheritParentConfig.value_or(false))
      return llvm::Error::success();
  }
  return llvm::Error::success();
}

} // namespace chanlint::driver
