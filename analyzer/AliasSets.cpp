#include "AliasSets.h"

#include <utility>

namespace chanlint {

ObjectId AliasSets::fresh() {
  auto N = static_cast<ObjectId>(Parent.size());
  Parent.push_back(N);
  Rank.push_back(0);
  Children.emplace_back();
  RootOfNode.emplace_back();
  IsRoot.push_back(false);
  InElement.push_back(false);
  return N;
}

ObjectId AliasSets::find(ObjectId N) {
  while (Parent[N] != N) {
    Parent[N] = Parent[Parent[N]];
    N = Parent[N];
  }
  return N;
}

uint64_t AliasSets::stepKey(PathStep S) {
  // Field pointers are aligned, so the low bits are free for the kind.
  return reinterpret_cast<uintptr_t>(S.Field) ^ static_cast<uint64_t>(S.K);
}

ObjectId AliasSets::child(ObjectId ParentNode, PathStep S) {
  ObjectId Rep = find(ParentNode);
  uint64_t Key = stepKey(S);
  auto It = Children[Rep].find(Key);
  if (It != Children[Rep].end())
    return find(It->second);
  ObjectId C = fresh();
  Children[Rep][Key] = C; // Rep's map may have been reallocated by fresh()
  InElement[C] = S.K == PathStep::Kind::Element || InElement[Rep];
  return C;
}

ObjectId AliasSets::node(const AccessPath &P) {
  if (!P.Valid)
    return fresh();
  ObjectId N;
  auto It = Roots.find(P.Root);
  if (It != Roots.end()) {
    N = It->second;
  } else {
    N = fresh();
    Roots[P.Root] = N;
    RootOfNode[N] = P.Root;
    IsRoot[N] = true;
  }
  for (const PathStep &S : P.Steps)
    N = child(N, S);
  return find(N);
}

void AliasSets::unite(ObjectId A, ObjectId B) {
  // Iterative to keep deep struct nests from recursing.
  std::vector<std::pair<ObjectId, ObjectId>> Work{{A, B}};
  while (!Work.empty()) {
    auto [X, Y] = Work.back();
    Work.pop_back();
    X = find(X);
    Y = find(Y);
    if (X == Y)
      continue;
    if (Rank[X] < Rank[Y])
      std::swap(X, Y);
    if (Rank[X] == Rank[Y])
      ++Rank[X];
    Parent[Y] = X;
    InElement[X] = InElement[X] || InElement[Y];
    if (!IsRoot[X] && IsRoot[Y]) {
      RootOfNode[X] = RootOfNode[Y];
      IsRoot[X] = true;
    }
    auto Moved = std::move(Children[Y]);
    Children[Y].clear();
    for (auto &[Key, C] : Moved) {
      auto It = Children[X].find(Key);
      if (It == Children[X].end())
        Children[X][Key] = C;
      else
        Work.emplace_back(It->second, C);
    }
  }
}

const PathRoot *AliasSets::rootOf(ObjectId N) {
  N = find(N);
  return IsRoot[N] ? &RootOfNode[N] : nullptr;
}

} // namespace chanlint
