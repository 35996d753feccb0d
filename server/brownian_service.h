// pathwise.v1.BrownianService on gRPC's callback API: parse -> validate ->
// core -> encode (raw methods: see raw_message.h and brownian_encoding.h).
// Sample answers with a unary reactor; SampleStream reads one request, answers it, and only then
// reads the next (one message in flight each way: flow control is the client's, nothing is buffered
// without bound).
#ifndef PATHWISE_SERVER_BROWNIAN_SERVICE_H_
#define PATHWISE_SERVER_BROWNIAN_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "core/brownian/batch.h"
#include "pathwise/v1/brownian.grpc.pb.h"
#include "server/brownian_limits.h"
#include "server/caller_quota.h"
#include "server/evaluator.h"
#include "server/metrics.h"
#include "server/rpc_call.h"

namespace pathwise::server {

class BrownianServiceImpl final
    : public v1::BrownianService::WithRawCallbackMethod_Sample<
          v1::BrownianService::WithRawCallbackMethod_SampleStream<v1::BrownianService::Service>> {
 public:
  // `callers`: per-caller response-byte limits, shared with SolverService
  // (null: none).
  BrownianServiceImpl(const BrownianLimits& limits, Evaluator& evaluator, Metrics& metrics,
                      CallerQuota* callers = nullptr)
      : limits_(limits), evaluator_(evaluator), metrics_(metrics), callers_(callers) {}

  // While draining, new calls and new stream messages get UNAVAILABLE.
  void SetDraining(bool draining) { calls_.SetDraining(draining); }
  // The callers' tokens, to name each call's caller (null: no tokens).
  void SetTokens(std::shared_ptr<const TokenStore> tokens) { calls_.SetTokens(std::move(tokens)); }
  bool draining() const { return calls_.draining(); }
  // Calls (unary or streaming) started and not yet done.
  int active_calls() const { return calls_.active_calls(); }
  // Response bytes admitted and not yet released (bounded by max_inflight_bytes).
  uint64_t inflight_bytes() const { return inflight_bytes_.load(); }

  grpc::ServerUnaryReactor* Sample(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* SampleStream(
      grpc::CallbackServerContext* context) override;

 private:
  template <class Reactor>
  class SampleCallReactor;
  class SampleReactor;
  class SampleStreamReactor;

  // Admits a response of `bytes` of `caller`: OK, or RESOURCE_EXHAUSTED with a
  // QuotaFailure (the caller's limit) or a RetryInfo (the server's).
  absl::Status ReserveBytes(const std::string& caller, uint64_t bytes);
  void ReleaseBytes(const std::string& caller, uint64_t& reserved);  // and sets it to 0

  const BrownianLimits limits_;
  Evaluator& evaluator_;
  Metrics& metrics_;
  CallerQuota* const callers_;
  CallGate calls_;
  std::atomic<uint64_t> inflight_bytes_{0};
};

}  // namespace pathwise::server

#endif  // PATHWISE_SERVER_BROWNIAN_SERVICE_H_
