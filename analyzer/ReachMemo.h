// "Does this node reach a marked node?" over a graph that is expanded only
// as far as a question needs, with every answer memoized and cycles safe.
// A search that finds no marked node has seen everything reachable from its
// start, so every node it visited is known not to reach one; a search that
// finds one knows it for the nodes on the path it took. Nodes it left open
// are asked again later, never answered from a guess made while a cycle
// was still open (the pitfall of "assume no while in progress").
#pragma once

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace chanlint {

template <typename Node> class ReachMemo {
public:
  using Successors = llvm::SmallVector<Node, 8>;

  /// Expand(N, Succs) says whether N itself is marked and appends the nodes
  /// N leads to; it runs at most once per node and search.
  template <typename ExpandFn> bool reaches(Node Start, ExpandFn &&Expand) {
    if (auto It = Known.find(Start); It != Known.end())
      return It->second;
    struct Open {
      Node N;
      Successors Succs;
      unsigned Next = 0;
    };
    std::vector<Open> Path;
    llvm::DenseSet<Node> Visited;
    auto Enter = [&](Node N) {
      Visited.insert(N);
      Path.push_back({N, {}, 0});
      return Expand(N, Path.back().Succs);
    };
    bool Found = Enter(Start);
    while (!Found && !Path.empty()) {
      Open &Top = Path.back();
      if (Top.Next == Top.Succs.size()) {
        Path.pop_back();
        continue;
      }
      Node S = Top.Succs[Top.Next++];
      if (auto It = Known.find(S); It != Known.end()) {
        Found = It->second;
        continue;
      }
      if (!Visited.contains(S))
        Found = Enter(S);
    }
    if (Found) {
      for (const Open &O : Path)
        Known[O.N] = true;
    } else {
      for (Node N : Visited)
        Known[N] = false;
    }
    return Found;
  }

private:
  llvm::DenseMap<Node, bool> Known;
};

} // namespace chanlint
