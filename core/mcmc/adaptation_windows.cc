#include "core/mcmc/adaptation_windows.h"

namespace pathwise::mcmc {

std::vector<AdaptationWindow> SlowAdaptationWindows(int num_warmup, AdaptationBuffers buffers) {
  if (num_warmup < 20) return {};
  if (buffers.init_buffer + buffers.base_window + buffers.term_buffer > num_warmup) {
    buffers.init_buffer = static_cast<int>(0.15 * num_warmup);
    buffers.term_buffer = static_cast<int>(0.1 * num_warmup);
    buffers.base_window = num_warmup - (buffers.init_buffer + buffers.term_buffer);
  }
  const int slow_end = num_warmup - buffers.term_buffer;
  std::vector<AdaptationWindow> windows;
  int begin = buffers.init_buffer;
  int size = buffers.base_window;
  while (begin < slow_end) {
    int end = begin + size;
    // Stretch a window after the first to the terminal phase when the next
    // one (twice as long) would not end before it (Stan checks from the
    // second window on).
    if (!windows.empty() && end + 2 * size > slow_end) end = slow_end;
    windows.push_back({begin, end});
    begin = end;
    size *= 2;
  }
  return windows;
}

}  // namespace pathwise::mcmc
