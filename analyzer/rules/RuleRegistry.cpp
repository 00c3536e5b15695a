#include "RuleRegistry.h"

namespace chanlint {

namespace {

// A function-local static: registrations run during static initialisation,
// in whatever order the linker put the rule files.
std::vector<Rule> &registry() {
  static std::vector<Rule> Rules;
  return Rules;
}

} // namespace

llvm::ArrayRef<Rule> RuleRegistry::all() { return registry(); }

RuleRegistry::Add::Add(llvm::StringRef Check, ProgramRuleFn Fn) {
  registry().push_back(Rule{Check, Fn, nullptr});
}

RuleRegistry::Add::Add(llvm::StringRef Check, FunctionRuleFn Fn) {
  registry().push_back(Rule{Check, nullptr, Fn});
}

} // namespace chanlint
