// Access paths name the objects the analysis tracks (channels, wait groups,
// threads, tickers, contexts): a root (a variable in one frame, `this`, a
// global, a call's result) followed by steps (struct members, container
// elements, a context's done channel, a timer's channel).
//
// Paths are what handles *are* in the analysis: two expressions denote the
// same channel when their paths are unified by the alias sets.
#pragma once

#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace clang {
class ValueDecl;
class FieldDecl;
class Expr;
class CXXRecordDecl;
} // namespace clang

namespace chanlint {

/// Identifies a frame (one instance of a function body in a root's model).
using FrameId = unsigned;
constexpr FrameId NoFrame = ~0u;

struct PathRoot {
  enum class Kind : uint8_t {
    Var,    ///< a local or parameter living in one frame
    Global, ///< a namespace-scope or static variable
    This,   ///< the object a root entry method runs on
    Return, ///< the value a frame returns
    Temp,   ///< an object without a name (fresh, never aliased by itself)
  };
  Kind K = Kind::Temp;
  const void *Ptr = nullptr; // ValueDecl, CXXRecordDecl or Expr
  FrameId Frame = NoFrame;

  static PathRoot var(const clang::ValueDecl *D, FrameId F) {
    return {Kind::Var, D, F};
  }
  static PathRoot global(const clang::ValueDecl *D) {
    return {Kind::Global, D, NoFrame};
  }
  static PathRoot thisObject(const clang::CXXRecordDecl *RD) {
    return {Kind::This, RD, NoFrame};
  }
  static PathRoot returned(FrameId F) { return {Kind::Return, nullptr, F}; }
  static PathRoot temp(const clang::Expr *E, FrameId F) {
    return {Kind::Temp, E, F};
  }
  friend bool operator==(const PathRoot &A, const PathRoot &B) {
    return A.K == B.K && A.Ptr == B.Ptr && A.Frame == B.Frame;
  }
};

/// One step below a root. Field steps carry the FieldDecl; the others are
/// synthetic selectors.
struct PathStep {
  enum class Kind : uint8_t { Field, Element, ContextDone, TimerChannel, GroupContext };
  Kind K = Kind::Field;
  const clang::FieldDecl *Field = nullptr;

  static PathStep field(const clang::FieldDecl *F) { return {Kind::Field, F}; }
  static PathStep element() { return {Kind::Element, nullptr}; }
  static PathStep contextDone() { return {Kind::ContextDone, nullptr}; }
  static PathStep timerChannel() { return {Kind::TimerChannel, nullptr}; }
  static PathStep groupContext() { return {Kind::GroupContext, nullptr}; }
  friend bool operator==(const PathStep &A, const PathStep &B) {
    return A.K == B.K && A.Field == B.Field;
  }
};

struct AccessPath {
  PathRoot Root;
  llvm::SmallVector<PathStep, 2> Steps;
  bool Valid = false; ///< false: the expression does not name a trackable object

  static AccessPath invalid() { return {}; }
  static AccessPath of(PathRoot R) {
    AccessPath P;
    P.Root = R;
    P.Valid = true;
    return P;
  }
  AccessPath with(PathStep S) const {
    AccessPath P = *this;
    if (P.Valid)
      P.Steps.push_back(S);
    return P;
  }
};

} // namespace chanlint

namespace llvm {
template <> struct DenseMapInfo<chanlint::PathRoot> {
  static chanlint::PathRoot getEmptyKey() {
    return {chanlint::PathRoot::Kind::Temp,
            DenseMapInfo<const void *>::getEmptyKey(), chanlint::NoFrame};
  }
  static chanlint::PathRoot getTombstoneKey() {
    return {chanlint::PathRoot::Kind::Temp,
            DenseMapInfo<const void *>::getTombstoneKey(), chanlint::NoFrame};
  }
  static unsigned getHashValue(const chanlint::PathRoot &R) {
    return static_cast<unsigned>(
        hash_combine(static_cast<int>(R.K), R.Ptr, R.Frame));
  }
  static bool isEqual(const chanlint::PathRoot &A, const chanlint::PathRoot &B) {
    return A == B;
  }
};
} // namespace llvm
