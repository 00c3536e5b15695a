#include "Fingerprint.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"

namespace chanlint::driver {

std::string normalizeLineText(llvm::StringRef Line) {
  std::string Out;
  bool PendingSpace = false;
  for (char C : Line.trim()) {
    if (llvm::isSpace(C)) {
      PendingSpace = true;
      continue;
    }
    if (PendingSpace)
      Out += ' ';
    PendingSpace = false;
    Out += C;
  }
  return Out;
}

std::string relativePath(llvm::StringRef Path, llvm::StringRef Root) {
  if (Root.empty())
    return "";
  Root = Root.rtrim('/');
  if (!Path.consume_front(Root) || !Path.consume_front("/") || Path.empty())
    return "";
  return llvm::sys::path::convert_to_slash(Path);
}

std::vector<std::string> computeFingerprints(llvm::ArrayRef<Diagnostic> Sorted,
                                             llvm::StringRef SrcRoot) {
  std::vector<std::string> Out;
  llvm::StringMap<unsigned> Seen;
  for (const Diagnostic &D : Sorted) {
    std::string File = relativePath(D.Loc.File, SrcRoot);
    if (File.empty())
      File = D.Loc.File;
    std::string Line = normalizeLineText(D.LineText);
    std::string Identity;
    for (llvm::StringRef Part : {llvm::StringRef(D.Check), llvm::StringRef(File),
                                 llvm::StringRef(Line), llvm::StringRef(D.Context)}) {
      Identity += Part;
      Identity += '\0';
    }
    unsigned Occurrence = Seen[Identity]++;
    Identity += std::to_string(Occurrence);
    Out.push_back(llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(Identity)),
                              /*LowerCase=*/true)
                      .substr(0, 32));
  }
  return Out;
}

} // namespace chanlint::driver
