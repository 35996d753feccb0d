#include "server/metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/brownian/path_spec.h"

namespace pathwise::server {
namespace {

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

prometheus::MetricFamily Single(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

// Values that are read, not counted: the process's resources and a ratio.
class ProcessCollector final : public prometheus::Collectable {
 public:
  ProcessCollector(const prometheus::Counter* descended, const prometheus::Counter* reused)
      : descended_(descended), reused_(reused), start_time_(NowSeconds()) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> out;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
    out.push_back(Single("process_cpu_seconds_total", "User and system CPU time of the process.",
                         prometheus::MetricType::Counter, cpu));
    long pages_total = 0;
    long pages_resident = 0;
    std::ifstream statm("/proc/self/statm");
    if (statm >> pages_total >> pages_resident) {
      const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
      out.push_back(Single("process_resident_memory_bytes", "Resident memory of the process.",
                           prometheus::MetricType::Gauge,
                           page * static_cast<double>(pages_resident)));
      out.push_back(Single("process_virtual_memory_bytes", "Virtual memory of the process.",
                           prometheus::MetricType::Gauge, page * static_cast<double>(pages_total)));
    }
    out.push_back(Single("process_start_time_seconds",
                         "Start time of the metrics, in seconds since the Unix epoch.",
                         prometheus::MetricType::Gauge, start_time_));
    const double descended = descended_->Value();
    const double reused = reused_->Value();
    const double total = descended + reused;
    out.push_back(Single("pathwise_brownian_cache_hit_ratio",
                         "Share of tree levels served from the descent cache since start-up "
                         "(levels reused / (reused + descended)); 0 before the first query.",
                         prometheus::MetricType::Gauge, total > 0 ? reused / total : 0.0));
    return out;
  }

 private:
  const prometheus::Counter* descended_;
  const prometheus::Counter* reused_;
  double start_time_;
};

}  // namespace

const char* MethodName(RpcMethod method) {
  switch (method) {
    case RpcMethod::kSample:
      return "Sample";
    case RpcMethod::kSampleStream:
      return "SampleStream";
    case RpcMethod::kSolve:
      return "Solve";
    case RpcMethod::kListCapabilities:
      return "ListCapabilities";
    case RpcMethod::kEstimate:
      return "Estimate";
    case RpcMethod::kMcmcSample:
      return "McmcSample";
  }
  return "unknown";
}

std::string CodeName(grpc::StatusCode code) {
  // gRPC and Abseil share the canonical code numbers and names.
  const int i = static_cast<int>(code);
  if (i < 0 || i >= kCodeCount) return "UNKNOWN";
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(i));
}

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& rpcs = prometheus::BuildCounter()
                   .Name("pathwise_rpcs_total")
                   .Help("Completed RPCs by method and final gRPC status code.")
                   .Register(*registry_);
  auto& durations = prometheus::BuildHistogram()
                        .Name("pathwise_rpc_duration_seconds")
                        .Help("Handling time of RPCs, from arrival to completion, by method.")
                        .Register(*registry_);
  auto& in_flight = prometheus::BuildGauge()
                        .Name("pathwise_rpcs_in_flight")
                        .Help("RPCs being handled now, by method.")
                        .Register(*registry_);
  const prometheus::Histogram::BucketBoundaries buckets = {
      25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2,
      5e-2,  0.1,   0.25,   0.5,    1.0,    2.5,  5.0,    10.0, 30.0, 60.0};
  for (int m = 0; m < kMethodCount; ++m) {
    const std::string method = MethodName(static_cast<RpcMethod>(m));
    for (int c = 0; c < kCodeCount; ++c) {
      rpcs_[m][c] =
          &rpcs.Add({{"method", method}, {"code", CodeName(static_cast<grpc::StatusCode>(c))}});
    }
    durations_[m] = &durations.Add({{"method", method}}, buckets);
    in_flight_[m] = &in_flight.Add({{"method", method}});
  }
  stream_messages_ = &prometheus::BuildCounter()
                          .Name("pathwise_stream_messages_total")
                          .Help("SampleStream requests answered (one response each).")
                          .Register(*registry_)
                          .Add({});
  queries_ = &prometheus::BuildCounter()
                  .Name("pathwise_brownian_queries_total")
                  .Help("Brownian increments computed (one per path and query).")
                  .Register(*registry_)
                  .Add({});
  levels_descended_ = &prometheus::BuildCounter()
                           .Name("pathwise_brownian_levels_descended_total")
                           .Help("Brownian tree levels computed (node splits drawn).")
                           .Register(*registry_)
                           .Add({});
  levels_reused_ = &prometheus::BuildCounter()
                        .Name("pathwise_brownian_levels_reused_total")
                        .Help("Brownian tree levels served from the descent cache.")
                        .Register(*registry_)
                        .Add({});
  serving_ = &prometheus::BuildGauge()
                  .Name("pathwise_serving")
                  .Help("1 while the server accepts calls, 0 while it drains.")
                  .Register(*registry_)
                  .Add({});
  inflight_bytes_ = &prometheus::BuildGauge()
                         .Name("pathwise_inflight_response_bytes")
                         .Help(
                             "Response bytes of the calls being answered now "
                             "(bounded by --max_inflight_bytes).")
                         .Register(*registry_)
                         .Add({});
  RegisterSolveFamilies();
  RegisterMcmcFamilies();
  prometheus::BuildGauge()
      .Name("pathwise_build_info")
      .Help("Constant 1, labelled with the path-algorithm version.")
      .Register(*registry_)
      .Add({{"algorithm", std::string(brownian::kAlgorithmVersion)}})
      .Set(1);
  process_ = std::make_shared<ProcessCollector>(levels_descended_, levels_reused_);
}

