// chan-receiver-close: see docs/checks/chan-receiver-close.md for the rule.
// The analysis lives in analyzer/; this check only reports its findings.
#pragma once

#include "ChanCheck.h"

namespace clang::tidy::chan {

class ReceiverCloseCheck : public ChanCheck {
public:
  ReceiverCloseCheck(StringRef Name, ClangTidyContext *Context)
      : ChanCheck(Name, Context, chanlint::CheckId::ReceiverClose) {}
};

} // namespace clang::tidy::chan
