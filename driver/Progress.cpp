#include "Progress.h"

#include "Report.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

namespace chanlint::driver {

bool stderrIsTerminal() {
  auto Term = llvm::sys::Process::GetEnv("TERM");
  return llvm::sys::Process::StandardErrIsDisplayed() && (!Term || *Term != "dumb");
}

ProgressBar::ProgressBar(unsigned Total, bool Enabled, std::string SrcRoot)
    : Total(Total), Enabled(Enabled && Total > 1), SrcRoot(std::move(SrcRoot)) {}

std::string ProgressBar::formatDuration(double Seconds) {
  unsigned S = static_cast<unsigned>(Seconds + 0.5);
  if (S < 60)
    return std::to_string(S) + "s";
  std::string Sec = std::to_string(S % 60);
  return std::to_string(S / 60) + ":" + (Sec.size() == 1 ? "0" : "") + Sec;
}

void ProgressBar::update(const ProgressEvent &E) {
  if (!Enabled)
    return;
  Done = E.Done;
  if (E.What == ProgressEvent::Started)
    Current = displayPath(E.File, SrcRoot);
  draw();
}

void ProgressBar::draw() {
  double Elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  std::string Eta = Done ? "ETA " + formatDuration(Elapsed / Done * (Total - Done)) : "ETA --";
  std::string TotalStr = std::to_string(Total);
  std::string DoneStr = std::to_string(Done);
  DoneStr.insert(0, TotalStr.size() - DoneStr.size(), ' ');
  std::string Line = "[" + DoneStr + "/" + TotalStr + "] " +
                     std::to_string(Total ? Done * 100 / Total : 100) + "% " + Eta + "  ";
  unsigned Width = llvm::sys::Process::StandardErrColumns();
  if (Width == 0)
    Width = 80;
  std::string File = Current;
  // Keep the end of the path: the file name tells the most.
  if (Line.size() + File.size() + 1 > Width && Width > Line.size() + 4)
    File = "..." + File.substr(File.size() - (Width - Line.size() - 4));
  else if (Line.size() + File.size() + 1 > Width)
    File.clear();
  llvm::errs() << "\r\x1b[K" << Line << File;
  llvm::errs().flush();
  Drawn = true;
}

void ProgressBar::finish() {
  if (Drawn) {
    llvm::errs() << "\r\x1b[K";
    llvm::errs().flush();
    Drawn = false;
  }
}

} // namespace chanlint::driver
