// Stan's schedule for adapting a metric during warm-up (Stan Reference
// Manual, "HMC algorithm parameters: automatic parameter tuning"): an initial
// fast phase of init_buffer iterations, then slow windows whose length
// doubles from base_window, then a terminal fast phase of term_buffer. From
// the second window on, a window is stretched to the terminal phase when the
// next doubling would not fit (so 1000 warm-up iterations give the familiar
// 75 / 25, 50, 100, 200, 500 / 50). The metric is re-estimated at the end of each slow window,
// from that window's draws only, so early transient draws are forgotten.
// Defaults 75 / 25 / 50; when they exceed the warm-up, Stan's fallback of
// 15 % / remainder / 10 % applies.
#ifndef PATHWISE_CORE_MCMC_ADAPTATION_WINDOWS_H_
#define PATHWISE_CORE_MCMC_ADAPTATION_WINDOWS_H_

#include <vector>

namespace pathwise::mcmc {

struct AdaptationWindow {
  int begin;  // first warm-up iteration of the window (0-based)
  int end;    // one past the last
  friend bool operator==(const AdaptationWindow&, const AdaptationWindow&) = default;
};

struct AdaptationBuffers {
  int init_buffer = 75;
  int base_window = 25;
  int term_buffer = 50;
};

// The slow windows for num_warmup iterations; none when num_warmup < 20
// (Stan does not adapt the metric then).
std::vector<AdaptationWindow> SlowAdaptationWindows(int num_warmup, AdaptationBuffers buffers = {});

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_ADAPTATION_WINDOWS_H_
