// A thread-safe, bounded cache of compiled programs keyed by the fingerprint
// of their spec (text, parameters, derivatives, layout, limits).
#ifndef PATHWISE_CORE_EXPR_PROGRAM_CACHE_H_
#define PATHWISE_CORE_EXPR_PROGRAM_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "core/expr/compiler.h"

namespace pathwise::expr {

struct ProgramCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;  // compiles, successful or not
  size_t size = 0;      // programs held
};

class ProgramCache {
 public:
  // Holds at most `capacity` programs (>= 1), evicting the least recently used.
  explicit ProgramCache(size_t capacity);

  // The cached program for `spec`, or Compile(spec), cached when it succeeds.
  // Errors are not cached (they are cheap to reproduce and should not pin
  // memory). Compilation runs outside the lock, so two threads asking for the
  // same new spec may both compile it; both get equal programs.
  absl::StatusOr<std::shared_ptr<const CompiledProgram>> GetOrCompile(const ProgramSpec& spec);

  ProgramCacheStats stats() const;
  void Clear();

 private:
  struct Entry {
    std::string key;  // the full canonical key: a fingerprint collision is a miss, not a wrong hit
    std::shared_ptr<const CompiledProgram> program;
    std::list<uint64_t>::iterator recency;
  };

  size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, Entry> entries_;
  std::list<uint64_t> recency_;  // most recent first
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_PROGRAM_CACHE_H_
