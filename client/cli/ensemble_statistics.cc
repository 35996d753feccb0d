#include "client/cli/ensemble_statistics.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/integrate/ensemble.h"
#include "core/integrate/statistics.h"

namespace pathwise::cli {
namespace {

using integrate::RunningMoments;

// The path's states at the fixed times, row-major [time][component], into `out`.
absl::Status FixedValues(const v1::Path& path, const std::vector<double>& fixed_ts, uint32_t n,
                         double* out) {
  if (static_cast<size_t>(path.ys_size()) != static_cast<size_t>(path.ts_size()) * n) {
    return absl::InvalidArgumentError(absl::StrCat("path ", path.path_index(), ": ", path.ys_size(),
                                                   " values for ", path.ts_size(),
                                                   " times of dimension ", n));
  }
  int at = 0;  // path.ts is increasing and holds every fixed time (save_steps adds more)
  for (size_t k = 0; k < fixed_ts.size(); ++k) {
    while (at < path.ts_size() && path.ts(at) < fixed_ts[k]) ++at;
    if (at == path.ts_size() || path.ts(at) != fixed_ts[k]) {
      return absl::InvalidArgumentError(
          absl::StrCat("path ", path.path_index(), " has no state at save time ", fixed_ts[k]));
    }
    std::copy_n(path.ys().data() + static_cast<size_t>(at) * n, n, out + k * n);
  }
  return absl::OkStatus();
}

void SetMoments(const RunningMoments& moments, v1::Statistics* st) {
  st->set_count(moments.count());
  for (const double m : moments.mean()) st->add_mean(m);
  for (const double v : moments.Variance()) {
    st->add_variance(v);
    // As integrate::MakeStatistics: sqrt(variance / count), 0 with no paths.
    st->add_stderr(moments.count() > 0 ? std::sqrt(v / static_cast<double>(moments.count())) : 0.0);
  }
}

// Quantiles [time][level][component] of the completed paths' fixed values.
void SetQuantiles(const std::vector<double>& values, size_t completed, size_t nt, uint32_t n,
                  const std::vector<double>& levels, v1::Statistics* st) {
  st->mutable_quantiles()->Resize(static_cast<int>(nt * levels.size() * n), NAN);
  std::vector<double> column;
  for (size_t k = 0; k < nt; ++k) {
    for (uint32_t j = 0; j < n; ++j) {
      column.clear();
      for (size_t p = 0; p < completed; ++p) column.push_back(values[(p * nt + k) * n + j]);
      std::sort(column.begin(), column.end());
      for (size_t q = 0; q < levels.size(); ++q) {
        st->set_quantiles(static_cast<int>((k * levels.size() + q) * n + j),
                          integrate::SortedQuantile(column, levels[q]));
      }
    }
  }
}

}  // namespace

bool Completed(v1::SolveStatus status) {
  return status == v1::SOLVE_STATUS_SUCCESS || status == v1::DTMIN_REACHED;
}

absl::StatusOr<v1::Statistics> EnsembleStatistics(const std::vector<v1::Path>& paths,
                                                  const std::vector<double>& fixed_ts,
                                                  uint32_t state_dim,
                                                  const std::vector<double>& levels) {
  const size_t fixed_size = fixed_ts.size() * state_dim;
  std::vector<double> values;  // completed paths' fixed values, in path order
  RunningMoments moments(fixed_size);
  for (size_t begin = 0; begin < paths.size(); begin += integrate::kBlockPaths) {
    const size_t end = std::min(paths.size(), begin + integrate::kBlockPaths);
    RunningMoments block(fixed_size);
    for (size_t p = begin; p < end; ++p) {
      if (!Completed(paths[p].status())) continue;
      values.resize(values.size() + fixed_size);
      double* fixed = values.data() + values.size() - fixed_size;
      if (absl::Status s = FixedValues(paths[p], fixed_ts, state_dim, fixed); !s.ok()) return s;
      block.Add(fixed);
    }
    moments.Merge(block);
  }
  v1::Statistics st;
  for (const double t : fixed_ts) st.add_ts(t);
  st.set_state_dim(state_dim);
  SetMoments(moments, &st);
  for (const double level : levels) st.add_quantile_levels(level);
  const size_t completed = fixed_size > 0 ? values.size() / fixed_size : 0;
  SetQuantiles(values, completed, fixed_ts.size(), state_dim, levels, &st);
  return st;
}

}  // namespace pathwise::cli
