#include "PreprocessedHash.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

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
