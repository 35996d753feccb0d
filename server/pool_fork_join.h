// Fork-join on the worker pool, the caller taking part: runs task(0), ...,
// task(n - 1) once each and returns when all are done. The helper tasks go to
// `lane` (the caller whose work it is, worker_pool.h). Indices are claimed
// from a shared counter by the caller and by helper tasks submitted to the
// pool, so the call finishes even when every pool thread is busy (the caller
// then runs them all) and never waits for a task that has not started: a
// caller that is itself a pool task (an MCMC run's driver) cannot deadlock
// the pool.
#ifndef PATHWISE_SERVER_POOL_FORK_JOIN_H_
#define PATHWISE_SERVER_POOL_FORK_JOIN_H_

#include <cstddef>
#include <functional>
#include <string>

#include "server/worker_pool.h"

namespace pathwise::server {

void ForkJoinOnPool(WorkerPool& pool, const std::string& lane, size_t n,
                    const std::function<void(size_t)>& task);

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_POOL_FORK_JOIN_H_
