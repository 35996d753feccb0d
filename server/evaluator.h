// Runs validated batch requests, splitting large ones across the worker pool
// by path ranges (brownian::EvaluatePaths); the answer does not depend on the
// split. Small requests run inline on the calling thread.
#ifndef PATHWISE_SERVER_EVALUATOR_H_
#define PATHWISE_SERVER_EVALUATOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "core/brownian/batch.h"
#include "server/metrics.h"
#include "server/worker_pool.h"

namespace pathwise::server {

class Evaluator {
 public:
  // Called exactly once, on the calling thread or a worker: OK with the full
  // result, or CANCELLED when `cancelled` was seen before the work finished.
  using Done = std::function<void(absl::Status status, brownian::BatchResult& result)>;

  // Requests with at most this many values (paths * queries * dim) run inline.
  static constexpr uint64_t kInlineValues = uint64_t{1} << 13;
  // A chunk of work on the pool holds at least this many values when it can.
  static constexpr uint64_t kChunkValues = uint64_t{1} << 15;

  Evaluator(WorkerPool& pool, Metrics& metrics) : pool_(pool), metrics_(metrics) {}

  // `request` must have passed ValidateSampleRequest. `cancelled` must stay
  // valid until `done` has been called; it is polled before every chunk.
  // Chunks run in the pool's `lane` (the caller's, for fairness).
  void Run(brownian::BatchRequest request, const std::atomic<bool>* cancelled, Done done,
           const std::string& lane = "");

 private:
  WorkerPool& pool_;
  Metrics& metrics_;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_EVALUATOR_H_
