// Prometheus metrics of pathwised. Every family is registered once, in the
// constructor, and every series handle is cached: recording is lock-free
// apart from the histograms' own mutex. Labels are low-cardinality only
// (method, code). Scraped at /metrics on --metrics_listen.
#ifndef PATHWISE_SERVER_METRICS_H_
#define PATHWISE_SERVER_METRICS_H_

#include <grpcpp/support/status.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>
#include <string>

#include "core/brownian/cursor.h"

namespace pathwise::server {

enum class Method { kSample = 0, kSampleStream = 1 };
inline constexpr int kMethodCount = 2;
inline constexpr int kCodeCount = 17;  // grpc::StatusCode OK .. UNAUTHENTICATED

const char* MethodName(Method method);        // "Sample", "SampleStream"
std::string CodeName(grpc::StatusCode code);  // "OK", "INVALID_ARGUMENT", ...

class Metrics {
 public:
  Metrics();

  // The registry to expose (holds every family below).
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  // Process RSS / CPU / start time and the cache hit ratio, computed at scrape time.
  std::shared_ptr<prometheus::Collectable> process_collector() const { return process_; }

  void RpcStarted(Method method);
  // Counts the call by method and final code and observes its handling time.
  void RpcFinished(Method method, grpc::StatusCode code, double seconds);
  void StreamMessage();  // one SampleStream request answered
  void AddBrownian(const brownian::CursorStats& stats);
  void SetServing(bool serving);
  void AddInflightBytes(double delta);  // response bytes admitted (+) or released (-)

 private:
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
  std::shared_ptr<prometheus::Collectable> process_;
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_METRICS_H_
