#include "server/solver_service.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "server/capabilities.h"
#include "server/rpc_util.h"
#include "server/status_util.h"
#include "server/wire.h"

namespace pathwise::server {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds TickPeriod(const SolveRunOptions& run) {
  // A quarter of the progress interval: a progress event is never more than
  // a quarter late.
  return std::clamp(run.progress_interval / 4, std::chrono::milliseconds(1),
                    std::chrono::milliseconds(250));
}

class SolveReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>, public SolveWriter {
 public:
  SolveReactor(SolverServiceImpl& service, grpc::CallbackServerContext* context,
               const grpc::ByteBuffer& request)
      : service_(service), context_(context), start_(Clock::now()) {
    service_.CallStarted();
    service_.metrics().RpcStarted(Method::kSolve);
    absl::StatusOr<SolveInputs> inputs = Admit(request);
    if (!inputs.ok()) {
      FinishSolve(inputs.status());
      return;
    }
    run_ = SolveRun::Create(service_.services(), *std::move(inputs), service_.options().run, this);
    run_->Begin();
  }

  void WriteEvent(const grpc::ByteBuffer* message) override { StartWrite(message); }

  void FinishSolve(const absl::Status& status) override {
    if (!status.ok()) LogError("Solve", status);
    const grpc::Status out = ToGrpcStatus(status);
    code_ = out.error_code();
    Finish(out);
  }

  void OnWriteDone(bool ok) override { run_->OnWriteDone(ok); }

  void OnCancel() override {
    cancelled_.store(true);
    if (run_ != nullptr) run_->Cancel();
  }

  void OnDone() override {
    if (run_ != nullptr) run_->Detach();
    const grpc::StatusCode code = cancelled_.load() ? CancelledCode(context_) : code_;
    if (!method_name_.empty()) service_.metrics().SolveFinished(method_name_, code);
    service_.metrics().RpcFinished(Method::kSolve, code,
                                   std::chrono::duration<double>(Clock::now() - start_).count());
    service_.CallDone();
    delete this;
  }

 private:
  // Parses, validates and admits the request.
  absl::StatusOr<SolveInputs> Admit(const grpc::ByteBuffer& bytes) {
    if (service_.draining()) return DrainingError();
    v1::SolveRequest request;
    if (absl::Status status = ParseMessage(bytes, request); !status.ok()) return status;
    absl::StatusOr<SolveInputs> inputs =
        ValidateSolveRequest(request, service_.options().limits, &service_.program_cache());
    if (!inputs.ok()) return inputs.status();
    method_name_ = std::string(inputs->method->info().name);
    if (absl::Status status = service_.admission().Admit(inputs->options.num_paths); !status.ok()) {
      return status;
    }
    return inputs;
  }

  SolverServiceImpl& service_;
  grpc::CallbackServerContext* context_;
  const Clock::time_point start_;
  std::shared_ptr<SolveRun> run_;
  std::string method_name_;  // set once validated
  std::atomic<bool> cancelled_{false};
  grpc::StatusCode code_ = grpc::StatusCode::OK;
};

}  // namespace

SolverServiceImpl::SolverServiceImpl(const SolverServiceOptions& options, WorkerPool& pool,
                                     Metrics& metrics)
    : options_(options),
      pool_(pool),
      metrics_(metrics),
      admission_(options.admission, metrics),
      program_cache_(options.program_cache_capacity),
      capabilities_(SerializeMessage(BuildCapabilities(options.limits))),
      ticker_(TickPeriod(options.run)) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* SolverServiceImpl::Solve(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new SolveReactor(*this, context, *request);
}

grpc::ServerUnaryReactor* SolverServiceImpl::ListCapabilities(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  const Clock::time_point start = Clock::now();
  metrics_.RpcStarted(Method::kListCapabilities);
  v1::ListCapabilitiesRequest parsed;
  absl::Status status = draining() ? DrainingError() : ParseMessage(*request, parsed);
  if (status.ok()) *response = capabilities_;
  if (!status.ok()) LogError("ListCapabilities", status);
  const grpc::Status out = ToGrpcStatus(status);
  metrics_.RpcFinished(Method::kListCapabilities, out.error_code(),
                       std::chrono::duration<double>(Clock::now() - start).count());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(out);
  return reactor;
}

}  // namespace pathwise::server
