// Which named function encloses a source position. A fingerprint made of
// the anchor line's text and its function survives edits elsewhere in the
// file, where a line number would not.
#pragma once

#include "clang/AST/ASTConsumer.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint::driver {

class FunctionContexts {
public:
  /// A consumer that records the function definitions of a TU (outside
  /// system headers). It must outlive nothing: it only fills *this.
  std::unique_ptr<clang::ASTConsumer> makeConsumer();

  /// The qualified name of the innermost named function whose definition
  /// contains Offset of File (absolute, normalized), or "".
  std::string lookup(llvm::StringRef File, unsigned Offset) const;

  struct Span {
    unsigned Begin, End; // file offsets, End inclusive of the last token start
    std::string Name;
  };
  void add(llvm::StringRef File, Span S) { Spans[File].push_back(std::move(S)); }

private:
  llvm::StringMap<std::vector<Span>> Spans;
};

} // namespace chanlint::driver
