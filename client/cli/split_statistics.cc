#include "client/cli/split_statistics.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace pathwise::cli {
namespace {

// The accumulated moments of the fold, [time][component].
struct Moments {
  uint64_t count = 0;
  std::vector<double> mean, m2;
};

// Folds block b of `range` into `acc` by Chan, Golub & LeVeque's pairwise
// formula, exactly as written in solver.proto (Statistics.block_counts).
void FoldBlock(const v1::Statistics& range, int b, Moments* acc) {
  const uint64_t count_b = range.block_counts(b);
  if (count_b == 0) return;
  const size_t n = range.state_dim(), blocks = static_cast<size_t>(range.block_counts_size());
  const double na = static_cast<double>(acc->count), nb = static_cast<double>(count_b);
  const double total = na + nb;
  for (size_t i = 0; i < acc->mean.size(); ++i) {  // i = k * n + j
    const int wire = static_cast<int>(((i / n) * blocks + static_cast<size_t>(b)) * n + i % n);
    const double mean_b = range.block_mean(wire), m2_b = range.block_m2(wire);
    if (acc->count == 0) {
      acc->mean[i] = mean_b;
      acc->m2[i] = m2_b;
      continue;
    }
    const double delta = mean_b - acc->mean[i];
    acc->mean[i] = acc->mean[i] + delta * (nb / total);
    acc->m2[i] = acc->m2[i] + (m2_b + delta * delta * (na * nb / total));
  }
  acc->count += count_b;
}

void SetMoments(const Moments& acc, v1::Statistics* st) {
  st->set_count(acc.count);
  for (size_t i = 0; i < acc.mean.size(); ++i) {
    const double var = acc.count >= 2 ? acc.m2[i] / static_cast<double>(acc.count - 1) : 0.0;
    st->add_mean(acc.mean[i]);
    st->add_variance(var);
    st->add_stderr(acc.count > 0 ? std::sqrt(var / static_cast<double>(acc.count)) : 0.0);
  }
}

// Hyndman & Fan type 7 of sorted values, as solver.proto defines it.
double SortedQuantile(const std::vector<double>& sorted, double level) {
  if (sorted.empty()) return NAN;
  const double p = (static_cast<double>(sorted.size()) - 1.0) * level;
  const size_t lo = static_cast<size_t>(std::floor(p));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (p - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

// The path's states at the save times `ts`, row-major [time][component], appended to `out`.
absl::Status AppendValues(const v1::Path& path, const v1::Statistics& st,
                          std::vector<double>* out) {
  const size_t n = st.state_dim();
  if (static_cast<size_t>(path.ys_size()) != static_cast<size_t>(path.ts_size()) * n) {
    return absl::InvalidArgumentError(absl::StrCat("path ", path.path_index(), ": ", path.ys_size(),
                                                   " values for ", path.ts_size(),
                                                   " times of dimension ", n));
  }
  int at = 0;  // path.ts is increasing and holds every save time (saveat.steps adds more)
  for (const double t : st.ts()) {
    while (at < path.ts_size() && path.ts(at) < t) ++at;
    if (at == path.ts_size() || path.ts(at) != t) {
      return absl::InvalidArgumentError(
          absl::StrCat("path ", path.path_index(), " has no state at save time ", t));
    }
    const double* row = path.ys().data() + static_cast<size_t>(at) * n;
    out->insert(out->end(), row, row + n);
  }
  return absl::OkStatus();
}

// Quantiles [time][level][component] of the completed paths' values.
absl::Status SetQuantiles(const std::vector<v1::Path>& paths, v1::Statistics* st) {
  const size_t n = st->state_dim(), size = static_cast<size_t>(st->ts_size()) * n;
  const size_t levels = static_cast<size_t>(st->quantile_levels_size());
  if (levels == 0) return absl::OkStatus();
  std::vector<double> values;  // [path][time][component]
  for (const v1::Path& p : paths) {
    if (!Completed(p.status())) continue;
    if (absl::Status s = AppendValues(p, *st, &values); !s.ok()) return s;
  }
  const size_t completed = size > 0 ? values.size() / size : 0;
  st->mutable_quantiles()->Resize(static_cast<int>(size * levels), NAN);
  std::vector<double> column;
  for (size_t i = 0; i < size; ++i) {  // i = k * n + j
    column.clear();
    for (size_t p = 0; p < completed; ++p) column.push_back(values[p * size + i]);
    std::sort(column.begin(), column.end());
    for (size_t q = 0; q < levels; ++q) {
      st->set_quantiles(static_cast<int>(((i / n) * levels + q) * n + i % n),
                        SortedQuantile(column, st->quantile_levels(static_cast<int>(q))));
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool Completed(v1::SolveStatus status) {
  return status == v1::SOLVE_STATUS_SUCCESS || status == v1::DTMIN_REACHED;
}

absl::StatusOr<v1::Statistics> SplitStatistics(const std::vector<v1::Statistics>& ranges,
                                               const std::vector<v1::Path>& paths) {
  if (ranges.empty()) return absl::InvalidArgumentError("no ranges");
  v1::Statistics st;
  st.mutable_ts()->CopyFrom(ranges.front().ts());
  st.set_state_dim(ranges.front().state_dim());
  st.mutable_quantile_levels()->CopyFrom(ranges.front().quantile_levels());
  const size_t size = static_cast<size_t>(st.ts_size()) * st.state_dim();
  Moments acc;
  acc.mean.assign(size, 0.0);
  acc.m2.assign(size, 0.0);
  for (size_t r = 0; r < ranges.size(); ++r) {
    const v1::Statistics& range = ranges[r];
    const size_t wire = static_cast<size_t>(range.block_counts_size()) * size;
    if (range.state_dim() != st.state_dim() || range.ts_size() != st.ts_size() ||
        static_cast<size_t>(range.block_mean_size()) != wire ||
        static_cast<size_t>(range.block_m2_size()) != wire) {
      return absl::InvalidArgumentError(absl::StrCat("range ", r, ": block moments do not fit ",
                                                     st.ts_size(), " save times of dimension ",
                                                     st.state_dim()));
    }
    for (int b = 0; b < range.block_counts_size(); ++b) FoldBlock(range, b, &acc);
  }
  SetMoments(acc, &st);
  if (absl::Status s = SetQuantiles(paths, &st); !s.ok()) return s;
  return st;
}

absl::StatusOr<v1::Statistics> PathStatistics(const std::vector<v1::Path>& paths,
                                              const std::vector<double>& ts, uint32_t state_dim,
                                              const std::vector<double>& quantile_levels) {
  v1::Statistics blocks;  // one block per completed path
  blocks.mutable_ts()->Add(ts.begin(), ts.end());
  blocks.set_state_dim(state_dim);
  blocks.mutable_quantile_levels()->Add(quantile_levels.begin(), quantile_levels.end());
  std::vector<double> values;  // [path][time][component]
  for (const v1::Path& p : paths) {
    if (!Completed(p.status())) continue;
    if (absl::Status s = AppendValues(p, blocks, &values); !s.ok()) return s;
    blocks.add_block_counts(1);
  }
  const size_t size = ts.size() * state_dim,
               count = static_cast<size_t>(blocks.block_counts_size());
  for (size_t k = 0; k < ts.size(); ++k) {  // the wire's [time][block][component]
    for (size_t b = 0; b < count; ++b) {
      const double* row = values.data() + b * size + k * state_dim;
      blocks.mutable_block_mean()->Add(row, row + state_dim);
    }
  }
  blocks.mutable_block_m2()->Resize(blocks.block_mean_size(), 0.0);
  return SplitStatistics({blocks}, paths);
}

}  // namespace pathwise::cli
