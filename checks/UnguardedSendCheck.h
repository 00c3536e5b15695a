// chan-unguarded-send: see docs/checks/chan-unguarded-send.md for the rule.
// The analysis lives in analyzer/; this check only reports its findings.
#pragma once

#include "ChanCheck.h"

namespace clang::tidy::chan {

class UnguardedSendCheck : public ChanCheck {
public:
  UnguardedSendCheck(StringRef Name, ClangTidyContext *Context)
      : ChanCheck(Name, Context, chanlint::CheckId::UnguardedSend) {}

  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "WarnWhenContextIgnored",
                  ruleOptions().WarnWhenContextIgnored);
  }
};

} // namespace clang::tidy::chan
