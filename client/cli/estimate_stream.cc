#include "client/cli/estimate_stream.h"

#include <memory>
#include <string>

namespace pathwise::cli {
namespace {

grpc::Status Broken(const std::string& what) {
  return grpc::Status(grpc::StatusCode::INTERNAL, "the server's Estimate stream " + what);
}

}  // namespace

grpc::Status ReadEstimate(v1::SolverService::StubInterface* stub, grpc::ClientContext* context,
                          const v1::EstimateRequest& request,
                          const std::function<void(const v1::Progress&)>& on_progress,
                          EstimateOutcome* out) {
  *out = EstimateOutcome{};
  std::unique_ptr<grpc::ClientReaderInterface<v1::EstimateResponse>> reader =
      stub->Estimate(context, request);
  v1::EstimateResponse event;
  bool has_result = false;
  while (reader->Read(&event)) {
    if (has_result) {
      context->TryCancel();
      reader->Finish();  // the cancelled status says nothing more
      return Broken("sent events after its result");
    }
    switch (event.event_case()) {
      case v1::EstimateResponse::kProgress:
        if (on_progress) on_progress(event.progress());
        break;
      case v1::EstimateResponse::kLevel:
        out->levels[event.level().level()] = event.level();
        break;
      case v1::EstimateResponse::kResult:
        out->result = event.result();
        has_result = true;
        break;
      default:
        break;  // an event kind newer than this client: ignored
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return status;
  if (!has_result) return Broken("ended without a result");
  return grpc::Status::OK;
}

}  // namespace pathwise::cli
