// A progress bar on stderr for long solves: "[#####.....]  45%  4500/10000
// paths  1.2e+06 steps  3.4 s". In automatic mode it shows only on a terminal
// and only once the solve has run for kAutoDelay, so quick solves and
// redirected output stay clean; forced on (--progress) it draws from the
// first progress event.
#ifndef PATHWISE_CLIENT_CLI_PROGRESS_BAR_H_
#define PATHWISE_CLIENT_CLI_PROGRESS_BAR_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "client/cli/args.h"

namespace pathwise::cli {

class ProgressBar {
 public:
  enum class Mode { kAuto, kOn, kOff };
  static constexpr std::chrono::milliseconds kAutoDelay{1000};
  static constexpr std::chrono::milliseconds kRedrawInterval{100};

  // `out` is written to (stderr in the CLI); `terminal` says whether it is one.
  ProgressBar(Mode mode, std::FILE* out, bool terminal);

  // Thread-safe; redraws at most every kRedrawInterval.
  void Update(uint64_t paths_done, uint64_t num_paths, uint64_t steps);
  // Erases the bar, if drawn (on a terminal; elsewhere ends its line). Call
  // before printing anything else on `out`.
  void Finish();

  // One bar line of `width` characters of bar (no carriage return).
  static std::string Render(uint64_t paths_done, uint64_t num_paths, uint64_t steps,
                            double elapsed_s, int width);

 private:
  using Clock = std::chrono::steady_clock;
  Mode mode_;
  bool terminal_;
  bool enabled_;
  std::FILE* out_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  size_t drawn_chars_ = 0;
  std::mutex mu_;
};

// --progress (on), --no-progress (off) or neither (automatic); both is a
// UsageError. For the commands that take those switches.
ProgressBar::Mode ProgressModeFromArgs(const Args& args);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_PROGRESS_BAR_H_
