#include "client/cli/split.h"

#include <algorithm>
#include <thread>

#include "client/cli/args.h"

namespace pathwise::cli {

std::vector<PathRange> SplitRanges(uint64_t total, uint64_t parts, uint64_t align) {
  if (total == 0) return {PathRange{0, 0}};
  align = std::max<uint64_t>(align, 1);
  const uint64_t blocks = total / align + (total % align != 0);
  parts = std::clamp<uint64_t>(parts, 1, blocks);
  const uint64_t base = blocks / parts, extra = blocks % parts;
  std::vector<PathRange> ranges;
  uint64_t offset = 0;
  for (uint64_t i = 0; i < parts; ++i) {
    const uint64_t count = std::min(total - offset, (base + (i < extra)) * align);
    ranges.push_back({offset, count});
    offset += count;
  }
  return ranges;
}

uint64_t ParseSplit(const std::optional<std::string>& text, size_t addresses) {
  if (!text) return std::max<size_t>(addresses, 1);
  const uint64_t parts = ParseUnsigned("split", *text, kMaxSplit);
  if (parts == 0) throw UsageError{"--split: must be >= 1"};
  return parts;
}

void RunConcurrently(size_t n, const std::function<void(size_t)>& work) {
  if (n == 1) {
    work(0);  // no thread for the common single call
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (size_t i = 0; i < n; ++i) threads.emplace_back(work, i);
  for (std::thread& t : threads) t.join();
}

}  // namespace pathwise::cli