void Metrics::RpcStarted(RpcMethod method) { in_flight_[static_cast<int>(method)]->Increment(); }

void Metrics::RpcFinished(RpcMethod method, grpc::StatusCode code, double seconds) {
  const int m = static_cast<int>(method);
  int c = static_cast<int>(code);
  if (c < 0 || c >= kCodeCount) c = static_cast<int>(grpc::StatusCode::UNKNOWN);
  in_flight_[m]->Decrement();
  rpcs_[m][c]->Increment();
  durations_[m]->Observe(seconds);
}

void Metrics::StreamMessage() { stream_messages_->Increment(); }

void Metrics::AddBrownian(const brownian::CursorStats& stats) {
  queries_->Increment(static_cast<double>(stats.queries));
  levels_descended_->Increment(static_cast<double>(stats.levels_descended));
  levels_reused_->Increment(static_cast<double>(stats.levels_reused));
}

void Metrics::RegisterSolveFamilies() {
  rejections_ = &prometheus::BuildCounter()
                     .Name("pathwise_rejections_total")
                     .Help(
                         "Calls refused or stopped by a configured limit, by the limit's flag "
                         "name (server-wide and per-caller limits, max_solve_seconds).")
                     .Register(*registry_);
  solves_ = &prometheus::BuildCounter()
                 .Name("pathwise_solves_total")
                 .Help("Finished solves by solver method and final gRPC status code.")
                 .Register(*registry_);
  solve_paths_ = &prometheus::BuildCounter()
                      .Name("pathwise_solve_paths_total")
                      .Help("Ensemble paths solved (every status).")
                      .Register(*registry_)
                      .Add({});
  auto& steps = prometheus::BuildCounter()
                    .Name("pathwise_solve_steps_total")
                    .Help("Solver steps of finished paths, by result (accepted or rejected).")
                    .Register(*registry_);
  steps_accepted_ = &steps.Add({{"result", "accepted"}});
  steps_rejected_ = &steps.Add({{"result", "rejected"}});
  path_steps_ = &prometheus::BuildCounter()
                     .Name("pathwise_solve_path_steps_total")
                     .Help("Accepted steps summed over paths; rate() gives path-steps per second.")
                     .Register(*registry_)
                     .Add({});
  active_solves_ = &prometheus::BuildGauge()
                        .Name("pathwise_solves_active")
                        .Help("Solves admitted and not yet finished (--max_concurrent_solves).")
                        .Register(*registry_)
                        .Add({});
  queued_paths_ = &prometheus::BuildGauge()
                       .Name("pathwise_solve_queued_paths")
                       .Help(
                           "Queue depth: paths of admitted solves not solved yet "
                           "(--max_queued_paths).")
                       .Register(*registry_)
                       .Add({});
}

