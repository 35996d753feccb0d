// Runs n independent tasks on a few threads of its own: what a core routine
// does when its caller gives no TaskRunner (the server gives its worker pool).
#ifndef PATHWISE_CORE_UTIL_RUN_ON_THREADS_H_
#define PATHWISE_CORE_UTIL_RUN_ON_THREADS_H_

#include <cstddef>
#include <functional>

namespace pathwise::util {

// Runs task(0), ..., task(n - 1), each exactly once, on min(n, threads)
// threads (the calling thread among them), and returns when all are done.
// Tasks are handed out in index order as threads become free.
void RunOnThreads(size_t n, int threads, const std::function<void(size_t)>& task);

}  // namespace pathwise::util

#endif  // PATHWISE_CORE_UTIL_RUN_ON_THREADS_H_
