// chan-ticker-not-stopped: see docs/checks/chan-ticker-not-stopped.md for the rule.
// The analysis lives in analyzer/; this check only reports its findings.
#pragma once

#include "ChanCheck.h"

namespace clang::tidy::chan {

class TickerNotStoppedCheck : public ChanCheck {
public:
  TickerNotStoppedCheck(StringRef Name, ClangTidyContext *Context)
      : ChanCheck(Name, Context, chanlint::CheckId::TickerNotStopped) {}

  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "CheckTimers", ruleOptions().CheckTimers);
  }
};

} // namespace clang::tidy::chan