void Metrics::RegisterMcmcFamilies() {
  mcmc_runs_ = &prometheus::BuildCounter()
                    .Name("pathwise_mcmc_runs_total")
                    .Help(
                        "Finished McmcService.Sample runs by Langevin method and final gRPC "
                        "status code.")
                    .Register(*registry_);
  mcmc_draws_ = &prometheus::BuildCounter()
                     .Name("pathwise_mcmc_draws_total")
                     .Help("Kept MCMC draws, all chains (every status).")
                     .Register(*registry_)
                     .Add({});
  auto& gradients = prometheus::BuildCounter()
                        .Name("pathwise_mcmc_gradient_evaluations_total")
                        .Help("Gradient evaluations of MCMC runs, by phase (warmup or sampling).")
                        .Register(*registry_);
  mcmc_gradients_warmup_ = &gradients.Add({{"phase", "warmup"}});
  mcmc_gradients_sampling_ = &gradients.Add({{"phase", "sampling"}});
  mcmc_unstable_chains_ = &prometheus::BuildCounter()
                               .Name("pathwise_mcmc_unstable_chains_total")
                               .Help("MCMC chains flagged as diverging.")
                               .Register(*registry_)
                               .Add({});
  mcmc_active_ = &prometheus::BuildGauge()
                      .Name("pathwise_mcmc_runs_active")
                      .Help("MCMC runs admitted and not yet finished (--max_concurrent_mcmc).")
                      .Register(*registry_)
                      .Add({});
}

void Metrics::McmcFinished(const std::string& method, grpc::StatusCode code) {
  mcmc_runs_->Add({{"method", method}, {"code", CodeName(code)}}).Increment();
}

void Metrics::AddMcmcWork(uint64_t draws, uint64_t gradients_warmup, uint64_t gradients_sampling,
                          uint64_t unstable_chains) {
  mcmc_draws_->Increment(static_cast<double>(draws));
  mcmc_gradients_warmup_->Increment(static_cast<double>(gradients_warmup));
  mcmc_gradients_sampling_->Increment(static_cast<double>(gradients_sampling));
  mcmc_unstable_chains_->Increment(static_cast<double>(unstable_chains));
}

void Metrics::AddActiveMcmcRuns(double delta) { mcmc_active_->Increment(delta); }

void Metrics::SolveFinished(const std::string& method, grpc::StatusCode code) {
  // Family::Add returns the existing series for known labels (it locks).
  solves_->Add({{"method", method}, {"code", CodeName(code)}}).Increment();
}

void Metrics::AddSolveWork(uint64_t paths, uint64_t steps_accepted, uint64_t steps_rejected) {
  solve_paths_->Increment(static_cast<double>(paths));
  steps_accepted_->Increment(static_cast<double>(steps_accepted));
  steps_rejected_->Increment(static_cast<double>(steps_rejected));
  path_steps_->Increment(static_cast<double>(steps_accepted));
}

void Metrics::Rejected(const std::string& limit) {
  rejections_->Add({{"limit", limit}}).Increment();
}

void Metrics::AddActiveSolves(double delta) { active_solves_->Increment(delta); }

void Metrics::AddQueuedPaths(double delta) { queued_paths_->Increment(delta); }

void Metrics::SetServing(bool serving) { serving_->Set(serving ? 1 : 0); }

void Metrics::AddInflightBytes(double delta) { inflight_bytes_->Increment(delta); }

}  // namespace pathwise::server
