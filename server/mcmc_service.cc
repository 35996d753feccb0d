#include "server/mcmc_service.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "server/caller_quota.h"
#include "server/raw_message.h"
#include "server/run_stream_reactor.h"

namespace pathwise::server {

// Its writes are paced by the McmcRun: the next one starts from OnWriteDone.
class McmcServiceImpl::SampleReactor final : public RunStreamReactor<McmcRun>, public McmcWriter {
 public:
  SampleReactor(McmcServiceImpl& service, grpc::CallbackServerContext* context,
                const grpc::ByteBuffer& request)
      : RunStreamReactor(service.calls_, service.metrics_, RpcMethod::kMcmcSample, context),
        service_(service),
        caller_(QuotaCaller(call_.caller(), context->peer())) {
    absl::StatusOr<McmcInputs> inputs = Admit(request);
    if (!inputs.ok()) {
      FinishRun(inputs.status());
      return;
    }
    run_ = McmcRun::Create(McmcServices{service_.pool_, service_.metrics_, service_.admission_,
                                        service_.solves_, service_.ticker_},
                           *std::move(inputs), *std::move(demand_), service_.options_.run, this);
    run_->Begin();
  }

  void WriteEvent(const grpc::ByteBuffer* message) override { WriteNext(message); }
  void FinishRun(const absl::Status& status) override { FinishWith(status); }

 private:
  void Finished(grpc::StatusCode code) override {
    if (!method_name_.empty()) service_.metrics_.McmcFinished(method_name_, code);
  }

  // Parses, validates and admits the request.
  absl::StatusOr<McmcInputs> Admit(const grpc::ByteBuffer& bytes) {
    if (absl::Status admitted = call_.Admit(); !admitted.ok()) return admitted;
    v1::McmcRequest request;
    if (absl::Status status = ParseMessage(bytes, request); !status.ok()) return status;
    absl::StatusOr<McmcInputs> inputs =
        ValidateMcmcRequest(request, service_.options_.limits, &service_.program_cache_);
    if (!inputs.ok()) return inputs.status();
    method_name_ = inputs->method_name;
    SolveDemand demand = McmcDemand(caller_, *inputs, service_.options_.run.max_buffered_bytes);
    if (absl::Status status =
            CheckMcmcDemandAlone(demand, service_.solves_.limits(), service_.metrics_);
        !status.ok()) {
      return status;
    }
    const uint32_t chains = inputs->options.ResolvedNumChains();
    if (absl::Status status = service_.admission_.Admit(chains); !status.ok()) return status;
    // One solve for the server and for its caller (max_concurrent_solves,
    // max_concurrent_solves_per_caller, work and memory).
    if (absl::Status status = service_.solves_.Admit(demand); !status.ok()) {
      service_.admission_.Done(chains);
      return status;
    }
    demand_ = std::move(demand);
    return inputs;
  }

  McmcServiceImpl& service_;
  const std::string caller_;           // QuotaCaller()
  std::optional<SolveDemand> demand_;  // set once admitted
  std::string method_name_;            // set once validated
};

McmcServiceImpl::McmcServiceImpl(const McmcServiceOptions& options, WorkerPool& pool,
                                 Metrics& metrics, SolveAdmission& solves)
    : options_(options),
      pool_(pool),
      metrics_(metrics),
      admission_(options.admission, metrics),
      solves_(solves),
      program_cache_(options.program_cache_capacity),
      ticker_(TickPeriodFor(options.run.progress_interval)) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* McmcServiceImpl::Sample(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new SampleReactor(*this, context, *request);
}

}  // namespace pathwise::server
