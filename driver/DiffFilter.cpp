#include "DiffFilter.h"

#include "SourceText.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

#include <optional>

namespace chanlint::driver {

namespace {

/// Runs git with Args; its stdout, or an Error with its stderr.
llvm::Expected<std::string> runGit(llvm::ArrayRef<llvm::StringRef> Args) {
  auto Git = llvm::sys::findProgramByName("git");
  if (!Git)
    return llvm::createStringError("git not found in PATH");
  llvm::SmallString<128> Out, Err;
  int OutFD, ErrFD;
  if (llvm::sys::fs::createTemporaryFile("chanlint-git", "out", OutFD, Out) ||
      llvm::sys::fs::createTemporaryFile("chanlint-git", "err", ErrFD, Err))
    return llvm::createStringError("cannot create temporary files for git's output");
  llvm::sys::Process::SafelyCloseFileDescriptor(OutFD);
  llvm::sys::Process::SafelyCloseFileDescriptor(ErrFD);
  std::vector<llvm::StringRef> Argv = {*Git};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(Out),
                                                llvm::StringRef(Err)};
  std::string ErrMsg;
  int RC = llvm::sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects, 0, 0, &ErrMsg);
  auto OutBuf = llvm::MemoryBuffer::getFile(Out);
  auto ErrBuf = llvm::MemoryBuffer::getFile(Err);
  llvm::sys::fs::remove(Out);
  llvm::sys::fs::remove(Err);
  if (RC != 0) {
    std::string Why = ErrBuf ? (*ErrBuf)->getBuffer().trim().str() : ErrMsg;
    return llvm::createStringError("git %s failed: %s", llvm::join(Args, " ").c_str(),
                                   Why.empty() ? ErrMsg.c_str() : Why.c_str());
  }
  return OutBuf ? (*OutBuf)->getBuffer().str() : std::string();
}

bool parseNumber(llvm::StringRef &S, unsigned &N) {
  return !S.consumeInteger(10, N);
}

} // namespace

std::string ChangedLines::gitTopLevel(llvm::StringRef Dir) {
  auto Top = runGit({"-C", Dir, "rev-parse", "--show-toplevel"});
  if (!Top) {
    llvm::consumeError(Top.takeError());
    return "";
  }
  return llvm::StringRef(*Top).trim().str();
}

llvm::Expected<ChangedLines> ChangedLines::fromUnifiedDiff(llvm::StringRef Diff,
                                                           llvm::StringRef Root) {
  ChangedLines C;
  std::string Current; // "" while in a deleted file, or before the first header
  bool SawHeader = false;
  llvm::SmallVector<llvm::StringRef> Lines;
  Diff.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    Line.consume_back("\r");
    if (Line.consume_front("+++ ")) {
      SawHeader = true;
      // diff -u appends a tab and a timestamp.
      llvm::StringRef Path = Line.split('\t').first.trim();
      if (Path.starts_with("\"") && Path.ends_with("\""))
        Path = Path.drop_front().drop_back();
      if (Path == "/dev/null") {
        Current.clear();
        continue;
      }
      if (Path.starts_with("b/") || Path.starts_with("w/") || Path.starts_with("i/"))
        Path = Path.drop_front(2);
      Current = normalizePath(Path, Root);
      C.Lines[Current]; // a touched file, even if only lines were deleted
      continue;
    }
    if (!Line.consume_front("@@ "))
      continue;
    if (Current.empty())
      continue;
    // @@ -a[,b] +c[,d] @@
    llvm::StringRef Rest = Line.split(" +").second;
    unsigned Start = 0, Count = 1;
    if (!parseNumber(Rest, Start))
      return llvm::createStringError("malformed hunk header: @@ %s", Line.str().c_str());
    if (Rest.consume_front(",") && !parseNumber(Rest, Count))
      return llvm::createStringError("malformed hunk header: @@ %s", Line.str().c_str());
    if (Count > 0)
      C.Lines[Current].push_back({Start, Start + Count - 1});
  }
  if (!SawHeader && !Diff.trim().empty())
    return llvm::createStringError("not a unified diff (no '+++' file header)");
  return C;
}

llvm::Expected<ChangedLines> ChangedLines::fromGit(llvm::StringRef Rev, llvm::StringRef Dir) {
  std::string Top = gitTopLevel(Dir);
  if (Top.empty())
    return llvm::createStringError("--diff-base: '%s' is not inside a git work tree",
                                   Dir.str().c_str());
  // Explicit prefixes and no external tools: the user's git config must not
  // change what we parse.
  auto Diff = runGit({"-C", Top, "diff", "-U0", "--no-color", "--no-ext-diff",
                      "--src-prefix=a/", "--dst-prefix=b/", Rev, "--"});
  if (!Diff)
    return Diff.takeError();
  return fromUnifiedDiff(*Diff, Top);
}

bool ChangedLines::contains(llvm::StringRef File, unsigned Line) const {
  auto It = Lines.find(File);
  if (It == Lines.end())
    return false;
  for (const auto &[First, Last] : It->second)
    if (First <= Line && Line <= Last)
      return true;
  return false;
}

} // namespace chanlint::driver
