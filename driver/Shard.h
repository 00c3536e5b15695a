// --shard i/n: split the TUs of a compilation database across n CI
// machines. Files are sorted by their path relative to the source root
// (the same on every machine of one pipeline) and dealt out in turn: shard
// i gets the i-th, (i+n)-th, ... file. The shards are disjoint, together
// they are the whole, and their sizes differ by at most one.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace chanlint::driver {

struct ShardSpec {
  unsigned Index = 1; ///< 1-based, as CI systems number their nodes
  unsigned Count = 1;
};

llvm::Expected<ShardSpec> parseShard(llvm::StringRef Spec);

std::vector<std::string> selectShard(llvm::ArrayRef<std::string> Files, ShardSpec S,
                                     llvm::StringRef SrcRoot);

} // namespace chanlint::driver
