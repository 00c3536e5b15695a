// Which function bodies can matter to the analysis, decided from the AST
// alone, before a CFG is built. Building a body's IR (its CFG and ops) is
// most of an analysis' time, and most bodies of a TU never touch a
// channel: helpers on strings, numbers, files, the examples of a library
// with heavy headers. A body *touches* channels if it (its parameters, return
// type, locals, expressions, constructor initializers, lambda captures)
// names a type a model tracks, or a type holding one (a member, a template
// argument, through pointers and aliases); calls a modelled function or
// method; or calls, constructs, destroys or holds (a lambda) user code that
// touches channels, transitively.
//
// It must stay a SUPERSET of what OpRecognizer turns into ops and alias
// facts: a body that does not touch channels has no op but calls of other
// such bodies, no fact, no tracked return type, so it is irrelevant to the
// program models (IRCache::relevant) and no rule can find anything in it.
// The analysis skips it on that promise. A new kind of op or fact means a
// new question here, or findings silently disappear.
#pragma once

#include "OpRecognizer.h"
#include "ReachMemo.h"

#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace chanlint {

class ChannelTouch {
public:
  /// Disabled, every body touches channels: the analysis builds IR for all
  /// of them, as it did before this pre-test (to measure it, and to check
  /// that it changes no finding).
  explicit ChannelTouch(const OpRecognizer &R, bool Enabled = true)
      : R(R), Api(R.api()), Enabled(Enabled) {}

  /// True if running F (its definition) may touch channels, tasks or the
  /// library's other handles, itself or through the user code it runs.
  bool touches(const clang::FunctionDecl *F);
  /// True if T names a tracked handle type or holds one.
  bool mentionsHandle(clang::QualType T);

private:
  /// What one body says on its own: whether it names the library, and the
  /// user code it may run.
  struct BodyScan {
    bool Direct = false;
    llvm::SmallVector<const clang::FunctionDecl *, 4> Runs;
  };
  const BodyScan &scan(const clang::FunctionDecl *Def);
  BodyScan scanBody(const clang::FunctionDecl *Def);

  const OpRecognizer &R;
  const ApiIndex &Api;
  const bool Enabled;
  llvm::DenseMap<const clang::FunctionDecl *, BodyScan> Scans;
  ReachMemo<const clang::FunctionDecl *> Functions;
  ReachMemo<const clang::Type *> Types;
};

} // namespace chanlint
