// pathwise.v1.BrownianService on gRPC's callback API: parse -> validate ->
// core -> encode (raw methods: see wire.h). Sample answers with a unary
// reactor; SampleStream reads one request, answers it, and only then reads the
// next (one message in flight each way: flow control is the client's, nothing
// is buffered without bound).
#ifndef PATHWISE_SERVER_BROWNIAN_SERVICE_H_
#define PATHWISE_SERVER_BROWNIAN_SERVICE_H_

#include <atomic>
#include <cstdint>

#include "absl/status/status.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "server/evaluator.h"
#include "server/limits.h"
#include "server/metrics.h"

namespace pathwise::server {

class BrownianServiceImpl final
    : public v1::BrownianService::WithRawCallbackMethod_Sample<
          v1::BrownianService::WithRawCallbackMethod_SampleStream<v1::BrownianService::Service>> {
 public:
  BrownianServiceImpl(const Limits& limits, Evaluator& evaluator, Metrics& metrics)
      : limits_(limits), evaluator_(evaluator), metrics_(metrics) {}

  // While draining, new calls and new stream messages get UNAVAILABLE.
  void SetDraining(bool draining) { draining_.store(draining); }
  bool draining() const { return draining_.load(); }

  grpc::ServerUnaryReactor* Sample(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* SampleStream(
      grpc::CallbackServerContext* context) override;

  // Admits a response of `bytes` against max_inflight_bytes: OK (release it
  // with ReleaseBytes) or RESOURCE_EXHAUSTED.
  absl::Status ReserveBytes(uint64_t bytes);
  void ReleaseBytes(uint64_t bytes);
  uint64_t inflight_bytes() const { return inflight_bytes_.load(); }

  // Calls (unary or streaming) started and not yet done.
  int active_calls() const { return active_calls_.load(); }
  void CallStarted() { active_calls_.fetch_add(1); }
  void CallDone() { active_calls_.fetch_sub(1); }

  const Limits& limits() const { return limits_; }
  Evaluator& evaluator() { return evaluator_; }
  Metrics& metrics() { return metrics_; }

 private:
  const Limits limits_;
  Evaluator& evaluator_;
  Metrics& metrics_;
  std::atomic<bool> draining_{false};
  std::atomic<int> active_calls_{0};
  std::atomic<uint64_t> inflight_bytes_{0};
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_BROWNIAN_SERVICE_H_
