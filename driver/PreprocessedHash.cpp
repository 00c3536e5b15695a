#include "PreprocessedHash.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <set>

namespace chanlint::driver {

namespace {

class HashAction : public clang::PreprocessorFrontendAction {
public:
  explicit HashAction(PreprocessedHasher &Out) : Out(Out) {}

protected:
  void ExecuteAction() override {
    clang::CompilerInstance &CI = getCompilerInstance();
    clang::Preprocessor &PP = CI.getPreprocessor();
    PP.EnterMainSourceFile();
    // Tokens, with the whitespace flags that tell "a b" from "ab".
    std::string Stream;
    llvm::SmallString<128> Buffer;
    clang::Token Tok;
    do {
      PP.Lex(Tok);
      if (Tok.isAnnotation())
        continue;
      Stream += PP.getSpelling(Tok, Buffer);
      Stream += Tok.isAtStartOfLine() ? '\n' : Tok.hasLeadingSpace() ? ' ' : '\0';
      if (Stream.size() > (1u << 20)) {
        Out.add(Stream);
        Stream.clear();
      }
    } while (Tok.isNot(clang::tok::eof));
    Out.add(Stream);

    // Every file read, in name order (the map's order is not stable).
    clang::SourceManager &SM = CI.getSourceManager();
    std::vector<std::pair<llvm::StringRef, llvm::StringRef>> Files;
    for (auto It = SM.fileinfo_begin(), E = SM.fileinfo_end(); It != E; ++It)
      if (auto Data = It->second->getBufferDataIfLoaded())
        Files.emplace_back(It->first.getName(), *Data);
    std::sort(Files.begin(), Files.end());
    for (const auto &[Name, Data] : Files) {
      Out.add(Name);
      Out.add(Data);
    }
    recordInputs(CI, Files);
  }

  /// The files read and the directories an #include may look in: the
  /// search path, and the directory of every file read (quoted includes).
  void recordInputs(clang::CompilerInstance &CI,
                    llvm::ArrayRef<std::pair<llvm::StringRef, llvm::StringRef>> Files) {
    clang::FileManager &FM = CI.getFileManager();
    llvm::vfs::FileSystem &FS = FM.getVirtualFileSystem();
    auto Absolute = [&](llvm::StringRef Path) {
      llvm::SmallString<256> P(Path);
      FM.makeAbsolutePath(P);
      // Not "..": through a symbolic link it is not the lexical parent.
      llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/false);
      return std::string(P);
    };
    CacheManifest &M = Out.inputs();
    std::set<std::string> Directories;
    for (const auto &[Name, Data] : Files) {
      std::string Path = Absolute(Name);
      Directories.insert(std::string(llvm::sys::path::parent_path(Path)));
      M.Files.push_back({std::move(Path), CacheManifest::digest(Data)});
    }
    clang::HeaderSearch &HS = CI.getPreprocessor().getHeaderSearchInfo();
    for (const clang::DirectoryLookup &L : HS.search_dir_range())
      if (L.getDirRef())
        Directories.insert(Absolute(L.getDirRef()->getName()));
    for (const clang::HeaderSearchOptions::Entry &E : HS.getHeaderSearchOpts().UserEntries)
      Directories.insert(Absolute(E.Path)); // also those that do not exist (yet)
    for (const std::string &D : Directories)
      M.Directories.push_back(
          {D, CacheManifest::modifiedNs(FS, D).value_or(CacheManifest::MissingDirectory)});
  }

private:
  PreprocessedHasher &Out;
};

} // namespace

std::unique_ptr<clang::FrontendAction> PreprocessedHasher::create() {
  return std::make_unique<HashAction>(*this);
}

bool PreprocessedHasher::runInvocation(
    std::shared_ptr<clang::CompilerInvocation> Invocation, clang::FileManager *Files,
    std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
    clang::DiagnosticConsumer *DiagConsumer) {
  Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
  return FrontendActionFactory::runInvocation(std::move(Invocation), Files,
                                              std::move(PCHContainerOps), DiagConsumer);
}

void PreprocessedHasher::add(llvm::StringRef Field) {
  uint64_t Size = Field.size();
  Hash.update(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(&Size), sizeof Size));
  Hash.update(Field);
}

std::string PreprocessedHasher::finish() {
  auto Digest = Hash.final();
  return llvm::toHex(Digest, /*LowerCase=*/true);
}

} // namespace chanlint::driver
