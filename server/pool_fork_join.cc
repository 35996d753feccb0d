#include "server/pool_fork_join.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace pathwise::server {
namespace {

struct Join {
  Join(size_t count, const std::function<void(size_t)>& body) : n(count), task(&body) {}

  // Claims and runs indices until none is left.
  void Work() {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= n) return;  // `task` may be gone by now: not touched
      (*task)(i);
      std::lock_guard<std::mutex> lock(mutex);
      if (++done == n) all_done.notify_all();
    }
  }

  const size_t n;
  const std::function<void(size_t)>* task;  // the caller's, alive until every index is done
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable all_done;
  size_t done = 0;
};

}  // namespace

void ForkJoinOnPool(WorkerPool& pool, const std::string& lane, size_t n,
                    const std::function<void(size_t)>& task) {
  if (n == 0) return;
  auto join = std::make_shared<Join>(n, task);
  const size_t helpers = std::min(n - 1, static_cast<size_t>(pool.size()));
  for (size_t h = 0; h < helpers; ++h) pool.Submit(lane, [join] { join->Work(); });
  join->Work();
  std::unique_lock<std::mutex> lock(join->mutex);
  join->all_done.wait(lock, [&] { return join->done == join->n; });
}

}  // namespace pathwise::server
