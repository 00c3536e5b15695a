// What every finding carries beyond what its rule says, filled in once by
// the engine so that no output has to work it out again: the named
// function around its anchor, and only fix-its that edit the user's own
// text (none in a macro expansion or a system header).
#pragma once

#include "Finding.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace chanlint {

class FindingContext {
public:
  FindingContext(clang::ASTContext &Ctx,
                 llvm::ArrayRef<const clang::FunctionDecl *> Bodies);

  void complete(Finding &F) const;

private:
  struct Span {
    unsigned Begin, End; ///< file offsets of the first and last token
    std::string Name;
  };
  std::string functionAt(clang::SourceLocation Loc) const;
  bool editsOwnText(const clang::FixItHint &H) const;

  const clang::SourceManager &SM;
  llvm::DenseMap<clang::FileID, std::vector<Span>> Spans;
};

} // namespace chanlint
