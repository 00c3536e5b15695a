// Reads a library model from its JSON text (format: docs/models.md) into an
// ApiModel. Strict: a syntax error, an unknown key, a value of the wrong
// type or a missing required key is an error naming the file, the key's
// path and the problem, e.g.
//   models/mine.json: channels[0].direction: must be one of "both", "send", "recv"
#pragma once

#include "ApiModel.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace chanlint {

/// Parses the model text of Source (its name in messages).
llvm::Expected<ApiModel> parseModel(llvm::StringRef Text, llvm::StringRef Source);

} // namespace chanlint
