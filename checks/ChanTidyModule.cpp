// The `chan` clang-tidy module: one check per catalogue entry
// (analyzer/CheckCatalog.cpp), all of them the same shell over the shared
// analysis.
#include "ChanCheck.h"

#include "ClangTidyModule.h"
#include "ClangTidyModuleRegistry.h"

namespace clang::tidy::chan {

namespace {

class ChanModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    for (const chanlint::CheckInfo &Info : chanlint::allChecks()) {
      chanlint::CheckId Id = Info.id();
      Factories.registerCheckFactory(
          Info.Name, [Id](StringRef Name, ClangTidyContext *Context) {
            return std::make_unique<ChanCheck>(Name, Context, Id);
          });
    }
  }
};

} // namespace

static ClangTidyModuleRegistry::Add<ChanModule>
    X("chan-module", "Checks for Go-style channel code written with chan.");

} // namespace clang::tidy::chan

// Referenced by the standalone driver so that the linker keeps the module.
volatile int ChanModuleAnchorSource = 0; // NOLINT(misc-use-internal-linkage)
