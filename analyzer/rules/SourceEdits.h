// Source text and edits for findings: spelling an expression, finding the
// statement around an expression, removing a statement cleanly and
// inserting a statement after another. Never edits inside macros.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Diagnostic.h"

#include <optional>
#include <string>

namespace chanlint {

/// The source text of a node, or "" when it comes from a macro.
std::string sourceText(clang::SourceRange R, const clang::ASTContext &Ctx);
std::string sourceText(const clang::Stmt *S, const clang::ASTContext &Ctx);

/// A short name for a channel expression in messages ("jobs", "p.out").
std::string channelName(const clang::Expr *E, const clang::ASTContext &Ctx);

/// The statement directly inside a compound statement that contains E, or
/// null when E sits in a condition, initializer or other non-statement
/// position.
const clang::Stmt *enclosingStatement(const clang::Stmt *E,
                                      clang::ASTContext &Ctx);

/// The nearest loop around S inside the same function body, or null.
const clang::Stmt *enclosingLoop(const clang::Stmt *S, clang::ASTContext &Ctx);

/// True if the statement (or anything in it) comes from a macro expansion.
bool inMacro(const clang::Stmt *S, const clang::ASTContext &Ctx);

/// Removes a statement and, when it stands alone on its lines, the lines.
std::optional<clang::FixItHint> removeStatement(const clang::Stmt *S,
                                                clang::ASTContext &Ctx);

/// Inserts a statement on a new line after S, with S's indentation.
std::optional<clang::FixItHint>
insertAfterStatement(const clang::Stmt *S, llvm::StringRef Text,
                     clang::ASTContext &Ctx);

/// Inserts a statement right after the declaration of V, when V is declared
/// alone in a statement of a block (`chan::Defer stop_t(...)` after
/// `chan::Ticker t = ...;`).
std::optional<clang::FixItHint>
insertAfterDeclaration(const clang::VarDecl *V, llvm::StringRef Text,
                       clang::ASTContext &Ctx);

/// Inserts a statement on a new line before S, with S's indentation.
std::optional<clang::FixItHint>
insertBeforeStatement(const clang::Stmt *S, llvm::StringRef Text,
                      clang::ASTContext &Ctx);

/// Replaces a statement (without its semicolon) by new text.
std::optional<clang::FixItHint> replaceStatement(const clang::Stmt *S,
                                                 llvm::StringRef Text,
                                                 clang::ASTContext &Ctx);

/// The leading whitespace of the line holding Loc.
std::string indentationAt(clang::SourceLocation Loc,
                          const clang::ASTContext &Ctx);

} // namespace chanlint
