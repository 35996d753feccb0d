// Save times: the --save syntax, and the fixed save times of a request as
// the core resolves them (the times at which statistics are computed).
#ifndef PATHWISE_CLIENT_CLI_SAVE_GRID_H_
#define PATHWISE_CLIENT_CLI_SAVE_GRID_H_

#include <cstddef>
#include <string>
#include <vector>

#include "pathwise/v1/solver.pb.h"

namespace pathwise::cli {

// The most times one A:B:STEP grid may give.
inline constexpr size_t kMaxGridTimes = 10'000'000;

// The inclusive grid a, a + step, a + 2 step, ..., up to b: b itself is the
// last time when (b - a) / step is an integer up to a relative 1e-9 (so
// 0:1:0.1 ends at exactly 1, not at 10 * 0.1). Needs a <= b, step > 0, all
// finite. Throws UsageError naming `name`.
std::vector<double> GridTimes(const std::string& name, double a, double b, double step);

// --save: comma-separated items, each a time T or a grid A:B:STEP, concatenated
// in order ("0:0.5:0.1,0.75,1"). Throws UsageError.
std::vector<double> ParseSaveTimes(const std::string& text);

// saveat.ts, t0 when saveat.t0, and t1 when saveat.t1 or when nothing is
// set; sorted, repeats removed (integrate::MakePlan's rule).
std::vector<double> FixedSaveTimes(const v1::SaveAt& saveat, double t0, double t1);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SAVE_GRID_H_
