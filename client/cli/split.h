// Splitting an ensemble into contiguous path ranges, run concurrently over a
// round_robin channel (one range per call), merged back in path order.
#ifndef PATHWISE_CLIENT_CLI_SPLIT_H_
#define PATHWISE_CLIENT_CLI_SPLIT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pathwise::cli {

// Paths offset .. offset + count - 1, relative to the ensemble's first path.
struct PathRange {
  uint64_t offset = 0;
  uint64_t count = 0;
};

// The largest --split.
inline constexpr uint64_t kMaxSplit = 4096;

// `total` paths in at most `parts` contiguous ranges, in path order. Every
// range but the last holds a multiple of `align` paths (align >= 1); blocks of
// `align` paths are shared out as evenly as possible, so there are fewer
// ranges than `parts` when there are fewer blocks. total 0 gives one empty range.
std::vector<PathRange> SplitRanges(uint64_t total, uint64_t parts, uint64_t align);

// --split: the given value (1 .. kMaxSplit), else `addresses` (the number of
// addresses in --server). Throws UsageError.
uint64_t ParseSplit(const std::optional<std::string>& text, size_t addresses);

// Runs work(0) .. work(n - 1) on n threads and waits for all of them.
void RunConcurrently(size_t n, const std::function<void(size_t)>& work);

}  // namespace pathwise::cli

#endif  // PATHWISE_CLIENT_CLI_SPLIT_H_
