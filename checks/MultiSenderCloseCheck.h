// chan-multi-sender-close: see docs/checks/chan-multi-sender-close.md for the rule.
// The analysis lives in analyzer/; this check only reports its findings.
#pragma once

#include "ChanCheck.h"

namespace clang::tidy::chan {

class MultiSenderCloseCheck : public ChanCheck {
public:
  MultiSenderCloseCheck(StringRef Name, ClangTidyContext *Context)
      : ChanCheck(Name, Context, chanlint::CheckId::MultiSenderClose) {}
};

} // namespace clang::tidy::chan
