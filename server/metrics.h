// Prometheus metrics of pathwised. Every family is registered once, in the
// constructor, and every series handle is cached: recording is lock-free
// apart from the histograms' own mutex. Labels are low-cardinality only
// (method, code). Scraped at /metrics on --metrics_listen.
#ifndef PATHWISE_SERVER_METRICS_H_
#define PATHWISE_SERVER_METRICS_H_

#include <grpcpp/support/status.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "core/brownian/cursor.h"

namespace pathwise::server {

// The RPCs pathwised answers, as labelled in the metrics.
enum class RpcMethod {
  kSample = 0,
  kSampleStream = 1,
  kSolve = 2,
  kListCapabilities = 3,
  kEstimate = 4,
  kMcmcSample = 5,  // McmcService.Sample
};
inline constexpr int kMethodCount = 6;
inline constexpr int kCodeCount = 17;  // grpc::StatusCode OK .. UNAUTHENTICATED

// "Sample", "SampleStream", "Solve", "ListCapabilities", "Estimate", "McmcSample".
const char* MethodName(RpcMethod method);
std::string CodeName(grpc::StatusCode code);  // "OK", "INVALID_ARGUMENT", ...

class Metrics {
 public:
  Metrics();

  // The registry to expose (holds every family below).
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  // Process RSS / CPU / start time and the cache hit ratio, computed at scrape time.
  std::shared_ptr<prometheus::Collectable> process_collector() const { return process_; }

  void RpcStarted(RpcMethod method);
  // Counts the call by method and final code and observes its handling time.
  void RpcFinished(RpcMethod method, grpc::StatusCode code, double seconds);
  void StreamMessage();  // one SampleStream request answered
  void AddBrownian(const brownian::CursorStats& stats);
  void SetServing(bool serving);
  void AddInflightBytes(double delta);  // response bytes admitted (+) or released (-)

  // Solves: one finished solve by solver method name ("shark") and final code.
  void SolveFinished(const std::string& method, grpc::StatusCode code);
  // Work done by solves: paths finished and their accepted / rejected steps.
  void AddSolveWork(uint64_t paths, uint64_t steps_accepted, uint64_t steps_rejected);
  void AddActiveSolves(double delta);  // admitted solves (+1) and finished ones (-1)
  void AddQueuedPaths(double delta);   // paths admitted (+) and solved or dropped (-)

  // A call refused (RESOURCE_EXHAUSTED) or stopped (DEADLINE_EXCEEDED) by a
  // configured limit, labelled with the limit's flag name
  // ("max_concurrent_solves_per_caller", "max_solve_seconds", ...).
  void Rejected(const std::string& limit);
  // McmcService.Sample: one finished run by Langevin method name and final code.
  void McmcFinished(const std::string& method, grpc::StatusCode code);
  // Work done by MCMC runs: kept draws (all chains) and gradient evaluations
  // of warm-up and sampling; unstable chains flagged.
  void AddMcmcWork(uint64_t draws, uint64_t gradients_warmup, uint64_t gradients_sampling,
                   uint64_t unstable_chains);
  void AddActiveMcmcRuns(double delta);  // admitted runs (+1) and finished ones (-1)

 private:
  void RegisterSolveFamilies();
  void RegisterMcmcFamilies();

  std::shared_ptr<prometheus::Registry> registry_;
  std::array<std::array<prometheus::Counter*, kCodeCount>, kMethodCount> rpcs_{};
  std::array<prometheus::Histogram*, kMethodCount> durations_{};
  std::array<prometheus::Gauge*, kMethodCount> in_flight_{};
  prometheus::Counter* stream_messages_ = nullptr;
  prometheus::Counter* queries_ = nullptr;
  prometheus::Counter* levels_descended_ = nullptr;
  prometheus::Counter* levels_reused_ = nullptr;
  prometheus::Gauge* serving_ = nullptr;
  prometheus::Gauge* inflight_bytes_ = nullptr;
  prometheus::Family<prometheus::Counter>* solves_ = nullptr;  // series added on first use
  prometheus::Counter* solve_paths_ = nullptr;
  prometheus::Counter* steps_accepted_ = nullptr;
  prometheus::Counter* steps_rejected_ = nullptr;
  prometheus::Counter* path_steps_ = nullptr;
  prometheus::Gauge* active_solves_ = nullptr;
  prometheus::Gauge* queued_paths_ = nullptr;
  prometheus::Family<prometheus::Counter>* rejections_ = nullptr;  // series added on first use
  prometheus::Family<prometheus::Counter>* mcmc_runs_ = nullptr;   // series added on first use
  prometheus::Counter* mcmc_draws_ = nullptr;
  prometheus::Counter* mcmc_gradients_warmup_ = nullptr;
  prometheus::Counter* mcmc_gradients_sampling_ = nullptr;
  prometheus::Counter* mcmc_unstable_chains_ = nullptr;
  prometheus::Gauge* mcmc_active_ = nullptr;
  std::shared_ptr<prometheus::Collectable> process_;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_METRICS_H_
