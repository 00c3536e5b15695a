#include "Shard.h"

#include "Fingerprint.h"

#include <algorithm>

namespace chanlint::driver {

llvm::Expected<ShardSpec> parseShard(llvm::StringRef Spec) {
  auto [I, N] = Spec.split('/');
  ShardSpec S;
  if (I.getAsInteger(10, S.Index) || N.getAsInteger(10, S.Count) || S.Count == 0 ||
      S.Index == 0 || S.Index > S.Count)
    return llvm::createStringError(
        "--shard wants i/n with 1 <= i <= n (e.g. --shard 2/4), got '%s'", Spec.str().c_str());
  return S;
}

std::vector<std::string> selectShard(llvm::ArrayRef<std::string> Files, ShardSpec S,
                                     llvm::StringRef SrcRoot) {
  std::vector<std::pair<std::string, std::string>> Keyed; // (relative, absolute)
  for (const std::string &F : Files) {
    std::string Rel = relativePath(F, SrcRoot);
    Keyed.emplace_back(Rel.empty() ? F : Rel, F);
  }
  std::sort(Keyed.begin(), Keyed.end());
  std::vector<std::string> Out;
  for (size_t K = 0; K < Keyed.size(); ++K)
    if (K % S.Count == S.Index - 1)
      Out.push_back(Keyed[K].second);
  std::sort(Out.begin(), Out.end());
  return Out;
}

} // namespace chanlint::driver
