#include "Baseline.h"

#include "Fingerprint.h"

#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace chanlint::driver {

llvm::Expected<llvm::StringSet<>> readBaselineFingerprints(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(Path);
  if (!Buffer)
    return llvm::createStringError("cannot read baseline %s: %s", Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  json Log = json::parse((*Buffer)->getBuffer().begin(), (*Buffer)->getBuffer().end(),
                         nullptr, /*allow_exceptions=*/false);
  if (!Log.is_object() || !Log.contains("runs") || !Log["runs"].is_array())
    return llvm::createStringError("baseline %s is not a SARIF log (no \"runs\")",
                                   Path.str().c_str());
  llvm::StringSet<> Prints;
  for (const json &Run : Log["runs"]) {
    if (!Run.is_object() || !Run.contains("results") || !Run["results"].is_array())
      continue;
    for (const json &Result : Run["results"]) {
      if (!Result.is_object() || !Result.contains("partialFingerprints"))
        continue;
      const json &P = Result["partialFingerprints"];
      if (P.is_object() && P.contains(FingerprintKey) && P[FingerprintKey].is_string())
        Prints.insert(P[FingerprintKey].get<std::string>());
    }
  }
  return Prints;
}

} // namespace chanlint::driver
