// A one-line progress bar on stderr while TUs are analysed: done/total,
// percent, ETA and the file most recently started. Only on a terminal and
// for more than one TU; redrawn in place, erased when done, so logs and
// pipes never see it.
#pragma once

#include "Runner.h"

#include <chrono>
#include <string>

namespace chanlint::driver {

class ProgressBar {
public:
  ProgressBar(unsigned Total, bool Enabled, std::string SrcRoot);
  ~ProgressBar() { finish(); }

  void update(const ProgressEvent &E);
  void finish();
  bool enabled() const { return Enabled; }

  /// "1:05", "12s": for the ETA.
  static std::string formatDuration(double Seconds);

private:
  void draw();

  unsigned Total;
  bool Enabled;
  std::string SrcRoot;
  unsigned Done = 0;
  std::string Current;
  std::chrono::steady_clock::time_point Start = std::chrono::steady_clock::now();
  bool Drawn = false;
};

/// Whether stderr is a terminal (and TERM is not "dumb").
bool stderrIsTerminal();

} // namespace chanlint::driver
