// The models an analysis uses: the built-in ones (models/*.json, compiled
// in) and the user's model files, named by the option
//   CheckOptions: { chanlint.ModelFiles: 'models/queue.json;third_party/q.json' }
// in .clang-tidy (or --config), by the driver's --model, or by the language
// server's `modelFiles` setting. All are active at once: a type picks its
// model. A relative path is relative to the directory of the .clang-tidy
// file that names it (the nearest one above the analysed file that
// mentions the option), else to the working directory (docs/models.md).
#pragma once

#include "ApiModel.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint {

/// The CheckOptions key every chan-* check reads (a global option).
inline constexpr llvm::StringLiteral ModelFilesOption = "chanlint.ModelFiles";

class ModelSet {
public:
  /// The built-in models only.
  static ModelSet builtin();
  /// The built-in models, then those of Paths (absolute, or relative to
  /// the working directory). A file that cannot be read or is not a valid
  /// model is an Error naming it, the key and the problem. A file's parse
  /// is shared while its text stays the same. Thread-safe.
  static llvm::Expected<ModelSet> withFiles(llvm::ArrayRef<std::string> Paths);

  const std::vector<std::shared_ptr<const ApiModel>> &models() const { return Models; }
  /// Identifies the models by content: names of the built-in ones, a hash of
  /// each user file's text.
  const std::string &fingerprint() const { return Fingerprint; }

private:
  std::vector<std::shared_ptr<const ApiModel>> Models;
  std::string Fingerprint;
};

/// The models the option value of File's configuration names (empty: the
/// built-in ones only).
llvm::Expected<ModelSet> modelsNamedBy(llvm::StringRef OptionValue, llvm::StringRef File);

/// The paths an option value names (separated by ';' or ','), relative ones
/// made absolute against BaseDir.
std::vector<std::string> modelPaths(llvm::StringRef OptionValue, llvm::StringRef BaseDir);

/// Where relative model paths named in the configuration of File start:
/// the directory of the nearest .clang-tidy above File whose text mentions
/// ModelFilesOption, else the working directory.
std::string modelBaseDirectory(llvm::StringRef File);

} // namespace chanlint
