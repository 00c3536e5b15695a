// Union-find over access paths with congruence: once `p` and `q` are one
// object, `p.out` and `q.out` are one object too, whichever was seen first.
// Copies of handles, references, captures, parameter bindings, container
// insertions and returns all become unions here; a channel's identity is the
// representative node of its path.
#pragma once

#include "AccessPath.h"

#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <vector>

namespace chanlint {

using ObjectId = unsigned;

class AliasSets {
public:
  /// The node for a path, created on demand. Invalid paths get a fresh
  /// node that aliases nothing.
  ObjectId node(const AccessPath &P);
  /// The canonical object of a path (same as find(node(P))).
  ObjectId object(const AccessPath &P) { return find(node(P)); }
  ObjectId find(ObjectId N);
  void unite(ObjectId A, ObjectId B);
  void unite(const AccessPath &A, const AccessPath &B) {
    if (A.Valid && B.Valid)
      unite(node(A), node(B));
  }
  /// True when the object is (part of) an element of a container.
  bool isElement(ObjectId N) { return InElement[find(N)]; }
  /// The root of the first path that created this object's class.
  const PathRoot *rootOf(ObjectId N);

private:
  ObjectId fresh();
  ObjectId child(ObjectId Parent, PathStep S);
  static uint64_t stepKey(PathStep S);

  std::vector<ObjectId> Parent;
  std::vector<uint8_t> Rank;
  /// Children of each representative, by step.
  std::vector<llvm::DenseMap<uint64_t, ObjectId>> Children;
  llvm::DenseMap<PathRoot, ObjectId> Roots;
  std::vector<PathRoot> RootOfNode; // valid for root nodes only
  std::vector<bool> IsRoot;
  std::vector<bool> InElement;
};

} // namespace chanlint
