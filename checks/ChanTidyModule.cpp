// The `chan` clang-tidy module: registers the chan-* checks.
#include "MultiSenderCloseCheck.h"
#include "ReceiverCloseCheck.h"
#include "TickerNotStoppedCheck.h"
#include "UnguardedSendCheck.h"

#include "ClangTidyModule.h"
#include "ClangTidyModuleRegistry.h"

namespace clang::tidy::chan {

namespace {

class ChanModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<ReceiverCloseCheck>("chan-receiver-close");
    Factories.registerCheck<MultiSenderCloseCheck>("chan-multi-sender-close");
    Factories.registerCheck<UnguardedSendCheck>("chan-unguarded-send");
    Factories.registerCheck<TickerNotStoppedCheck>("chan-ticker-not-stopped");
  }
};

} // namespace

static ClangTidyModuleRegistry::Add<ChanModule>
    X("chan-module", "Checks for Go-style channel code written with chan.");

} // namespace clang::tidy::chan

// Referenced by the standalone driver so that the linker keeps the module.
volatile int ChanModuleAnchorSource = 0; // NOLINT(misc-use-internal-linkage)
