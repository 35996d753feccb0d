#include "core/expr/closest_name.h"

#include <algorithm>

namespace pathwise::expr {
namespace {

constexpr size_t kMaxCompared = 64;

}  // namespace

int EditDistance(absl::string_view a, absl::string_view b) {
  a = a.substr(0, kMaxCompared);
  b = b.substr(0, kMaxCompared);
  const size_t n = a.size();
  const size_t m = b.size();
  // Three rows of the dynamic programme: i-2, i-1, i.
  std::vector<int> two(m + 1), one(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) one[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({one[j] + 1, cur[j - 1] + 1, one[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], two[j - 2] + 1);
      }
    }
    std::swap(two, one);
    std::swap(one, cur);
  }
  return one[m];
}

std::string ClosestName(absl::string_view name, const std::vector<std::string>& candidates) {
  const int limit =
      std::max<int>(1, static_cast<int>((std::min(name.size(), kMaxCompared) + 2) / 3));
  int best = limit + 1;
  std::string best_name;
  for (const std::string& candidate : candidates) {
    const int d = EditDistance(name, candidate);
    if (d < best) {
      best = d;
      best_name = candidate;
    }
  }
  return best_name;
}

}  // namespace pathwise::expr
