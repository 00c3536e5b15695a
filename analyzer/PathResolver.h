// Resolves expressions to access paths in a frame of a ProgramModel, and
// records where channels are created (with their capacity) on the way.
#pragma once

#include "ProgramModel.h"

namespace chanlint {

class PathResolver {
public:
  PathResolver(ProgramModel &M, const OpRecognizer &R) : M(M), R(R) {}

  AccessPath resolve(const clang::Expr *E, FrameId F);
  /// The frame in F's lexical chain that declares D, or NoFrame.
  FrameId ownerFrame(const clang::ValueDecl *D, FrameId F) const;
  /// The path of a variable seen from frame F.
  AccessPath varPath(const clang::ValueDecl *D, FrameId F) const;

private:
  AccessPath fresh(const clang::Expr *E, FrameId F, const clang::Expr *Capacity);

  ProgramModel &M;
  const OpRecognizer &R;
};

} // namespace chanlint
