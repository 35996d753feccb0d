// SolverService.Estimate: the call's reactor. It parses, validates
// (estimate_request.h) and admits the request (one solve of no paths against
// max_concurrent_solves), then streams an EstimateRun; the run paces the
// writes, the next one starting from OnWriteDone.
#include <memory>

#include "server/estimate_run.h"
#include "server/raw_message.h"
#include "server/solver_service.h"

namespace pathwise::server {

class SolverServiceImpl::EstimateReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                                                 public EstimateWriter {
 public:
  EstimateReactor(SolverServiceImpl& service, grpc::CallbackServerContext* context,
                  const grpc::ByteBuffer& request)
      : service_(service),
        call_(service.calls_, service.metrics_, RpcMethod::kEstimate, context),
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

  void WriteEvent(const grpc::ByteBuffer* message) override { StartWrite(message); }

  void FinishEstimate(const absl::Status& status) override { Finish(call_.Conclude(status)); }

  void OnWriteDone(bool ok) override { run_->OnWriteDone(ok); }

  void OnCancel() override {
    call_.Cancel();
    if (run_ != nullptr) run_->Cancel();
  }

  void OnDone() override {
    if (run_ != nullptr) run_->Detach();
    call_.Done();
    delete this;
  }

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
  RpcCall call_;
  const SolveDemand demand_;
  std::shared_ptr<EstimateRun> run_;
};

grpc::ServerWriteReactor<grpc::ByteBuffer>* SolverServiceImpl::Estimate(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new EstimateReactor(*this, context, *request);
}

}  // namespace pathwise::server
