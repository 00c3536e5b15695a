#include "ApplyFixes.h"

#include "AtomicFile.h"
#include "SourceText.h"

#include "clang/Format/Format.h"
#include "clang/Tooling/Core/Replacement.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <memory>

namespace chanlint::driver {

namespace {

class Files {
public:
  const SourceText *get(const std::string &Path) {
    auto [It, New] = Texts.try_emplace(Path);
    if (New)
      if (auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                                    /*RequiresNullTerminator=*/false))
        It->second = std::make_unique<SourceText>((*Buffer)->getBuffer().str());
    return It->second.get();
  }

private:
  std::map<std::string, std::unique_ptr<SourceText>> Texts;
};

bool alreadyThere(const clang::tooling::Replacements &Set,
                  const clang::tooling::Replacement &R) {
  for (const clang::tooling::Replacement &Old : Set)
    if (Old == R)
      return true;
  return false;
}

} // namespace

FixOutcome applyFixes(llvm::ArrayRef<Reported> Findings,
                      llvm::function_ref<std::string(llvm::StringRef File)> StyleFor) {
  FixOutcome Out;
  Files Sources;
  std::map<std::string, clang::tooling::Replacements> PerFile;

  for (const Reported &F : Findings) {
    const Diagnostic &D = F.Diag;
    if (D.Fixes.empty())
      continue;
    std::string Where = D.Loc.File + ":" + std::to_string(D.Loc.Begin.Line) + ":" +
                        std::to_string(D.Loc.Begin.Column) + " [" + D.Check + "]";
    std::map<std::string, clang::tooling::Replacements> Tentative;
    std::string Problem;
    for (const Replacement &Rep : D.Fixes) {
      const SourceText *T = Sources.get(Rep.File);
      if (!T) {
        Problem = "cannot read " + Rep.File;
        break;
      }
      if (Rep.End.Offset > T->text().size() || T->position(Rep.Begin.Offset) != Rep.Begin ||
          T->position(Rep.End.Offset) != Rep.End) {
        Problem = Rep.File + " changed since it was analysed";
        break;
      }
      auto [It, New] = Tentative.try_emplace(Rep.File);
      if (New)
        It->second = PerFile[Rep.File];
      clang::tooling::Replacement R(Rep.File, Rep.offset(), Rep.length(), Rep.Text);
      if (alreadyThere(It->second, R))
        continue;
      if (llvm::Error E = It->second.add(R)) {
        Problem = "its edits conflict with another fix: " + llvm::toString(std::move(E));
        break;
      }
    }
    if (!Problem.empty()) {
      ++Out.Skipped;
      Out.Problems.push_back("fix-it of " + Where + " not applied: " + Problem);
      continue;
    }
    for (auto &[File, Set] : Tentative)
      PerFile[File] = std::move(Set);
    ++Out.Applied;
  }

  for (auto &[File, Set] : PerFile) {
    const SourceText *T = Sources.get(File);
    llvm::StringRef Code = T->text();
    clang::tooling::Replacements Final = Set;
    auto Style = clang::format::getStyle(StyleFor(File), File, "none");
    if (!Style) {
      Out.Problems.push_back(File + ": " + llvm::toString(Style.takeError()) +
                             "; fixes applied without cleanup");
    } else {
      if (auto Cleaned = clang::format::cleanupAroundReplacements(Code, Final, *Style))
        Final = std::move(*Cleaned);
      else
        llvm::consumeError(Cleaned.takeError());
      if (!Style->DisableFormat) {
        if (auto Formatted = clang::format::formatReplacements(Code, Final, *Style))
          Final = std::move(*Formatted);
        else
          llvm::consumeError(Formatted.takeError());
      }
    }
    auto NewCode = clang::tooling::applyAllReplacements(Code, Final);
    if (!NewCode) {
      Out.Problems.push_back(File + ": " + llvm::toString(NewCode.takeError()));
      continue;
    }
    if (*NewCode == Code)
      continue;
    // Write through a symlink to its target, not over the link.
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(File, Real))
      Real = File;
    if (llvm::Error E = writeFileAtomically(Real, *NewCode)) {
      Out.Problems.push_back(llvm::toString(std::move(E)));
      continue;
    }
    Out.ChangedFiles.push_back(File);
  }
  return Out;
}

} // namespace chanlint::driver
