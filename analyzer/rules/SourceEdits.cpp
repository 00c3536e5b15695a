#include "SourceEdits.h"

#include "../AncestorWalk.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace chanlint {

std::string sourceText(SourceRange R, const ASTContext &Ctx) {
  if (R.isInvalid() || R.getBegin().isMacroID() || R.getEnd().isMacroID())
    return "";
  return Lexer::getSourceText(CharSourceRange::getTokenRange(R),
                              Ctx.getSourceManager(), Ctx.getLangOpts())
      .str();
}

std::string sourceText(const Stmt *S, const ASTContext &Ctx) {
  return S ? sourceText(S->getSourceRange(), Ctx) : "";
}

std::string channelName(const Expr *E, const ASTContext &Ctx) {
  if (!E)
    return "channel";
  const Expr *Stripped = E->IgnoreParenImpCasts();
  // `ch->send()` through a smart pointer: the object is the call to
  // operator->, whose source range ends at the arrow; name the pointer.
  if (const auto *Arrow = dyn_cast<CXXOperatorCallExpr>(Stripped);
      Arrow && Arrow->getOperator() == OO_Arrow && Arrow->getNumArgs() > 0)
    Stripped = Arrow->getArg(0)->IgnoreParenImpCasts();
  std::string Text = sourceText(Stripped, Ctx);
  if (Text.empty()) {
    // Written as a macro argument: take the argument's spelling.
    const SourceManager &SM = Ctx.getSourceManager();
    SourceLocation B = SM.getSpellingLoc(Stripped->getBeginLoc());
    SourceLocation End = SM.getSpellingLoc(Stripped->getEndLoc());
    if (B.isValid() && End.isValid() && SM.getFileID(B) == SM.getFileID(End) &&
        !SM.isBeforeInTranslationUnit(End, B))
      Text = Lexer::getSourceText(CharSourceRange::getTokenRange(B, End), SM,
                                  Ctx.getLangOpts())
                 .str();
  }
  if (Text.empty() || Text.size() > 40)
    return "channel";
  return Text;
}

const Stmt *enclosingStatement(const Stmt *E, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*E);
  const Stmt *Cur = E;
  for (int Depth = 0; Depth < 32; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return nullptr;
    const DynTypedNode &P = Parents[0];
    const auto *PS = P.get<Stmt>();
    if (!PS)
      return nullptr;
    if (isa<CompoundStmt>(PS))
      return Cur;
    // The body of a loop or a branch of an if is a statement position too.
    if (const auto *F = dyn_cast<ForStmt>(PS); F && F->getBody() == Cur)
      return Cur;
    if (const auto *W = dyn_cast<WhileStmt>(PS); W && W->getBody() == Cur)
      return Cur;
    if (const auto *D = dyn_cast<DoStmt>(PS); D && D->getBody() == Cur)
      return Cur;
    if (const auto *R = dyn_cast<CXXForRangeStmt>(PS); R && R->getBody() == Cur)
      return Cur;
    if (const auto *I = dyn_cast<IfStmt>(PS);
        I && (I->getThen() == Cur || I->getElse() == Cur))
      return Cur;
    // Only climb through the expression tree of one full expression.
    if (!isa<Expr>(PS))
      return nullptr;
    Node = P;
    Cur = PS;
  }
  return nullptr;
}

const Stmt *enclosingLoop(const Stmt *S, ASTContext &Ctx) {
  const Stmt *Loop = nullptr;
  walkUpInFunction(S, Ctx, [&](const DynTypedNode &P, const Stmt *) {
    const auto *PS = P.get<Stmt>();
    if (PS && isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(PS))
      Loop = PS;
    return Loop != nullptr;
  });
  return Loop;
}

bool inMacro(const Stmt *S, const ASTContext &Ctx) {
  (void)Ctx;
  SourceRange R = S->getSourceRange();
  return R.getBegin().isMacroID() || R.getEnd().isMacroID();
}

namespace {

/// The location just after the statement's terminating semicolon (or its
/// closing brace), or invalid.
SourceLocation afterStatement(const Stmt *S, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation End = Lexer::getLocForEndOfToken(S->getEndLoc(), 0, SM,
                                                  Ctx.getLangOpts());
  if (End.isInvalid())
    return End;
  if (isa<CompoundStmt, ForStmt, WhileStmt, CXXForRangeStmt, IfStmt>(S) &&
      !isa<DoStmt>(S)) {
    // Ends with '}' (or a nested statement that already ended with ';').
    return End;
  }
  std::optional<Token> Next =
      Lexer::findNextToken(S->getEndLoc(), SM, Ctx.getLangOpts());
  if (Next && Next->is(tok::semi))
    return Next->getEndLoc();
  return End;
}

/// Past a comment that trails a statement on its line (`x; // why`), so
/// that an inserted line does not take the comment with it.
SourceLocation pastTrailingComment(SourceLocation Loc, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Loc.isFileID())
    return Loc;
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid || Offset > Buffer.size())
    return Loc;
  llvm::StringRef Rest = Buffer.substr(Offset);
  llvm::StringRef Line = Rest.take_until([](char C) { return C == '\n'; });
  llvm::StringRef Code = Line.ltrim(" \t");
  bool LineComment = Code.starts_with("//");
  bool BlockComment = Code.starts_with("/*") && Code.contains("*/") &&
                      Code.substr(Code.find("*/") + 2).trim().empty();
  if (!LineComment && !BlockComment)
    return Loc;
  return Loc.getLocWithOffset(Line.rtrim(" \t\r").size());
}

} // namespace

