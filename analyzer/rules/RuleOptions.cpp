#include "RuleOptions.h"

namespace chanlint {

bool RuleOptions::flag(CheckId Check, llvm::StringRef Name) const {
  auto It = Values.find({Check.Index, Name.str()});
  if (It != Values.end())
    return It->second;
  for (const CheckOption &O : checkInfo(Check).Options)
    if (O.Name == Name)
      return O.Default;
  return false;
}

void RuleOptions::set(CheckId Check, llvm::StringRef Name, bool Value) {
  Values[{Check.Index, Name.str()}] = Value;
}

std::string RuleOptions::fingerprint() const {
  std::string F;
  for (const auto &[Key, Value] : Values)
    F += checkInfo(CheckId{Key.first}).Name.str() + "." + Key.second + "=" +
         (Value ? "1" : "0") + ";";
  return F;
}

} // namespace chanlint
