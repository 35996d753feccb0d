#include "client/cli/progress_bar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace pathwise::cli {

ProgressBar::ProgressBar(Mode mode, std::FILE* out, bool terminal)
    : mode_(mode),
      terminal_(terminal),
      enabled_(mode == Mode::kOn || (mode == Mode::kAuto && terminal)),
      out_(out) {}

std::string ProgressBar::Render(uint64_t paths_done, uint64_t num_paths, uint64_t steps,
                                double elapsed_s, int width) {
  const double fraction =
      num_paths > 0 ? std::min(1.0, static_cast<double>(paths_done) / num_paths) : 0.0;
  const int filled = static_cast<int>(fraction * width);
  char tail[160];
  std::snprintf(tail, sizeof(tail), "] %3d%%  %llu/%llu paths  %.3g steps  %.1f s",
                static_cast<int>(fraction * 100), static_cast<unsigned long long>(paths_done),
                static_cast<unsigned long long>(num_paths), static_cast<double>(steps), elapsed_s);
  return absl::StrCat("[", std::string(filled, '#'), std::string(width - filled, '.'), tail);
}

void ProgressBar::Update(uint64_t paths_done, uint64_t num_paths, uint64_t steps) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  if (drawn_chars_ == 0 && mode_ == Mode::kAuto && now - start_ < kAutoDelay) return;
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  const std::string line =
      Render(paths_done, num_paths, steps, std::chrono::duration<double>(now - start_).count(), 30);
  // Pad over a longer previous line, then return to the line's start.
  const size_t pad = drawn_chars_ > line.size() ? drawn_chars_ - line.size() : 0;
  std::fprintf(out_, "\r%s%s", line.c_str(), std::string(pad, ' ').c_str());
  std::fflush(out_);
  drawn_chars_ = line.size();
}

void ProgressBar::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (drawn_chars_ == 0) return;
  if (terminal_) {
    std::fprintf(out_, "\r%s\r", std::string(drawn_chars_, ' ').c_str());
  } else {
    std::fputc('\n', out_);
  }
  std::fflush(out_);
  drawn_chars_ = 0;
}

ProgressBar::Mode ProgressModeFromArgs(const Args& args) {
  if (args.Switch("progress") && args.Switch("no-progress")) {
    throw UsageError{"give --progress or --no-progress, not both"};
  }
  if (args.Switch("progress")) return ProgressBar::Mode::kOn;
  if (args.Switch("no-progress")) return ProgressBar::Mode::kOff;
  return ProgressBar::Mode::kAuto;
}

}  // namespace pathwise::cli