std::string indentationAt(SourceLocation Loc, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  Loc = SM.getExpansionLoc(Loc);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(SM.getFileID(Loc), &Invalid);
  if (Invalid)
    return "";
  unsigned Offset = SM.getFileOffset(Loc);
  unsigned LineStart = Offset;
  while (LineStart > 0 && Buffer[LineStart - 1] != '\n')
    --LineStart;
  unsigned I = LineStart;
  while (I < Buffer.size() && (Buffer[I] == ' ' || Buffer[I] == '\t'))
    ++I;
  return Buffer.substr(LineStart, I - LineStart).str();
}

std::optional<FixItHint> removeStatement(const Stmt *S, ASTContext &Ctx) {
  if (!S || inMacro(S, Ctx))
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Begin = S->getBeginLoc();
  SourceLocation End = afterStatement(S, Ctx);
  if (Begin.isInvalid() || End.isInvalid())
    return std::nullopt;
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(SM.getFileID(Begin), &Invalid);
  if (Invalid)
    return std::nullopt;
  unsigned B = SM.getFileOffset(Begin);
  unsigned E = SM.getFileOffset(End);
  // Take the whole lines when nothing else is on them.
  unsigned LB = B;
  while (LB > 0 && (Buffer[LB - 1] == ' ' || Buffer[LB - 1] == '\t'))
    --LB;
  unsigned LE = E;
  while (LE < Buffer.size() && (Buffer[LE] == ' ' || Buffer[LE] == '\t'))
    ++LE;
  if (LB > 0 && Buffer[LB - 1] == '\n' && LE < Buffer.size() &&
      Buffer[LE] == '\n') {
    // Remove the previous line's newline through the end of this line, not
    // this line's start through the next line's start: clang merges fix-its
    // and eats one more space when a removal has whitespace on both sides,
    // which would take a column of the next line's indentation.
    B = LB - 1;
    E = LE;
  }
  SourceLocation FileStart = SM.getLocForStartOfFile(SM.getFileID(Begin));
  return FixItHint::CreateRemoval(CharSourceRange::getCharRange(
      FileStart.getLocWithOffset(static_cast<int>(B)),
      FileStart.getLocWithOffset(static_cast<int>(E))));
}

std::optional<FixItHint> insertAfterStatement(const Stmt *S,
                                              llvm::StringRef Text,
                                              ASTContext &Ctx) {
  if (!S || inMacro(S, Ctx))
    return std::nullopt;
  SourceLocation End = afterStatement(S, Ctx);
  if (End.isInvalid())
    return std::nullopt;
  End = pastTrailingComment(End, Ctx);
  std::string Indent = indentationAt(S->getBeginLoc(), Ctx);
  return FixItHint::CreateInsertion(End, ("\n" + Indent + Text).str());
}

std::optional<FixItHint> insertAfterDeclaration(const VarDecl *V,
                                                llvm::StringRef Text,
                                                ASTContext &Ctx) {
  for (const DynTypedNode &P : parentsOf(Ctx, *V)) {
    const auto *DS = P.get<DeclStmt>();
    if (!DS || !DS->isSingleDecl())
      continue;
    for (const DynTypedNode &PP : parentsOf(Ctx, *DS))
      if (PP.get<CompoundStmt>())
        return insertAfterStatement(DS, Text, Ctx);
  }
  return std::nullopt;
}

std::optional<FixItHint> insertBeforeStatement(const Stmt *S,
                                               llvm::StringRef Text,
                                               ASTContext &Ctx) {
  if (!S || inMacro(S, Ctx))
    return std::nullopt;
  SourceLocation Begin = S->getBeginLoc();
  if (Begin.isInvalid() || !Begin.isFileID())
    return std::nullopt;
  std::string Indent = indentationAt(Begin, Ctx);
  return FixItHint::CreateInsertion(Begin, (Text + "\n" + Indent).str());
}

std::optional<FixItHint> replaceStatement(const Stmt *S, llvm::StringRef Text,
                                          ASTContext &Ctx) {
  if (!S || inMacro(S, Ctx))
    return std::nullopt;
  return FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(S->getSourceRange()), Text);
}

} // namespace chanlint
