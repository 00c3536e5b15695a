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
/// and are not prepared for it (a try block that catches the error, a
/// "closed" status that the code tests).
std::vector<const Event *> concurrentSenders(RuleContext &RC,
                                             const Event &Close);

/// True if chan-receiver-close reports this close with Send among its
/// concurrent senders: the closing party does not send on the channel, and
/// Send, another party's, may run while it closes and does not expect the
/// close. That check owns the race (the close is the bug, the send its
/// note); chan-unguarded-send does not report the send for it.
bool receiverCloseOwns(RuleContext &RC, const Event &Close, const Event &Send);

/// True if the close races with sends, which chan-receiver-close or
/// chan-multi-sender-close report: a sender party that runs many times
/// closes, or another party may send at the same time. Those checks own the
/// close (their fix removes it); the other closing checks stay quiet on it,
/// so that one bug gets one warning.
bool closeRacesWithSends(RuleContext &RC, const Event &Close);

/// True if the close only runs once its channel is known to be open by a
/// check-and-set of a flag in the same function: `if (!closed_) { closed_ =
/// true; ch.close(); }`, `if (!done.exchange(true)) ch.close();`.
bool closeGuardedByFlag(RuleContext &RC, const clang::Stmt *CloseSite);

/// True if each iteration of a loop around both events works on a channel
/// of its own: the channel is made inside the innermost loop that holds
/// both sites.
bool channelPerIteration(RuleContext &RC, const Event &A, const Event &B);

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
