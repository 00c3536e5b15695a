// Facts about close events shared by the closing rules: who else sends,
// and how to remove a close as a fix-it.
#pragma once

#include "RuleContext.h"

#include <optional>

namespace chanlint {

/// True if party P sends on the channel anywhere (any frame of P).
bool partySends(const ProgramModel &M, PartyId P, ObjectId Channel,
                AliasSets &A);

/// Send events of other parties that may run at the same time as the close
/// and are not prepared for it (a try block that catches the error).
std::vector<const Event *> concurrentSenders(RuleContext &RC,
                                             const Event &Close);

/// Removes the statement that performs the close: `ch.close();`, or the
/// whole `chan::Defer`/`once.call` statement whose callable only closes.
/// Only for code written in the party's own body, never through a helper.
std::optional<clang::FixItHint> removeCloseFix(RuleContext &RC,
                                               const Event &Close);

/// Adds a note at each call that led from the party's body to the event.
void noteCallPath(RuleContext &RC, const Event &E, Finding &F);

/// Adds notes at the first send of each concurrent sender party, and at
/// where that sender is started.
void noteSenders(RuleContext &RC, const std::vector<const Event *> &Senders,
                 const std::string &Channel, Finding &F);

} // namespace chanlint
