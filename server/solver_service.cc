#include "server/solver_service.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "server/capabilities.h"
#include "server/raw_message.h"
#include "server/run_stream_reactor.h"
#include "server/work_estimate.h"

namespace pathwise::server {

// Its writes are paced by the SolveRun: the next one starts from OnWriteDone.
class SolverServiceImpl::SolveReactor final : public RunStreamReactor<SolveRun>,
                                              public SolveWriter {
 public:
  SolveReactor(SolverServiceImpl& service, grpc::CallbackServerContext* context,
               const grpc::ByteBuffer& request)
      : RunStreamReactor(service.calls_, service.metrics_, RpcMethod::kSolve, context),
        service_(service),
        demand_{QuotaCaller(call_.caller(), context->peer()), 0, {}} {
    absl::StatusOr<SolveInputs> inputs = Admit(request);
    if (!inputs.ok()) {
      FinishSolve(inputs.status());
      return;
    }
    run_ = SolveRun::Create(
        SolveServices{service_.pool_, service_.metrics_, service_.admission_, service_.ticker_},
        *std::move(inputs), RunOptionsFor(*context), this, std::move(demand_));
    run_->Begin();
  }

  void WriteEvent(const grpc::ByteBuffer* message) override { WriteNext(message); }
  void FinishSolve(const absl::Status& status) override { FinishWith(status); }

 private:
  void Finished(grpc::StatusCode code) override {
    if (!method_name_.empty()) service_.metrics_.SolveFinished(method_name_, code);
  }

  // Parses, validates and admits the request.
  absl::StatusOr<SolveInputs> Admit(const grpc::ByteBuffer& bytes) {
    if (absl::Status admitted = call_.Admit(); !admitted.ok()) return admitted;
    v1::SolveRequest request;
    if (absl::Status status = ParseMessage(bytes, request); !status.ok()) return status;
    absl::StatusOr<SolveInputs> inputs =
        ValidateSolveRequest(request, service_.options_.limits, &service_.program_cache_);
    if (!inputs.ok()) return inputs.status();
    method_name_ = std::string(inputs->method->info().name);
    demand_.paths = inputs->options.num_paths;
    demand_.estimate =
        EstimateSolve(inputs->options, inputs->plan, inputs->sde->state_dim(),
                      service_.pool_.size(), service_.options_.run.max_message_bytes);
    if (absl::Status status = service_.admission_.Admit(demand_); !status.ok()) return status;
    return inputs;
  }

  // The server's time limit applies unless the call's own deadline comes first.
  SolveRunOptions RunOptionsFor(const grpc::CallbackServerContext& context) const {
    SolveRunOptions run = service_.options_.run;
    if (run.max_solve_time > std::chrono::milliseconds::zero() &&
        context.deadline() <= std::chrono::system_clock::now() + run.max_solve_time) {
      run.max_solve_time = std::chrono::milliseconds::zero();
    }
    return run;
  }

  SolverServiceImpl& service_;
  SolveDemand demand_;       // who asks, and the estimate it was admitted by
  std::string method_name_;  // set once validated
};

SolverServiceImpl::SolverServiceImpl(const SolverServiceOptions& options, WorkerPool& pool,
                                     Metrics& metrics, CallerQuota* callers)
    : options_(options),
      pool_(pool),
      metrics_(metrics),
      admission_(options.admission, metrics, callers),
      program_cache_(options.program_cache_capacity),
      capabilities_(
          SerializeMessage(BuildCapabilities(options.limits, options.estimate, options.mcmc))),
      ticker_(TickPeriodFor(options.run.progress_interval)) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* SolverServiceImpl::Solve(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new SolveReactor(*this, context, *request);
}

grpc::ServerUnaryReactor* SolverServiceImpl::ListCapabilities(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  RpcCall call(calls_, metrics_, RpcMethod::kListCapabilities, context);
  v1::ListCapabilitiesRequest parsed;
  absl::Status status = call.Admit();
  if (status.ok()) status = ParseMessage(*request, parsed);
  if (status.ok()) *response = capabilities_;
  const grpc::Status out = call.Conclude(status);
  call.Done();  // answered inline: done before the reactor finishes
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(out);
  return reactor;
}

}  // namespace pathwise::server
