// SolverService.Estimate: the call's reactor. It parses, validates
// (estimate_request.h) and admits the request (one solve of no paths against
// max_concurrent_solves), then streams an EstimateRun; the run paces the
// writes, the next one starting from OnWriteDone.
#include <memory>

#include "server/estimate_run.h"
#include "server/raw_message.h"
#include "server/run_stream_reactor.h"
#include "server/solver_service.h"

namespace pathwise::server {

class SolverServiceImpl::EstimateReactor final : public RunStreamReactor<EstimateRun>,
                                                 public EstimateWriter {
 public:
  EstimateReactor(SolverServiceImpl& service, grpc::CallbackServerContext* context,
                  const grpc::ByteBuffer& request)
      : RunStreamReactor(service.calls_, service.metrics_, RpcMethod::kEstimate, context),
        service_(service),
        demand_{QuotaCaller(call_.caller(), context->peer()), 0, {}} {
    absl::StatusOr<EstimateInputs> inputs = Admit(request);
    if (!inputs.ok()) {
      FinishEstimate(inputs.status());
      return;
    }
    run_ = EstimateRun::Create(
        EstimateServices{service_.pool_, service_.admission_, service_.ticker_}, *std::move(inputs),
        demand_, service_.options_.run.progress_interval, this);
    run_->Begin();
  }

  void WriteEvent(const grpc::ByteBuffer* message) override { WriteNext(message); }
  void FinishEstimate(const absl::Status& status) override { FinishWith(status); }

 private:
  absl::StatusOr<EstimateInputs> Admit(const grpc::ByteBuffer& bytes) {
    if (absl::Status admitted = call_.Admit(); !admitted.ok()) return admitted;
    v1::EstimateRequest request;
    if (absl::Status status = ParseMessage(bytes, request); !status.ok()) return status;
    absl::StatusOr<EstimateInputs> inputs = ValidateEstimateRequest(
        request, service_.options_.limits, service_.options_.estimate, &service_.program_cache_);
    if (!inputs.ok()) return inputs.status();
    // One solve of no paths, for the server and for its caller
    // (max_concurrent_solves, max_concurrent_solves_per_caller).
    if (absl::Status status = service_.admission_.Admit(demand_); !status.ok()) return status;
    return inputs;
  }

  SolverServiceImpl& service_;
  const SolveDemand demand_;
};

grpc::ServerWriteReactor<grpc::ByteBuffer>* SolverServiceImpl::Estimate(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new EstimateReactor(*this, context, *request);
}

}  // namespace pathwise::server
