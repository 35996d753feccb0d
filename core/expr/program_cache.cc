#include "core/expr/program_cache.h"

#include <algorithm>

#include "core/expr/fingerprint.h"

namespace pathwise::expr {

ProgramCache::ProgramCache(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

absl::StatusOr<std::shared_ptr<const CompiledProgram>> ProgramCache::GetOrCompile(
    const ProgramSpec& spec) {
  std::string key = CanonicalKey(spec);
  const uint64_t fingerprint = Fingerprint64(key);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = entries_.find(fingerprint);
    if (it != entries_.end() && it->second.key == key) {
      ++hits_;
      recency_.splice(recency_.begin(), recency_, it->second.recency);
      return it->second.program;
    }
    ++misses_;
  }
  absl::StatusOr<std::shared_ptr<const CompiledProgram>> program = Compile(spec);
  if (!program.ok()) return program;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = entries_.find(fingerprint);
  if (it != entries_.end()) {  // a concurrent compile, or a collision: keep the newest
    recency_.erase(it->second.recency);
    entries_.erase(it);
  }
  recency_.push_front(fingerprint);
  entries_.emplace(fingerprint, Entry{std::move(key), *program, recency_.begin()});
  while (entries_.size() > capacity_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
  return program;
}

ProgramCacheStats ProgramCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ProgramCacheStats{hits_, misses_, entries_.size()};
}

void ProgramCache::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  recency_.clear();
}

}  // namespace pathwise::expr
