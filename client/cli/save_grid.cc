#include "client/cli/save_grid.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/args.h"

namespace pathwise::cli {

std::vector<double> GridTimes(const std::string& name, double a, double b, double step) {
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(step)) {
    throw UsageError{"--" + name + ": grid ends and step must be finite"};
  }
  if (!(step > 0)) throw UsageError{"--" + name + ": grid step must be > 0"};
  if (a > b) throw UsageError{"--" + name + ": grid start must be <= its end"};
  const double intervals = (b - a) / step;
  if (intervals >= static_cast<double>(kMaxGridTimes)) {
    throw UsageError{"--" + name + ": the grid has more than " + std::to_string(kMaxGridTimes) +
                     " times"};
  }
  const double nearest = std::round(intervals);
  const bool ends_on_b = std::abs(intervals - nearest) <= 1e-9 * std::max(1.0, nearest);
  const size_t n = static_cast<size_t>(ends_on_b ? nearest : std::floor(intervals));
  std::vector<double> ts;
  ts.reserve(n + 1);
  for (size_t k = 0; k < n; ++k) ts.push_back(a + static_cast<double>(k) * step);
  ts.push_back(ends_on_b ? b : a + static_cast<double>(n) * step);
  return ts;
}

std::vector<double> ParseSaveTimes(const std::string& text) {
  std::vector<double> ts;
  for (absl::string_view piece : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    const std::string item(absl::StripAsciiWhitespace(piece));
    const std::vector<std::string> parts = absl::StrSplit(item, ':');
    if (parts.size() == 1) {
      ts.push_back(ParseDouble("save", item));
      continue;
    }
    if (parts.size() != 3) throw UsageError{"--save: '" + item + "' is not T or A:B:STEP"};
    const std::vector<double> grid =
        GridTimes("save", ParseDouble("save", parts[0]), ParseDouble("save", parts[1]),
                  ParseDouble("save", parts[2]));
    ts.insert(ts.end(), grid.begin(), grid.end());
  }
  if (ts.empty()) throw UsageError{"--save: no times given"};
  return ts;
}

std::vector<double> FixedSaveTimes(const v1::SaveAt& saveat, double t0, double t1) {
  std::vector<double> fixed(saveat.ts().begin(), saveat.ts().end());
  if (saveat.t0()) fixed.push_back(t0);
  if (saveat.t1() || (saveat.ts().empty() && !saveat.t0() && !saveat.steps())) {
    fixed.push_back(t1);
  }
  std::sort(fixed.begin(), fixed.end());
  fixed.erase(std::unique(fixed.begin(), fixed.end()), fixed.end());
  return fixed;
}

}  // namespace pathwise::cli
