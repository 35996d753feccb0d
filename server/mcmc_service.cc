#include "server/mcmc_service.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "server/raw_message.h"

namespace pathwise::server {

// Its writes are paced by the McmcRun: the next one starts from OnWriteDone.
class McmcServiceImpl::SampleReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                                             public McmcWriter {
 public:
  SampleReactor(McmcServiceImpl& service, grpc::CallbackServerContext* context,
                const grpc::ByteBuffer& request)
      : service_(service),
        call_(service.calls_, service.metrics_, RpcMethod::kMcmcSample, context) {
    absl::StatusOr<McmcInputs> inputs = Admit(request);
    if (!inputs.ok()) {
      FinishRun(inputs.status());
      return;
    }
    run_ = McmcRun::Create(
        McmcServices{service_.pool_, service_.metrics_, service_.admission_, service_.ticker_},
        *std::move(inputs), service_.options_.run, this);
    run_->Begin();
  }

  void WriteEvent(const grpc::ByteBuffer* message) override { StartWrite(message); }

  void FinishRun(const absl::Status& status) override { Finish(call_.Conclude(status)); }

  void OnWriteDone(bool ok) override { run_->OnWriteDone(ok); }

  void OnCancel() override {
    call_.Cancel();
    if (run_ != nullptr) run_->Cancel();
  }

  void OnDone() override {
    if (run_ != nullptr) run_->Detach();
    if (!method_name_.empty()) service_.metrics_.McmcFinished(method_name_, call_.FinalCode());
    call_.Done();
    delete this;
  }

 private:
  // Parses, validates and admits the request.
  absl::StatusOr<McmcInputs> Admit(const grpc::ByteBuffer& bytes) {
    if (absl::Status admitted = call_.Admit(); !admitted.ok()) return admitted;
    v1::McmcRequest request;
    if (absl::Status status = ParseMessage(bytes, request); !status.ok()) return status;
    absl::StatusOr<McmcInputs> inputs =
        ValidateMcmcRequest(request, service_.options_.limits, &service_.program_cache_);
    if (!inputs.ok()) return inputs.status();
    method_name_ = inputs->method_name;
    if (absl::Status status = service_.admission_.Admit(inputs->options.ResolvedNumChains());
        !status.ok()) {
      return status;
    }
    return inputs;
  }

  McmcServiceImpl& service_;
  RpcCall call_;
  std::shared_ptr<McmcRun> run_;
  std::string method_name_;  // set once validated
};

McmcServiceImpl::McmcServiceImpl(const McmcServiceOptions& options, WorkerPool& pool,
                                 Metrics& metrics)
    : options_(options),
      pool_(pool),
      metrics_(metrics),
      admission_(options.admission, metrics),
      program_cache_(options.program_cache_capacity),
      ticker_(TickPeriodFor(options.run.progress_interval)) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* McmcServiceImpl::Sample(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new SampleReactor(*this, context, *request);
}

}  // namespace pathwise::server
